using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// posit_mac: posit(n,es) decoders (regime run length, exponent, hidden-bit fraction), an exact significand multiplier,
/// and either a quire (fixed point from minpos_a·minpos_w to maxpos_a·maxpos_w plus carry bits; one rounding at the end)
/// or a posit accumulator updated by a fused multiply-add per term (one rounding per term, in K order).
/// Any NaR operand makes the result NaR. Operands are posit(n, es) with n ≤ 32; a quire of up to 126 bits is an
/// Int128 register, a wider one (posit16 es2, posit32: the Posit Standard's 512 bits for posit32 es2) a limb register.
/// </summary>
public sealed class PositMacPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.PositMac;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        new PositMacPe(spec, output);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("posit8es0 quire", PeKind.PositMac, "posit8es0", "posit8es0", "posit8es0", 4),
        PeConfiguration.Of("posit8es2 quire -> fp32", PeKind.PositMac, "posit8es2", "posit8es2", "posit8es2", 4, output: "fp32"),
        PeConfiguration.Of("posit16es1 quire", PeKind.PositMac, "posit16es1", "posit16es1", "posit16es1", 2),
        PeConfiguration.Of("posit8es1 quire", PeKind.PositMac, "posit8es1", "posit8es1", "posit8es1", 4),
        PeConfiguration.Of("posit8es3 wide quire", PeKind.PositMac, "posit8es3", "posit8es3", "posit8es3", 4),
        PeConfiguration.Of("posit16es2 wide quire", PeKind.PositMac, "posit16es2", "posit16es2", "posit16es2", 2),
        PeConfiguration.Of("posit32es2 512-bit quire", PeKind.PositMac, "posit32es2", "posit32es2", "posit32es2", 1),
        PeConfiguration.Of("posit32es0 quire", PeKind.PositMac, "posit32es0", "posit32es0", "posit32es0", 1),
        PeConfiguration.Of("posit32es3 quire -> fp32", PeKind.PositMac, "posit32es3", "posit32es3", "posit32es3", 1, output: "fp32"),
        PeConfiguration.Of("posit16es1 x posit32es2 quire -> posit32es2", PeKind.PositMac, "posit32es2", "posit16es1", "posit32es2", 1),
        PeConfiguration.Of("posit32es2 fma per term", PeKind.PositMac, "posit32es2", "posit32es2", "posit32es2", 1, new PeParameters { Quire = false }),
        PeConfiguration.Of("posit8es0 fma per term", PeKind.PositMac, "posit8es0", "posit8es0", "posit8es0", 1, new PeParameters { Quire = false }),
        PeConfiguration.Of("posit8es1 x posit8es1 fma into posit16es1", PeKind.PositMac, "posit8es1", "posit8es1", "posit16es1", 1, new PeParameters { Quire = false }),
    ];

    private readonly PositDatapathCodec _a, _w;
    private readonly PositDatapathCodec? _acc;
    private readonly bool _quire;
    private readonly int _lsb;

    public PositMacPe(PeSpec spec, ScalarFormat? output = null) : base(spec, output ?? DefaultOutput(spec))
    {
        if (spec.ActivationFormat is not PositFormat pa || spec.WeightFormat is not PositFormat pw)
            throw new MantissaException($"posit_mac operands must be posit formats, got w={spec.WeightFormat.Name} a={spec.ActivationFormat.Name}");
        if (pa.PositBits > 32 || pw.PositBits > 32) throw new MantissaException("posit_mac operands are limited to 32 bits");
        _a = new PositDatapathCodec(pa);
        _w = new PositDatapathCodec(pw);
        _quire = spec.Parameters.Quire;
        if (!_quire)
        {
            if (spec.Accumulator is not PositFormat pacc) throw new MantissaException($"posit_mac without a quire accumulates in a posit format, got {spec.Accumulator.Name}");
            _acc = new PositDatapathCodec(pacc);
        }
        _lsb = -(_a.MaxScale + _w.MaxScale);
    }

    /// <summary>Quire width for <paramref name="k"/> terms: 2·(maxscale_a + maxscale_w) + 1 + ⌈log2 K⌉ (+ sign).</summary>
    public int QuireBits(int k) => FixedAccumulator.BitsNeeded(_a.MaxScale + _w.MaxScale, _lsb, k) + 1;

    public override string Describe() => base.Describe() + (_quire ? " quire" : " fma");

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        int k = a.Length, dp = Spec.DotWidth;
        long cycles = (k + dp - 1) / dp;
        if (_quire)
        {
            int bits = FixedAccumulator.BitsNeeded(_a.MaxScale + _w.MaxScale, _lsb, k);
            if (bits > 126) return WideQuireDot(a, w, bits + 1, cycles);
            var q = new FixedAccumulator(_lsb);
            for (int i = 0; i < k; i++) q.Add(Operand.Multiply(_a.Unpack(a[i]), _w.Unpack(w[i])));
            var cls = q.Special.Class == OperandClass.Finite ? OperandClass.Finite : OperandClass.NaN;   // posits: any special is NaR
            return new PeResult(ResultPacker.Pack(Output, cls, false, q.Value), Output, cycles);
        }
        var acc = _acc!.Value;
        uint code = 0;
        for (int i = 0; i < k; i++)
        {
            var p = Operand.Multiply(_a.Unpack(a[i]), _w.Unpack(w[i]));
            var y = acc.Unpack(code);
            if (p.Class != OperandClass.Finite || y.Class != OperandClass.Finite) { code = acc.NaRCode; continue; }
            code = acc.Pack(WideAdder.Add(WideValue.From(y), WideValue.From(p)));
        }
        var r = acc.Unpack(code);
        return new PeResult(ResultPacker.Pack(Output, r.Class == OperandClass.Finite ? OperandClass.Finite : OperandClass.NaN, false, WideValue.From(r)), Output, cycles);
    }

    /// <summary>The quire path for registers wider than 126 bits (sign included in <paramref name="bits"/>).</summary>
    private PeResult WideQuireDot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, int bits, long cycles)
    {
        int limbs = WideFixedAccumulator.LimbsFor(bits);
        Span<ulong> store = limbs <= WideFixedAccumulator.StackLimbs ? stackalloc ulong[limbs] : new ulong[limbs];
        var q = new WideFixedAccumulator(store, _lsb);
        for (int i = 0; i < a.Length; i++) q.Add(Operand.Multiply(_a.Unpack(a[i]), _w.Unpack(w[i])));
        var cls = q.Special.Class == OperandClass.Finite ? OperandClass.Finite : OperandClass.NaN;
        return new PeResult(ResultPacker.Pack(Output, cls, false, q.Finish()), Output, cycles);
    }
}
