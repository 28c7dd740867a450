namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The weight tensor the sweep's <c>quant_sqnr_db</c> / <c>quant_mse</c> metrics quantize: a synthetic source
/// (gaussian, laplace, student-t, outliers) or FILE[:TENSOR] (an absolute path), its seed and size (0: default / whole tensor).
/// </summary>
public sealed record QuantSpec(string Source, ulong Seed, int Count)
{
    /// <summary>Heavy-tailed Student-t (ν = 3), closer to real LLM weights than a Gaussian; seed 1, 2^20 values.</summary>
    public static QuantSpec Default { get; } = new("student-t", 1, 0);
}
