namespace Mantissa.Workloads.Quantization;

/// <summary>Computes <see cref="QuantError"/> of a quantized tensor against its original, in fixed chunks so parallel sums are deterministic.</summary>
public static class QuantErrorMetrics
{
    /// <summary>Elements summed as one unit; the partial sums are combined in chunk order.</summary>
    public const int Chunk = 1 << 16;

    public static QuantError Compute(ReadOnlyMemory<float> original, ReadOnlyMemory<double> quantized)
    {
        if (original.Length != quantized.Length) throw new ArgumentException("original and quantized lengths differ");
        return Combine(ChunkSums(original, quantized), original.Length);
    }

    /// <summary>(squared error, signal energy, max abs error) of each <see cref="Chunk"/> of the two arrays, in order.</summary>
    internal static (double Err, double Sig, double Max)[] ChunkSums(ReadOnlyMemory<float> original, ReadOnlyMemory<double> quantized)
    {
        int n = original.Length;
        int chunks = (n + Chunk - 1) / Chunk;
        var parts = new (double Err, double Sig, double Max)[chunks];
        Parallel.For(0, chunks, c =>
        {
            int start = c * Chunk, len = Math.Min(Chunk, n - start);
            parts[c] = Sums(original.Span.Slice(start, len), quantized.Span.Slice(start, len));
        });
        return parts;
    }

    /// <summary>The error of <paramref name="n"/> elements from their chunk sums, combined in chunk order: the same bits whatever the thread schedule.</summary>
    internal static QuantError Combine(IEnumerable<(double Err, double Sig, double Max)> parts, int n)
    {
        if (n == 0) return new QuantError(0, double.PositiveInfinity, 0);
        double se = 0, ss = 0, mx = 0;
        foreach (var p in parts) { se += p.Err; ss += p.Sig; mx = Math.Max(mx, p.Max); }
        return new QuantError(se / n, Sqnr(ss, se), mx);
    }

    private static (double, double, double) Sums(ReadOnlySpan<float> o, ReadOnlySpan<double> q)
    {
        double e = 0, s = 0, m = 0;
        for (int i = 0; i < o.Length; i++)
        {
            double x = o[i], d = x - q[i];
            e += d * d; s += x * x;
            double a = Math.Abs(d);
            if (!(a <= m)) m = a; // NaN propagates
        }
        return (e, s, m);
    }

    /// <summary>10·log10(signal/noise); +∞ for zero noise.</summary>
    public static double Sqnr(double signalEnergy, double noiseEnergy) =>
        noiseEnergy == 0 ? double.PositiveInfinity : 10 * Math.Log10(signalEnergy / noiseEnergy);
}
