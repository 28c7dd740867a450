using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// minifloat_mac: fp4/fp6/fp8 (any float format up to 16 bits, mixed pairs allowed) with an exact significand multiplier
/// (product significand (m_a+1)(m_w+1) bits, exponents added); either a Kulisch accumulator (exact, one rounding into the
/// output format) when <see cref="PeParameters.Quire"/> is set, or an fp32/fp16 register rounded (RNE) after every add in
/// K order. NaN and infinities follow IEEE rules (E4M3 has NaN only; FP4/FP6 have neither).
/// </summary>
public sealed class MinifloatMacPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.MinifloatMac;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        new MinifloatMacPe(spec, output);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("fp4e2m1 x fp4e2m1 kulisch -> fp32", PeKind.MinifloatMac, "fp4e2m1", "fp4e2m1", "fp32", 8),
        PeConfiguration.Of("fp4e2m1 x fp8e4m3 kulisch -> fp32", PeKind.MinifloatMac, "fp4e2m1", "fp8e4m3", "fp32", 8),
        PeConfiguration.Of("fp8e4m3 x fp8e4m3 kulisch -> fp16", PeKind.MinifloatMac, "fp8e4m3", "fp8e4m3", "fp16", 4),
        PeConfiguration.Of("fp8e5m2 x fp8e5m2 fp32 per add", PeKind.MinifloatMac, "fp8e5m2", "fp8e5m2", "fp32", 4, new PeParameters { Quire = false }),
        PeConfiguration.Of("fp6e2m3 x fp6e3m2 fp16 per add", PeKind.MinifloatMac, "fp6e2m3", "fp6e3m2", "fp16", 4, new PeParameters { Quire = false }),
    ];

    private readonly FloatDatapathCodec _a, _w;
    private readonly bool _exact;
    private readonly int _lsb, _maxExp, _aBits, _wBits;

    private static bool NegBit(uint code, int bits) => ((code >> (bits - 1)) & 1) != 0;

    public MinifloatMacPe(PeSpec spec, ScalarFormat? output = null) : base(spec, output ?? DefaultOutput(spec))
    {
        if (spec.ActivationFormat is not FloatFormat fa || spec.WeightFormat is not FloatFormat fw || fa.Bits > 16 || fw.Bits > 16)
            throw new MantissaException($"minifloat_mac operands must be float formats of at most 16 bits, got w={spec.WeightFormat.Name} a={spec.ActivationFormat.Name}");
        _a = new FloatDatapathCodec(fa);
        _w = new FloatDatapathCodec(fw);
        _exact = spec.Parameters.Quire;
        if (!_exact && spec.Accumulator is not FloatFormat)
            throw new MantissaException($"minifloat_mac accumulates exactly (Kulisch) or in a float format, got {spec.Accumulator.Name}");
        _lsb = (1 - fa.Bias - fa.MantissaBits) + (1 - fw.Bias - fw.MantissaBits);
        _aBits = fa.Bits;
        _wBits = fw.Bits;
        _maxExp = TopExp(_a) + TopExp(_w) + 1;
    }

    private static int TopExp(FloatDatapathCodec c)
    {
        var m = c.Unpack(c.MaxCode);
        return 63 - (int)ulong.LeadingZeroCount(m.Sig) + m.Exp;
    }

    public override string Describe() => base.Describe() + (_exact ? " kulisch" : " round-per-add");

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        int k = a.Length, dp = Spec.DotWidth;
        long cycles = (k + dp - 1) / dp;
        if (_exact)
        {
            FixedAccumulator.CheckFits(_maxExp, _lsb, k, "minifloat_mac Kulisch accumulator");
            var q = new FixedAccumulator(_lsb);
            var zero = new ZeroSign();
            for (int i = 0; i < k; i++)
            {
                var p = Operand.Multiply(_a.Unpack(a[i]), _w.Unpack(w[i]));
                zero.Product(NegBit(a[i], _aBits), NegBit(w[i], _wBits), p.IsZero);
                q.Add(p);
            }
            var v = q.Value;
            if (v.IsZero) v = new WideValue(zero.Negative, UInt128.Zero, 0);
            return new PeResult(ResultPacker.Pack(Output, q.Special.Class, q.Special.InfNegative, v), Output, cycles);
        }
        // Starting at −0 (IEEE addition's identity) makes the register hold the sum of the products, zero signs included.
        var y = new RoundingAccumulator((FloatFormat)Spec.Accumulator, startNegativeZero: true);
        for (int i = 0; i < k; i++)
        {
            var p = Operand.Multiply(_a.Unpack(a[i]), _w.Unpack(w[i]));
            if (p.IsZero) y.AddZero(NegBit(a[i], _aBits) ^ NegBit(w[i], _wBits));
            else y.Add(p);
        }
        var r = y.Current;
        return new PeResult(ResultPacker.Pack(Output, r.Class, r.Neg, y.Value), Output, cycles);
    }
}
