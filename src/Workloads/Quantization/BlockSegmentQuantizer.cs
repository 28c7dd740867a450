using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Block formats through the exact <see cref="BlockQuantizer"/> (OCP MX: E8M0 shared exponent
/// floor(log2 max|x|) − emax; NVFP4: E4M3 scale max|x|/6 per 16 elements). NVFP4 also gets NVIDIA's second level:
/// one fp32 tensor scale g = max|x|/(448·6) that the blocks see the tensor divided by, so their E4M3 scales use
/// the format's whole range whatever the tensor's magnitude.
/// </summary>
internal sealed class BlockSegmentQuantizer : ISegmentQuantizer
{
    private readonly BlockFormat _format;
    private readonly double _tensorScale;

    public BlockSegmentQuantizer(BlockFormat format, ReadOnlySpan<float> tensor)
    {
        _format = format;
        _tensorScale = 1;
        if (format.Scale is not E8M0Format)
        {
            float amax = 0;
            foreach (var v in tensor) amax = Math.Max(amax, Math.Abs(v));
            float g = (float)(amax / (format.Scale.Codec.MaxFiniteValue * format.Element.Codec.MaxFiniteValue));
            if (g > 0 && float.IsFinite(g)) _tensorScale = g;
            MetadataBitsPerTensor = 32;
        }
    }

    public int MetadataBitsPerSegment => _format.Scale.Bits;

    /// <summary>Bits stored once per tensor (the NVFP4 fp32 tensor scale).</summary>
    public int MetadataBitsPerTensor { get; }

    public void Quantize(ReadOnlySpan<float> src, Span<double> dst)
    {
        Span<double> values = stackalloc double[src.Length];
        Span<ulong> codes = stackalloc ulong[src.Length];
        double g = _tensorScale;
        for (int i = 0; i < src.Length; i++) values[i] = src[i] / g;
        ulong scale = BlockQuantizer.Quantize(_format, values, codes);
        BlockQuantizer.Dequantize(_format, codes, scale, dst);
        if (g != 1) for (int i = 0; i < dst.Length; i++) dst[i] *= g;
    }
}
