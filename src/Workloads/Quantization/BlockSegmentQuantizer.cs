using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Block formats with the semantics of the exact <see cref="BlockQuantizer"/> (OCP MX: E8M0 shared exponent
/// floor(log2 max|x|) − emax; NVFP4: E4M3 scale max|x|/6 per 16 elements, nearest-even). NVFP4 also gets NVIDIA's
/// second level: one fp32 tensor scale g = max|x|/(448·6) that the blocks see the tensor divided by, so block
/// scales use E4M3's whole range whatever the tensor's magnitude.
/// </summary>
/// <remarks>
/// The hot path rounds elements through a <see cref="RoundingTable"/> of the element codec and takes the block scale
/// from the scale codec; blocks with NaN/∞ or an out-of-range exponent go to <see cref="BlockQuantizer"/> itself.
/// The two agree bit for bit (the tests compare them): the double quotients cannot land on a rounding midpoint
/// unless they are exact, because the scales have at most 4 significant bits.
/// </remarks>
internal sealed class BlockSegmentQuantizer : ISegmentQuantizer
{
    private readonly BlockFormat _format;
    private readonly ElementRounder _element;
    private readonly FormatCodec _scale;
    private readonly bool _mx;
    private readonly int _emax;
    private readonly double _tensorScale = 1;

    public BlockSegmentQuantizer(BlockFormat format, ReadOnlySpan<float> tensor)
    {
        _format = format;
        _element = new ElementRounder(format.Element);
        _scale = format.Scale.Codec;
        _mx = format.Scale is E8M0Format;
        _emax = BlockQuantizer.ElementMaxExponent(format);
        if (!_mx)
        {
            float amax = 0;
            foreach (var v in tensor) if (float.IsFinite(v)) amax = Math.Max(amax, Math.Abs(v));
            float g = (float)(amax / (_scale.MaxFiniteValue * _element.Max));
            if (g > 0 && float.IsFinite(g)) _tensorScale = g;
            MetadataBitsPerTensor = 32;
        }
    }

    public int MetadataBitsPerSegment => _format.Scale.Bits;

    /// <summary>Bits stored once per tensor (the NVFP4 fp32 tensor scale).</summary>
    public int MetadataBitsPerTensor { get; }

    public double Quantize(ReadOnlySpan<float> src, Span<double> dst)
    {
        double g = _tensorScale;
        double amax = 0;
        bool special = false;
        foreach (var v in src)
        {
            if (!float.IsFinite(v)) special = true;
            else amax = Math.Max(amax, Math.Abs(v / g));
        }
        if (amax == 0 && !special) { dst.Clear(); return 0; }
        double s;
        if (_mx)
        {
            int shared = Math.Max(Math.ILogB(amax) - _emax, -127);
            if (special || shared > 127) { Reference(src, dst); return double.NaN; }
            s = Math.ScaleB(1.0, shared + _format.ElementScaleExponent);
        }
        else
        {
            if (special) { Reference(src, dst); return double.NaN; }
            ulong code = _scale.FromDouble(amax / _element.Max, RoundingMode.Rne, saturate: true);
            s = _scale.ToDouble(code);
            if (s == 0) s = _scale.ToDouble(1); // smallest positive subnormal, as BlockQuantizer does
        }
        var r = _element;
        for (int i = 0; i < src.Length; i++) dst[i] = r.RoundQuotient(src[i] / g, s) * s * g;
        return s * g;
    }

    /// <summary>The exact library path (also the reference the fast path is tested against).</summary>
    internal void Reference(ReadOnlySpan<float> src, Span<double> dst)
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
