using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>Rounds each value straight into a format (nearest-even, saturating to the largest finite value), no scale.</summary>
internal sealed class CastQuantizer(ScalarFormat format) : ISegmentQuantizer
{
    private readonly ElementRounder _rounder = new(format);

    public int MetadataBitsPerSegment => 0;

    public double Quantize(ReadOnlySpan<float> src, Span<double> dst)
    {
        var r = _rounder;
        for (int i = 0; i < src.Length; i++) dst[i] = r.Round(src[i]);
        return 1;
    }
}
