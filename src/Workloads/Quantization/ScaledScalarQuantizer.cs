using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Symmetric scaled quantization onto a scalar format: scale from the segment (absmax onto the format's largest finite
/// value, absmean, or RMS) or fixed for the whole tensor, stored in the scale format, then q = decode(encode(x/s))·s
/// with the format's exact round-to-nearest-even, saturating encoder.
/// </summary>
internal sealed class ScaledScalarQuantizer : ISegmentQuantizer
{
    private readonly ElementRounder _rounder;
    private readonly ScaleStore _scales;
    private readonly ScaleRule _rule;
    private readonly double _target;
    private readonly double? _fixedScale;

    public ScaledScalarQuantizer(ScalarFormat format, ScaleStore scales, ScaleRule rule, double? fixedScale = null)
    {
        _rounder = new ElementRounder(format);
        _scales = scales;
        _rule = rule;
        _target = _rounder.Max;
        _fixedScale = fixedScale;
    }

    public int MetadataBitsPerSegment => _scales.Bits;

    /// <summary>The stored scale the rule gives for <paramref name="x"/> (0 when all elements are zero).</summary>
    public double ScaleFor(ReadOnlySpan<float> x)
    {
        double raw;
        switch (_rule)
        {
            case ScaleRule.AbsMean:
            {
                double sum = 0;
                foreach (var v in x) sum += Math.Abs(v);
                raw = x.Length == 0 ? 0 : sum / x.Length;
                break;
            }
            case ScaleRule.Rms:
            {
                double sum = 0;
                foreach (var v in x) sum += (double)v * v;
                raw = x.Length == 0 ? 0 : Math.Sqrt(sum / x.Length);
                break;
            }
            default:
            {
                float m = 0;
                foreach (var v in x) m = Math.Max(m, Math.Abs(v));
                raw = m / _target;
                break;
            }
        }
        return _scales.Store(raw);
    }

    public double Quantize(ReadOnlySpan<float> src, Span<double> dst)
    {
        double s = _fixedScale ?? ScaleFor(src);
        if (s == 0) { dst.Clear(); return 0; }
        var r = _rounder;
        for (int i = 0; i < src.Length; i++) dst[i] = r.RoundQuotient(src[i], s) * s;
        return s;
    }
}
