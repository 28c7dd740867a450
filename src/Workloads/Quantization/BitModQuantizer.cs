namespace Mantissa.Workloads.Quantization;

/// <summary>
/// BitMoD per-group quantization: for each candidate type, scale = max|x|/max|type| (stored in the scale format),
/// round to the nearest type value (ties to the lower value); keep the type with the lowest MSE (first wins a tie),
/// as the authors' search_group_dtype does.
/// </summary>
internal sealed class BitModQuantizer(IReadOnlyList<ValueTable> types, ScaleStore scales) : ISegmentQuantizer
{
    public int MetadataBitsPerSegment => scales.Bits + BitModTypes.TypeSelectBits;

    public double Quantize(ReadOnlySpan<float> src, Span<double> dst)
    {
        float amax = 0;
        foreach (var v in src) amax = Math.Max(amax, Math.Abs(v));
        if (amax == 0) { dst.Clear(); return 0; }
        Span<double> trial = src.Length <= 512 ? stackalloc double[src.Length] : new double[src.Length];
        double best = double.PositiveInfinity, bestScale = 0;
        foreach (var t in types)
        {
            double s = scales.Store(amax / t.MaxAbs);
            double err = 0;
            for (int i = 0; i < src.Length; i++)
            {
                double q = t.Nearest(src[i] / s) * s;
                trial[i] = q;
                double d = src[i] - q;
                err += d * d;
            }
            if (err < best) { best = err; bestScale = s; trial.CopyTo(dst); }
        }
        return bestScale;
    }
}
