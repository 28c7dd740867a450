using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// mx_dot (OCP MX v1.0): per block of 32, the element products are summed exactly (Kulisch), the sum is scaled by
/// 2^(X_A−127 + X_W−127) (an exponent add, no multiplier), and blocks are accumulated in fp32 with RNE after each block.
/// A scale of 0xFF is NaN; element NaN/Inf follow IEEE rules. MXINT8 elements are two's-complement int8 × 2^−6.
/// Scales are passed as the A block scales followed by the W block scales.
/// </summary>
public sealed class MxDotPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.MxDot;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        new MxDotPe(spec, output);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("mxfp4 x mxfp4", PeKind.MxDot, "mxfp4", "mxfp4", "fp32", 32),
        PeConfiguration.Of("mxfp8e4m3 x mxfp6e2m3", PeKind.MxDot, "mxfp6e2m3", "mxfp8e4m3", "fp32", 16),
        PeConfiguration.Of("mxfp8e5m2 x mxfp8e5m2", PeKind.MxDot, "mxfp8e5m2", "mxfp8e5m2", "fp32", 8),
        PeConfiguration.Of("mxint8 x mxfp6e3m2", PeKind.MxDot, "mxfp6e3m2", "mxint8", "fp32", 32),
    ];

    private readonly BlockFormat _ba, _bw;
    private readonly int _block, _lsb, _maxExp;

    public MxDotPe(PeSpec spec, ScalarFormat? output = null) : base(spec, output ?? DefaultOutput(spec))
    {
        if (spec.ActivationFormat is not BlockFormat { Scale: E8M0Format } ba || spec.WeightFormat is not BlockFormat { Scale: E8M0Format } bw)
            throw new MantissaException($"mx_dot operands must be MX formats (mxfp4, mxfp6e2m3, mxfp6e3m2, mxfp8e4m3, mxfp8e5m2, mxint8), got w={spec.WeightFormat.Name} a={spec.ActivationFormat.Name}");
        if (ba.BlockSize != bw.BlockSize) throw new MantissaException("mx_dot operands must have the same block size");
        if (spec.Accumulator is not FloatFormat { ExponentBits: 8, MantissaBits: 23 })
            throw new MantissaException($"mx_dot accumulates blocks in fp32, got {spec.Accumulator.Name}");
        _ba = ba; _bw = bw; _block = ba.BlockSize;
        var (la, ma) = Range(ba.Element);
        var (lw, mw) = Range(bw.Element);
        _lsb = la + lw;
        _maxExp = ma + mw + 1;
    }

    /// <summary>LSB exponent and top exponent of an element format.</summary>
    private static (int lsb, int top) Range(ScalarFormat f) => f switch
    {
        FloatFormat ff => (1 - ff.Bias - ff.MantissaBits, TopExp(new FloatDatapathCodec(ff))),
        IntFormat { IntBits: 8, Signed: true } => (-6, 1),
        _ => throw new MantissaException($"unsupported MX element format {f.Name}"),
    };

    private static int TopExp(FloatDatapathCodec c)
    {
        var m = c.Unpack(c.MaxCode);
        return 63 - (int)ulong.LeadingZeroCount(m.Sig) + m.Exp;
    }

    public override int ScalesNeeded(int k) => 2 * ((k + _block - 1) / _block);

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        CheckScales(a.Length, scales);
        FixedAccumulator.CheckFits(_maxExp, _lsb, _block, "mx_dot block accumulator");
        int k = a.Length, nb = (k + _block - 1) / _block, dp = Spec.DotWidth;
        var y = new RoundingAccumulator((FloatFormat)Spec.Accumulator);
        for (int b = 0; b < nb; b++)
        {
            int s = b * _block, e = Math.Min(k, s + _block);
            var sum = new FixedAccumulator(_lsb);
            for (int i = s; i < e; i++) sum.Add(Operand.Multiply(Element(_ba.Element, a[i]), Element(_bw.Element, w[i])));
            uint xa = scales[b] & 0xFF, xw = scales[nb + b] & 0xFF;
            if (xa == 0xFF || xw == 0xFF) { y.Add(Operand.NaN); continue; }
            var sp = sum.Special;
            if (sp.Class != OperandClass.Finite) { y.Add(sp.Class, sp.InfNegative, default); continue; }
            var v = sum.Value;
            y.Add(OperandClass.Finite, false, new WideValue(v.Neg, v.Mag, v.Exp + (int)xa - 127 + (int)xw - 127));
        }
        long cycles = (k + dp - 1) / dp;
        var r = y.Current;
        return new PeResult(ResultPacker.Pack(Output, r.Class, r.Neg, y.Value), Output, cycles);
    }

    private static Operand Element(ScalarFormat f, uint code)
    {
        if (f is FloatFormat ff) return new FloatDatapathCodec(ff).Unpack(code);
        long v = ResultPacker.SignExtend(code, 8);
        return Operand.Finite(v < 0, (ulong)Math.Abs(v), -6);
    }
}
