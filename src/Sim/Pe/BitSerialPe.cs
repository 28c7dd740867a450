using System.Numerics;
using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// bit_serial (Stripes / Loom / BitMoD): the serial operand enters <c>bits_per_cycle</c> bits per cycle, LSB digit first;
/// each cycle the lanes' products with one digit go through an adder tree and are added, shifted by the digit position,
/// into the pass sum. Two's-complement serial operands are sign-extended to whole digits and the top digit is negative.
/// BitMoD weights are decoded to ±m·2^e (m ∈ {1,3,5}): m is the serial digit stream, the sign negates the activation and e
/// shifts the lane. Activations are integers or fp16 (fixed-point aligned on the fp16 exponent; weight-serial only).
/// With an int accumulator the pass sums go into an integer register (wrap or saturate per pass); with fp32 the exact
/// group sum X_g is dequantized at each group boundary: y ← RNE_fp32(y + s_g·X_g). Passes never straddle groups.
/// A mixed BitMoD format takes one type selector per group (in the per-group integer span), which picks the decoder ROM.
/// </summary>
public sealed class BitSerialPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.BitSerial;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        new BitSerialPe(spec, output, scaleFormat);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("w-serial int4 bpc1, a int8 -> int32", PeKind.BitSerial, "int4", "int8", "int32", 4, new PeParameters { BitsPerCycle = 1 }),
        PeConfiguration.Of("w-serial int5 bpc2, a int8 -> int16 sat", PeKind.BitSerial, "int5", "int8", "int16", 4, new PeParameters { BitsPerCycle = 2, Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("w-serial int8 bpc4, a uint8 -> int32", PeKind.BitSerial, "int8", "uint8", "int32", 8, new PeParameters { BitsPerCycle = 4 }),
        PeConfiguration.Of("a-serial (Stripes) a int8 bpc1, w int8", PeKind.BitSerial, "int8", "int8", "int32", 16, new PeParameters { BitsPerCycle = 1, SerialOperand = SerialOperand.Activations }),
        PeConfiguration.Of("w-serial int8 bpc2, a int8 -> int64", PeKind.BitSerial, "int8", "int8", "int64", 4, new PeParameters { BitsPerCycle = 2 }),
        PeConfiguration.Of("w-serial int4 bpc4, a int16 -> int48 sat", PeKind.BitSerial, "int4", "int16", "int48", 8, new PeParameters { BitsPerCycle = 4, Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("w-serial int3 bpc2, a int8, g128 -> fp32", PeKind.BitSerial, "int3", "int8", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }),
        PeConfiguration.Of("w-serial int6 bpc2, a fp16, g64 -> fp32", PeKind.BitSerial, "int6", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 64 }),
        PeConfiguration.Of("BitMoD fp4_er_pos bpc2, a fp16, g128", PeKind.BitSerial, "bitmod_fp4_er_pos", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }),
        PeConfiguration.Of("BitMoD fp4_ea_neg bpc2, a fp16, g128", PeKind.BitSerial, "bitmod_fp4_ea_neg", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }),
        PeConfiguration.Of("BitMoD fp4 mixed per-group types, a fp16, g128", PeKind.BitSerial, "bitmod_fp4_mixed", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }),
        PeConfiguration.Of("BitMoD fp3 mixed per-group types, a int8, g8", PeKind.BitSerial, "bitmod_fp3_mixed", "int8", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 8 }),
        PeConfiguration.Of("BitMoD fp3_ea_pos bpc2, a int8, g128", PeKind.BitSerial, "bitmod_fp3_ea_pos", "int8", "fp32", 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }),
        PeConfiguration.Of("BitMoD fp3_er_neg bpc1, a fp16, g32 -> fp16", PeKind.BitSerial, "bitmod_fp3_er_neg", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 1, GroupSize = 32 }, output: "fp16"),
    ];

    private const int Fp16Lsb = -24;   // fp16 minimum subnormal exponent: fixed-point LSB of fp16 activation sums

    private readonly int _bpc, _digits, _wBits, _aBits;
    private readonly bool _weightSerial, _wSigned, _aSigned, _aFp16, _intAcc;
    private readonly BitModFormat? _bitmod;
    private readonly FloatFormat? _scaleFormat;
    private readonly (bool neg, uint m, int e)[][]? _bitmodRoms;

    public BitSerialPe(PeSpec spec, ScalarFormat? output = null, FloatFormat? scaleFormat = null)
        : base(spec, output ?? DefaultOutput(spec))
    {
        var p = spec.Parameters;
        _bpc = p.BitsPerCycle;
        _weightSerial = p.SerialOperand == SerialOperand.Weights;
        switch (spec.WeightFormat)
        {
            case IntFormat wi when wi.IntBits <= 8: _wBits = wi.IntBits; _wSigned = wi.Signed; break;
            case BitModFormat b: _bitmod = b; _wBits = b.WeightBits; break;
            default: throw new MantissaException($"bit_serial weights must be int2..int8, uint1..uint8 or a BitMoD type, got {spec.WeightFormat.Name}");
        }
        switch (spec.ActivationFormat)
        {
            case IntFormat ai when ai.IntBits <= 16: _aBits = ai.IntBits; _aSigned = ai.Signed; break;
            case FloatFormat { ExponentBits: 5, MantissaBits: 10 }: _aFp16 = true; _aBits = 16; break;
            default: throw new MantissaException($"bit_serial activations must be int (≤ 16 bits) or fp16, got {spec.ActivationFormat.Name}");
        }
        if (!_weightSerial && (_aFp16 || _bitmod is not null))
            throw new MantissaException("bit_serial with serial activations needs integer activations and integer weights");
        _intAcc = spec.Accumulator is IntFormat;
        if (spec.Accumulator is IntFormat { Signed: false })
            throw new MantissaException($"bit_serial accumulator must be a signed int format (e.g. int32), got {spec.Accumulator.Name}");
        if (_intAcc && _bitmod is { Mixed: true }) throw new MantissaException("bit_serial with per-group BitMoD types needs an fp32 accumulator (the type is chosen per group)");
        if (_intAcc && _aFp16) throw new MantissaException("bit_serial with fp16 activations needs an fp32 accumulator");
        if (!_intAcc && spec.Accumulator is not FloatFormat { ExponentBits: 8, MantissaBits: 23 })
            throw new MantissaException($"bit_serial accumulator must be an int format or fp32, got {spec.Accumulator.Name}");
        if (!_intAcc)
        {
            _scaleFormat = scaleFormat ?? (FloatFormat)NumberFormat.Parse("fp16");
            if (p.GroupSize > 0 && p.GroupSize % spec.DotWidth != 0)
                throw new MantissaException($"bit_serial group size {p.GroupSize} must be a multiple of the dot width {spec.DotWidth} (passes never straddle groups)");
        }
        _digits = Cycles.CyclesPerPass;
        if (_bitmod is not null)
        {
            // One decoder ROM per type: code → (sign, odd mantissa m, shift e).
            var types = _bitmod.Mixed ? Enumerable.Range(0, 4).Select(_bitmod.WithType).ToArray() : new[] { _bitmod };
            _bitmodRoms = new (bool, uint, int)[types.Length][];
            for (int t = 0; t < types.Length; t++)
            {
                var rom = _bitmodRoms[t] = new (bool, uint, int)[1 << _wBits];
                for (uint c = 0; c < rom.Length; c++)
                {
                    int v = types[t].Value(c);
                    int e = v == 0 ? 0 : BitOperations.TrailingZeroCount(Math.Abs(v));
                    rom[c] = (v < 0, (uint)(Math.Abs(v) >> e), e);
                }
            }
        }
    }

    public override FloatFormat? ScaleFormat => _scaleFormat;

    /// <summary>A mixed BitMoD format takes one type selector (0..3) per group.</summary>
    public override bool TakesZeroPoints => _bitmod is { Mixed: true };

    public override int ScalesNeeded(int k) => _intAcc ? 0 : (k + GroupLength(k) - 1) / GroupLength(k);

    public override string Describe() =>
        base.Describe() + $" bpc={_bpc} serial={(_weightSerial ? "w" : "a")}" + (_intAcc ? "" : $" group={Spec.Parameters.GroupSize}");

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        CheckScales(a.Length, scales);
        int k = a.Length, dp = Spec.DotWidth;
        if (TakesZeroPoints ? zeros.Length != scales.Length : zeros.Length != 0)
            throw new MantissaException(TakesZeroPoints
                ? $"{_bitmod!.Name} needs one type selector per group ({scales.Length}), got {zeros.Length}"
                : "bit_serial takes no per-group integers");
        long cycles = 0;
        if (_intAcc)
        {
            var register = new IntRegister((IntFormat)Spec.Accumulator, Spec.Parameters.Overflow == OverflowMode.Saturate);
            long acc = 0;
            for (int start = 0; start < k; start += dp)
            {
                int end = Math.Min(k, start + dp);
                var pass = new FixedAccumulator(0);
                cycles += IntPass(a[start..end], w[start..end], _bitmodRoms?[0], ref pass);
                acc = register.Add(acc, (long)pass.Raw);   // a pass sum (dot_width products of ≤ 24 bits) fits 64 bits
            }
            var v = WideValue.FromSigned(acc, 0);
            return new PeResult(ResultPacker.Pack(Output, OperandClass.Finite, false, v), Output, cycles);
        }

        var y = new RoundingAccumulator((FloatFormat)Spec.Accumulator);
        var scaleCodec = new FloatDatapathCodec(_scaleFormat!);
        int g = GroupLength(k);
        for (int gs = 0, gi = 0; gs < k; gs += g, gi++)
        {
            int ge = Math.Min(k, gs + g);
            var group = new FixedAccumulator(_aFp16 ? Fp16Lsb : 0);
            var rom = _bitmodRoms is null ? null : _bitmodRoms[TakesZeroPoints ? Selector(zeros[gi]) : 0];
            for (int start = gs; start < ge; start += dp)
            {
                int end = Math.Min(ge, start + dp);
                cycles += _aFp16 ? Fp16Pass(a[start..end], w[start..end], rom, ref group) : IntPass(a[start..end], w[start..end], rom, ref group);
            }
            y.AddScaled(scaleCodec.Unpack(scales[gi]), group);
            cycles += Cycles.DequantCyclesPerGroup;
        }
        var r = y.Current;
        return new PeResult(ResultPacker.Pack(Output, r.Class, r.Neg, y.Value), Output, cycles);
    }

    /// <summary>One pass with integer activations; returns the cycles it took (one per digit).</summary>
    private static int Selector(int s) =>
        s is >= 0 and <= 3 ? s : throw new MantissaException($"BitMoD type selector must be 0..3 ({string.Join(", ", BitModFormat.TypeNames)}), got {s}");

    private int IntPass(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, (bool neg, uint m, int e)[]? rom, ref FixedAccumulator acc)
    {
        for (int d = 0; d < _digits; d++)
        {
            long tree = 0;
            for (int l = 0; l < a.Length; l++)
            {
                if (_weightSerial)
                {
                    long av = IntValue(a[l], _aBits, _aSigned);
                    if (rom is not null)
                    {
                        var (neg, m, e) = rom[w[l]];
                        long digit = (m >> (d * _bpc)) & ((1u << _bpc) - 1);
                        long lane = (neg ? -av : av) * digit;
                        tree += lane << e;
                    }
                    else tree += av * Digit(w[l], _wBits, _wSigned, d);
                }
                else tree += IntValue(w[l], _wBits, _wSigned) * Digit(a[l], _aBits, _aSigned, d);
            }
            acc.AddScaled(tree, d * _bpc);
        }
        return _digits;
    }

    /// <summary>One weight-serial pass with fp16 activations: each lane aligns sig·digit on the activation exponent.</summary>
    private int Fp16Pass(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, (bool neg, uint m, int e)[]? rom, ref FixedAccumulator acc)
    {
        var codec = new FloatDatapathCodec((FloatFormat)Spec.ActivationFormat);
        for (int d = 0; d < _digits; d++)
        {
            Int128 tree = 0;
            for (int l = 0; l < a.Length; l++)
            {
                var av = codec.Unpack(a[l]);
                long digit;
                bool neg = av.Neg;
                int e = 0;
                if (rom is not null)
                {
                    var (wn, m, we) = rom[w[l]];
                    digit = (m >> (d * _bpc)) & ((1u << _bpc) - 1);
                    neg ^= wn;
                    e = we;
                    if (d == 0 && av.Class != OperandClass.Finite) acc.Add(Operand.Multiply(av, Operand.Finite(wn, m, we)));
                }
                else
                {
                    digit = Digit(w[l], _wBits, _wSigned, d);
                    if (d == 0 && av.Class != OperandClass.Finite)
                        acc.Add(Operand.Multiply(av, Operand.Finite(IntValue(w[l], _wBits, _wSigned) < 0, (ulong)Math.Abs(IntValue(w[l], _wBits, _wSigned)), 0)));
                }
                if (av.Class != OperandClass.Finite || digit == 0 || av.Sig == 0) continue;
                Int128 lane = (Int128)((long)av.Sig * digit) << (av.Exp - Fp16Lsb + e);
                tree += neg ? -lane : lane;
            }
            acc.AddScaled(tree, d * _bpc);
        }
        return _digits;
    }

    private static long IntValue(uint code, int bits, bool signed) =>
        signed ? ResultPacker.SignExtend(code, bits) : code & (uint)((1UL << bits) - 1);

    /// <summary>Digit <paramref name="d"/> of a serial operand: bpc bits, the top digit signed for two's complement.</summary>
    private long Digit(uint code, int bits, bool signed, int d)
    {
        long v = IntValue(code, bits, signed);             // sign-extended to the full digit width
        long digit = (v >> (d * _bpc)) & ((1L << _bpc) - 1);
        if (signed && d == _digits - 1 && (digit >> (_bpc - 1)) != 0) digit -= 1L << _bpc;
        return digit;
    }
}
