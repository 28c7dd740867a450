using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Block formats. OCP MX: scale 2^(floor(log2 max|x|) − emax_elem) in E8M0, elements rounded nearest-even and
/// saturated. NVFP4: an E4M3 scale per 16 elements on top of one fp32 tensor scale g = max|x|/(448·6), so
/// block scales use E4M3's range (NVIDIA's two-level recipe).
/// </summary>
internal sealed class BlockSegmentQuantizer : ISegmentQuantizer
{
    private readonly FormatCodec _element;
    private readonly FormatCodec _scale;
    private readonly bool _powerOfTwoScale;
    private readonly int _emax;
    private readonly double _elementMax;
    private readonly double _tensorScale;

    public BlockSegmentQuantizer(BlockFormat format, ReadOnlySpan<float> tensor)
    {
        _element = FormatCodec.For(format.Element);
        _scale = FormatCodec.For(format.Scale);
        _powerOfTwoScale = format.Scale is E8M0Format;
        _elementMax = _element.MaxFiniteValue;
        _emax = Math.ILogB(_elementMax);
        _tensorScale = 1;
        if (!_powerOfTwoScale)
        {
            float amax = 0;
            foreach (var v in tensor) amax = Math.Max(amax, Math.Abs(v));
            double g = amax / (_scale.MaxFiniteValue * _elementMax);
            _tensorScale = g > 0 ? (float)g : 1; // stored as fp32
        }
        MetadataBitsPerTensor = _powerOfTwoScale ? 0 : 32;
    }

    public int MetadataBitsPerSegment => _scale.Bits;

    /// <summary>Bits stored once per tensor (the NVFP4 fp32 tensor scale).</summary>
    public int MetadataBitsPerTensor { get; }

    public void Quantize(ReadOnlySpan<float> src, Span<double> dst)
    {
        float amax = 0;
        foreach (var v in src) amax = Math.Max(amax, Math.Abs(v));
        if (amax == 0) { dst.Clear(); return; }
        double s;
        if (_powerOfTwoScale)
        {
            int shared = Math.Clamp(Math.ILogB(amax) - _emax, -127, 127);
            s = Math.ScaleB(1.0, shared);
        }
        else
        {
            double sb = _scale.ToDouble(_scale.FromDouble(amax / (_elementMax * _tensorScale), RoundingMode.Rne, saturate: true));
            if (sb == 0) sb = _scale.ToDouble(_scale.FromDouble(amax / (_elementMax * _tensorScale), RoundingMode.Rup, saturate: true));
            s = sb * _tensorScale;
        }
        var e = _element;
        for (int i = 0; i < src.Length; i++) dst[i] = e.ToDouble(e.FromDouble(src[i] / s, RoundingMode.Rne, saturate: true)) * s;
    }
}
