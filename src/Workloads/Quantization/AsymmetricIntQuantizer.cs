using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Asymmetric unsigned-integer quantization (GPTQ/AWQ style): s = (max − min)/(2^b − 1), integer zero point
/// z = round(−min/s) in [0, 2^b − 1], q = (clamp(round(x/s) + z) − z)·s. Metadata per segment: scale + zero point.
/// </summary>
internal sealed class AsymmetricIntQuantizer : ISegmentQuantizer
{
    private readonly ElementRounder _rounder;
    private readonly ScaleStore _scales;
    private readonly double _levels;
    private readonly double? _fixedScale;
    private readonly double _fixedZero;

    public AsymmetricIntQuantizer(IntFormat format, ScaleStore scales, ReadOnlySpan<float> wholeTensorForFixedScale = default, bool fixedScale = false)
    {
        _rounder = new ElementRounder(format);
        _scales = scales;
        _levels = _rounder.Max;
        if (fixedScale) { var (s, z) = Fit(wholeTensorForFixedScale); _fixedScale = s; _fixedZero = z; }
    }

    public int MetadataBitsPerSegment => _scales.Bits + _rounder.Bits;

    private (double Scale, double Zero) Fit(ReadOnlySpan<float> x)
    {
        float lo = float.PositiveInfinity, hi = float.NegativeInfinity;
        foreach (var v in x) { lo = Math.Min(lo, v); hi = Math.Max(hi, v); }
        if (!(hi > lo)) return (0, 0);
        double s = _scales.Store((hi - (double)lo) / _levels);
        double z = _rounder.Round(-lo / s);
        return (s, z);
    }

    public double Quantize(ReadOnlySpan<float> src, Span<double> dst)
    {
        var (s, z) = _fixedScale is { } fs ? (fs, _fixedZero) : Fit(src);
        if (s == 0)
        {
            // A constant segment: the zero point cannot express it without a scale, so keep it exactly (a real kernel would too).
            for (int i = 0; i < src.Length; i++) dst[i] = src[i];
            return 0;
        }
        var r = _rounder;
        for (int i = 0; i < src.Length; i++) dst[i] = (r.Round(src[i] / s + z) - z) * s;
        return s;
    }
}
