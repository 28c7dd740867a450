using System.Numerics;
using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// lut (LUT Tensor Core / T-MAC): weight codes become offset-binary bit-planes (signed: q = w + 2^(B−1)), each plane bit
/// read as s = ±1, so w = Σ_b 2^(b−1)·s_b + c with c = −½ (signed) or (2^B−1)/2 (unsigned). For every g activations the
/// precompute unit builds T[idx] = Σ_j ±a_j incrementally, storing only the 2^(g−1) entries whose index MSB is 0 (the
/// other half is the negation of the complement). Each weight plane indexes the tables; lookups are summed per plane,
/// planes combined by shifts, then the offset term c·Σa and the group scale are applied. A pass costs one cycle per weight
/// plane; with lut_precompute: per_pe the PE first builds its tables itself (2^(g−1) cycles), with shared tables they arrive
/// from the column's precompute unit.
/// <list type="bullet">
/// <item>exact: integer activations, exact entries and accumulators; the result, saturated into the integer accumulator
/// format (int32 unless another int format is configured, up to int64), equals the integer dot product.</item>
/// <item>int8: per group, s_T = RNE_fp32(max_table Σ|a_j| / 127); entries sat±127(RNE(T/s_T)); lookups summed in the
/// accumulator register (int16 by default, wrap or saturate per add); y ← RNE_fp32(y + s_w·(s_T·Σ_b 2^b·acc_b + 2c·S)/2).</item>
/// <item>fp16: entries RNE to fp16 (overflow → ±Inf); lookups summed per plane in fp32 (RNE per add);
/// y ← RNE_fp32(y + s_w·(Σ_b 2^(b−1)·acc_b + c·S)).</item>
/// </list>
/// A NaN or infinite activation makes its group's term NaN in the int8 and fp16 modes (a table entry cannot carry it).
/// </summary>
public sealed class LutPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.Lut;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        new LutPe(spec, output, scaleFormat);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("int2 g4 exact, a int8", PeKind.Lut, "int2", "int8", "int32", 16, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 64 }),
        PeConfiguration.Of("uint3 g3 exact, a int8", PeKind.Lut, "uint3", "int8", "int32", 6, new PeParameters { LutGroup = 3, LutEntries = LutEntryMode.Exact, GroupSize = 0 }),
        PeConfiguration.Of("int4 g8 exact, a uint8", PeKind.Lut, "int4", "uint8", "int32", 8, new PeParameters { LutGroup = 8, LutEntries = LutEntryMode.Exact, GroupSize = 128 }),
        PeConfiguration.Of("int2 g4 int8 tables, int16 wrap, g64", PeKind.Lut, "int2", "int8", "int16", 16, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Int8, GroupSize = 64 }),
        PeConfiguration.Of("int4 g2 int8 tables, int8 sat, a fp16, g32", PeKind.Lut, "int4", "fp16", "int8", 4, new PeParameters { LutGroup = 2, LutEntries = LutEntryMode.Int8, GroupSize = 32, Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("int4 g4 exact, a int8 -> int64", PeKind.Lut, "int4", "int8", "int64", 8, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 0 }),
        PeConfiguration.Of("int2 g4 int8 tables, int64 wrap, g64", PeKind.Lut, "int2", "int8", "int64", 16, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Int8, GroupSize = 64 }),
        PeConfiguration.Of("uint4 g4 fp16 tables per_pe, a fp16, g128", PeKind.Lut, "uint4", "fp16", "fp32", 16, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Fp16, GroupSize = 128, LutPrecompute = LutPrecompute.PerPe }),
        PeConfiguration.Of("int2 g4 full tables per_pe, a int8, g64", PeKind.Lut, "int2", "int8", "int32", 8, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 64, LutPrecompute = LutPrecompute.PerPe, LutSymmetric = false }),
        PeConfiguration.Of("int3 g1 fp16 tables, a int8, g16", PeKind.Lut, "int3", "int8", "fp32", 4, new PeParameters { LutGroup = 1, LutEntries = LutEntryMode.Fp16, GroupSize = 16 }),
    ];

    private readonly int _g, _wBits, _lsb;
    private readonly bool _wSigned, _aFp16, _aSigned, _ownTables;
    private readonly int _stored;
    private readonly int _aBits;
    private readonly long _twoC;
    private readonly LutEntryMode _mode;
    private readonly FloatFormat? _scaleFormat;
    private readonly IntRegister _register;   // int8 tables: the lookup accumulator register (wraps or saturates at its width)
    private static readonly FloatFormat Fp32 = (FloatFormat)NumberFormat.Parse("fp32");
    private static readonly FloatFormat Fp16 = (FloatFormat)NumberFormat.Parse("fp16");

    public LutPe(PeSpec spec, ScalarFormat? output = null, FloatFormat? scaleFormat = null)
        : base(spec, output ?? LutDefaultOutput(spec))
    {
        var p = spec.Parameters;
        _g = p.LutGroup;
        _mode = p.LutEntries;
        _ownTables = p.LutPrecompute == LutPrecompute.PerPe;
        // A full (non-symmetric) table holds the same sums, so only the build time differs: 2^g entries instead of 2^(g−1).
        _stored = p.LutSymmetric ? 1 << (p.LutGroup - 1) : 1 << p.LutGroup;
        if (spec.WeightFormat is not IntFormat { IntBits: <= 8 } wi)
            throw new MantissaException($"lut weights must be int2..int8 or uint1..uint8, got {spec.WeightFormat.Name}");
        _wBits = wi.IntBits; _wSigned = wi.Signed;
        _twoC = _wSigned ? -1 : (1L << _wBits) - 1;
        switch (spec.ActivationFormat)
        {
            case IntFormat ai when ai.IntBits <= 8: _aBits = ai.IntBits; _aSigned = ai.Signed; break;
            case FloatFormat { ExponentBits: 5, MantissaBits: 10 } when _mode != LutEntryMode.Exact: _aFp16 = true; break;
            default: throw new MantissaException($"lut activations must be int (≤ 8 bits){(_mode == LutEntryMode.Exact ? "" : " or fp16")}, got {spec.ActivationFormat.Name}");
        }
        _lsb = _mode == LutEntryMode.Fp16 || _aFp16 ? -24 : 0;
        if (_g is < 1 or > 8) throw new MantissaException($"lut g must be 1..8, got {_g}");
        if (spec.DotWidth % _g != 0) throw new MantissaException($"lut dot width {spec.DotWidth} must be a multiple of g = {_g}");
        if (p.GroupSize > 0 && p.GroupSize % spec.DotWidth != 0)
            throw new MantissaException($"lut group size {p.GroupSize} must be a multiple of the dot width {spec.DotWidth} (passes never straddle groups)");
        if (_mode == LutEntryMode.Exact && spec.Accumulator is IntFormat { Signed: false })
            throw new MantissaException($"lut exact tables round their sum into a signed int accumulator (e.g. int32), got {spec.Accumulator.Name}");
        if (_mode == LutEntryMode.Int8 && spec.Accumulator is not IntFormat { Signed: true })
            throw new MantissaException($"lut int8 tables sum lookups in a signed int register (e.g. int16), got {spec.Accumulator.Name}");
        if (_mode == LutEntryMode.Int8) _register = new IntRegister((IntFormat)spec.Accumulator, p.Overflow == OverflowMode.Saturate);
        if (_mode != LutEntryMode.Exact) _scaleFormat = scaleFormat ?? Fp16;
    }

    private static ScalarFormat LutDefaultOutput(PeSpec spec) =>
        spec.Parameters.LutEntries == LutEntryMode.Exact ? spec.Accumulator as IntFormat ?? new IntFormat(32, true) : (FloatFormat)NumberFormat.Parse("fp32");

    public override FloatFormat? ScaleFormat => _scaleFormat;

    public override int ScalesNeeded(int k) => _mode == LutEntryMode.Exact ? 0 : (k + GroupLength(k) - 1) / GroupLength(k);

    public override string Describe() =>
        base.Describe() + $" g={_g} entries={_mode.ToString().ToLowerInvariant()}" + (_mode == LutEntryMode.Exact ? "" : $" group={Spec.Parameters.GroupSize}");

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        CheckScales(a.Length, scales);
        int k = a.Length, gl = GroupLength(k), dp = Spec.DotWidth, half = 1 << (_g - 1);
        Span<long> act = stackalloc long[8];
        Span<long> table = stackalloc long[128];
        Span<int> qtable = stackalloc int[128];
        Span<uint> ftable = stackalloc uint[128];
        Span<long> plane = stackalloc long[8];
        var fplanes = _mode == LutEntryMode.Fp16 ? new RoundingAccumulator[_wBits] : null;
        var aCodec = _aFp16 ? new FloatDatapathCodec((FloatFormat)Spec.ActivationFormat) : default;
        var f16 = new FloatDatapathCodec(Fp16);
        var scaleCodec = _scaleFormat is null ? default : new FloatDatapathCodec(_scaleFormat);
        var y = new RoundingAccumulator(Fp32);
        Int128 exact2y = 0;
        long cycles = 0;
        for (int gs = 0, gi = 0; gs < k; gs += gl, gi++)
        {
            int ge = Math.Min(k, gs + gl);
            bool special = false;
            // Activation sum S and, for int8 tables, the table scale from the largest Σ|a_j| of the group's tables.
            Int128 sum = 0;
            long maxAbs = 0;
            for (int t = gs; t < ge; t += _g)
            {
                long abs = 0;
                for (int j = t; j < Math.Min(ge, t + _g); j++)
                {
                    long v = Activation(a[j], aCodec, ref special);
                    sum += v;
                    abs += Math.Abs(v);
                }
                maxAbs = Math.Max(maxAbs, abs);
            }
            Operand sT = _mode == LutEntryMode.Int8 ? new FloatDatapathCodec(Fp32).Unpack(TableScale(maxAbs)) : default;
            plane[.._wBits].Clear();
            if (fplanes is not null) for (int b = 0; b < _wBits; b++) fplanes[b] = new RoundingAccumulator(Fp32);
            for (int ps = gs; ps < ge; ps += dp)
            {
                int pe = Math.Min(ge, ps + dp);
                for (int t = ps; t < pe; t += _g)
                {
                    int n = Math.Min(pe, t + _g) - t;
                    for (int j = 0; j < _g; j++) act[j] = j < n ? Activation(a[t + j], aCodec, ref special) : 0;
                    BuildTable(act, table[..half]);
                    if (_mode == LutEntryMode.Int8) for (int i = 0; i < half; i++) qtable[i] = QuantizeEntry(table[i], sT);
                    if (_mode == LutEntryMode.Fp16) for (int i = 0; i < half; i++) ftable[i] = f16.Pack(WideValue.FromSigned(table[i], _lsb));
                    for (int b = 0; b < _wBits; b++)
                    {
                        int idx = 0;
                        for (int j = 0; j < n; j++) idx |= (int)((Offset(w[t + j]) >> b) & 1) << j;
                        bool neg = (idx >> (_g - 1)) != 0;
                        int slot = neg ? ~idx & (half - 1) : idx;
                        switch (_mode)
                        {
                            case LutEntryMode.Exact: plane[b] += neg ? -table[slot] : table[slot]; break;
                            case LutEntryMode.Int8: plane[b] = _register.Add(plane[b], neg ? -qtable[slot] : qtable[slot]); break;
                            default:
                                var e = f16.Unpack(ftable[slot]);
                                fplanes![b].Add(e.Class, e.Neg ^ neg, new WideValue(e.Neg ^ neg, e.Sig, e.Exp));
                                break;
                        }
                    }
                }
                // One lookup cycle per weight plane; a PE that builds its own tables (per_pe) first spends one cycle per entry.
                cycles += _wBits + (_ownTables ? _stored : 0);
            }
            cycles += Cycles.DequantCyclesPerGroup;
            switch (_mode)
            {
                case LutEntryMode.Exact:
                    for (int b = 0; b < _wBits; b++) exact2y += (Int128)plane[b] << b;
                    exact2y += _twoC * sum;
                    break;
                case LutEntryMode.Int8:
                {
                    var sw = scaleCodec.Unpack(scales[gi]);
                    if (special || sw.Class != OperandClass.Finite) { y.Add(special || sw.Class == OperandClass.NaN ? Operand.NaN : TermTimesInf(sw, sT, plane, sum)); break; }
                    long A = 0;
                    for (int b = 0; b < _wBits; b++) A += plane[b] << b;
                    // term = s_w·(s_T·A + 2c·S)/2, the two products formed exactly before one aligned add.
                    var left = new WideValue((A < 0) ^ sw.Neg, (UInt128)Math.Abs(A) * sT.Sig * sw.Sig, sT.Exp + sw.Exp - 1);
                    Int128 cs = _twoC * sum;
                    var right = new WideValue((cs < 0) ^ sw.Neg, (UInt128)Int128.Abs(cs) * sw.Sig, _lsb + sw.Exp - 1);
                    y.Add(OperandClass.Finite, false, WideAdder.Add(left, right));
                    break;
                }
                default:
                {
                    if (special) { y.Add(Operand.NaN); break; }
                    var x = new FixedAccumulator(_lsb - 1);
                    for (int b = 0; b < _wBits; b++)
                    {
                        var acc = fplanes![b].Current;
                        x.Add(acc with { Exp = acc.Exp + b - 1 });
                    }
                    x.AddScaled(_twoC * sum, 0);
                    y.AddScaled(scaleCodec.Unpack(scales[gi]), x);
                    break;
                }
            }
        }
        if (_mode == LutEntryMode.Exact)
            return new PeResult(ResultPacker.Pack(Output, OperandClass.Finite, false, WideValue.FromSigned(exact2y, -1)), Output, cycles);
        var r = y.Current;
        return new PeResult(ResultPacker.Pack(Output, r.Class, r.Neg, y.Value), Output, cycles);
    }

    /// <summary>An infinite weight scale times the group value: NaN when the value is 0, otherwise ±Inf.</summary>
    private Operand TermTimesInf(in Operand sw, in Operand sT, ReadOnlySpan<long> plane, Int128 sum)
    {
        Int128 twice = 0;
        for (int b = 0; b < _wBits; b++) twice += (Int128)plane[b] << b;
        // Sign of s_T·A + 2c·S: both are exact; compare as rationals with a common exponent.
        var v = WideAdder.Add(new WideValue(twice < 0, (UInt128)Int128.Abs(twice) * sT.Sig, sT.Exp), WideValue.FromSigned(_twoC * sum, _lsb));
        return v.IsZero ? Operand.NaN : Operand.Inf(v.Neg ^ sw.Neg);
    }

    /// <summary>Offset-binary weight code: the sign bit of a signed code is flipped (q = w + 2^(B−1)).</summary>
    private uint Offset(uint code) => (_wSigned ? code ^ (1u << (_wBits - 1)) : code) & ((1u << _wBits) - 1);

    /// <summary>An activation as a fixed-point integer in units of 2^lsb (fp16: 2^−24); non-finite values raise the flag.</summary>
    private long Activation(uint code, FloatDatapathCodec codec, ref bool special)
    {
        if (!_aFp16)
        {
            long v = _aSigned ? ResultPacker.SignExtend(code, _aBits) : code & ((1u << _aBits) - 1);
            return v << -_lsb;
        }
        var o = codec.Unpack(code);
        if (o.Class != OperandClass.Finite) { special = true; return 0; }
        long m = (long)o.Sig << (o.Exp - _lsb);
        return o.Neg ? -m : m;
    }

    /// <summary>Incremental table build: E[0] = −Σa_j, and E[i] = E[i without its lowest set bit j] + 2·a_j.</summary>
    private void BuildTable(ReadOnlySpan<long> act, Span<long> entries)
    {
        long e0 = 0;
        for (int j = 0; j < _g; j++) e0 -= act[j];
        entries[0] = e0;
        for (int i = 1; i < entries.Length; i++)
        {
            int j = BitOperations.TrailingZeroCount(i);
            entries[i] = entries[i & (i - 1)] + 2 * act[j];
        }
    }

    /// <summary>s_T = RNE_fp32(M/127): a 40-bit-extended long division whose remainder becomes the sticky bit.</summary>
    private uint TableScale(long maxAbs)
    {
        if (maxAbs == 0) return 0;
        UInt128 num = (UInt128)(ulong)maxAbs << 40;
        UInt128 q = num / 127, r = num % 127;
        var v = new WideValue(false, (q << 1) | (r != 0 ? UInt128.One : UInt128.Zero), _lsb - 41);
        return new FloatDatapathCodec(Fp32).Pack(v);
    }

    /// <summary>sat±127(RNE(E/s_T)) by integer division: the quotient is bounded by ~127, so the operands stay narrow.</summary>
    private int QuantizeEntry(long e, in Operand sT)
    {
        if (sT.Sig == 0 || e == 0) return 0;
        UInt128 num = (UInt128)(ulong)Math.Abs(e), den = sT.Sig;
        int sh = _lsb - sT.Exp;                      // E/s_T = |e|·2^sh / sig
        if (sh >= 0) num <<= sh;
        else if (-sh > 80) return 0;                 // far below one half
        else den <<= -sh;
        UInt128 q = num / den, r = num % den;
        if (2 * r > den || (2 * r == den && (q & 1) != 0)) q++;
        int v = (int)UInt128.Min(q, 127);
        return e < 0 ? -v : v;
    }


}
