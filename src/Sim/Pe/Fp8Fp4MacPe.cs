using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// fp8_fp4_mac: dual-mode MAC. fp8 (E4M3/E5M2) operands give one exact product per datapath per cycle; fp4 (E2M1) × fp4
/// splits each 8-bit datapath into two 4-bit lanes (elements 2j and 2j+1 of a pass), two exact products per cycle. All
/// products are summed in one fixed-point (Kulisch) accumulator and rounded once into the output format (fp32).
/// </summary>
public sealed class Fp8Fp4MacPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.Fp8Fp4Mac;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) => new Fp8Fp4MacPe(spec, output);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Bound("dual fp4e2m1 x fp4e2m1 two lanes, exact -> fp32", PeKind.Fp8Fp4Mac, "fp4e2m1", "fp4e2m1", 4),
        PeConfiguration.Bound("dual fp8e4m3 x fp8e4m3, exact -> fp32", PeKind.Fp8Fp4Mac, "fp8e4m3", "fp8e4m3", 4),
        PeConfiguration.Bound("dual fp8e5m2 x fp8e4m3, exact -> fp32", PeKind.Fp8Fp4Mac, "fp8e5m2", "fp8e4m3", 2),
        PeConfiguration.Bound("dual fp4e2m1 x fp8e5m2 one lane, exact -> fp32", PeKind.Fp8Fp4Mac, "fp4e2m1", "fp8e5m2", 2),
    ];

    private readonly FloatDatapathCodec _a, _w;
    private readonly int _lsb, _maxExp, _aBits, _wBits, _lanes;

    public Fp8Fp4MacPe(PeSpec spec, ScalarFormat? output = null) : base(spec, output ?? DefaultOutput(spec))
    {
        if (!spec.Kind.Supports(spec.WeightFormat, spec.ActivationFormat)
            || spec.ActivationFormat is not FloatFormat fa || spec.WeightFormat is not FloatFormat fw)
            throw new MantissaException($"fp8_fp4_mac runs {spec.Kind.WeightFormats} operands, got w={spec.WeightFormat.Name} a={spec.ActivationFormat.Name}");
        if (spec.Kind.AccumulatorProblem(spec.Accumulator, spec.WeightFormat, spec.ActivationFormat) is { } why) throw new MantissaException(why);
        _a = new FloatDatapathCodec(fa);
        _w = new FloatDatapathCodec(fw);
        _aBits = fa.Bits;
        _wBits = fw.Bits;
        _lanes = Cycles.SimdLanes;
        _lsb = (1 - fa.Bias - fa.MantissaBits) + (1 - fw.Bias - fw.MantissaBits);
        _maxExp = TopExp(_a) + TopExp(_w) + 1;
    }

    private static int TopExp(FloatDatapathCodec c)
    {
        var m = c.Unpack(c.MaxCode);
        return 63 - (int)ulong.LeadingZeroCount(m.Sig) + m.Exp;
    }

    private static bool NegBit(uint code, int bits) => ((code >> (bits - 1)) & 1) != 0;

    public override string Describe() => base.Describe() + $" kulisch {_lanes} lane(s)";

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        int k = a.Length;
        FixedAccumulator.CheckFits(_maxExp, _lsb, k, "fp8_fp4_mac Kulisch accumulator");
        var q = new FixedAccumulator(_lsb);
        var zero = new ZeroSign();
        // Each step feeds one 8-bit datapath word: one fp8 pair, or (fp4 mode) lanes 0 and 1 with consecutive pairs.
        for (int i = 0; i < k; i += _lanes)
            for (int lane = 0; lane < _lanes && i + lane < k; lane++)
            {
                int j = i + lane;
                var p = Operand.Multiply(_a.Unpack(a[j]), _w.Unpack(w[j]));
                zero.Product(NegBit(a[j], _aBits), NegBit(w[j], _wBits), p.IsZero);
                q.Add(p);
            }
        var v = q.Value;
        if (v.IsZero) v = new WideValue(zero.Negative, UInt128.Zero, 0);
        return new PeResult(ResultPacker.Pack(Output, q.Special.Class, q.Special.InfNegative, v), Output, Cycles.DotCycles(k));
    }
}
