using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Output error of a quantized GEMM Y = X·Wᵀ (W: N×K weights, X: M×K activations), against the same GEMM on the
/// unquantized operands, both accumulated exactly enough in binary64 that the error measured is the operands' quantization.
/// </summary>
public static class GemmSqnr
{
    /// <summary>Output SQNR (dB) and MSE of Xq·Wqᵀ against X·Wᵀ.</summary>
    public static QuantError Measure(FloatTensor weights, ReadOnlySpan<double> wq, FloatTensor activations, ReadOnlySpan<double> xq)
    {
        int k = weights.Columns, n = weights.Rows, m = activations.Rows;
        if (activations.Columns != k)
            throw new ArgumentException($"activations have {activations.Columns} columns but the weights' K is {k}");
        var w = weights.Values; var x = activations.Values;
        var wqa = wq.ToArray(); var xqa = xq.ToArray();
        var parts = new (double Err, double Sig, double Max)[n];
        Parallel.For(0, n, j =>
        {
            double e = 0, s = 0, mx = 0;
            for (int i = 0; i < m; i++)
            {
                double yr = 0, yq = 0;
                int wo = j * k, xo = i * k;
                for (int t = 0; t < k; t++)
                {
                    yr += (double)x[xo + t] * w[wo + t];
                    yq += xqa[xo + t] * wqa[wo + t];
                }
                double d = yr - yq;
                e += d * d; s += yr * yr;
                mx = Math.Max(mx, Math.Abs(d));
            }
            parts[j] = (e, s, mx);
        });
        double se = 0, ss = 0, max = 0;
        foreach (var p in parts) { se += p.Err; ss += p.Sig; max = Math.Max(max, p.Max); }
        return new QuantError(se / ((double)m * n), QuantErrorMetrics.Sqnr(ss, se), max);
    }

    /// <summary>Seeded N(0,1) sample activations, <paramref name="tokens"/> rows of length <paramref name="k"/>.</summary>
    public static FloatTensor SampleActivations(int tokens, int k, ulong seed)
    {
        var g = SyntheticTensorGenerator.Generate(new SyntheticTensorSpec(SyntheticDistribution.Gaussian, tokens * k, seed));
        return new FloatTensor($"activations N(0,1) seed={seed}", new long[] { tokens, k }, g.Values);
    }
}
