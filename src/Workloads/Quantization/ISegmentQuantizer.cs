namespace Mantissa.Workloads.Quantization;

/// <summary>Quantizes one run of elements that share a scale (a group, a block, a row or a slice of a fixed-scale tensor).</summary>
internal interface ISegmentQuantizer
{
    /// <summary>Writes the dequantized value of each element of <paramref name="src"/> into <paramref name="dst"/>; returns the stored scale (1 when there is none).</summary>
    double Quantize(ReadOnlySpan<float> src, Span<double> dst);

    /// <summary>Bits of metadata (scales, zero points, type selectors) stored per segment.</summary>
    int MetadataBitsPerSegment { get; }
}
