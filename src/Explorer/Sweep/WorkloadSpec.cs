using System.Globalization;

namespace Mantissa.Explorer.Sweep;

/// <summary>One workload a design is evaluated on: a model (or GEMM) with phase, batch, lengths and precision recipe.</summary>
public sealed record WorkloadSpec(string Model, string Phase, int Batch, int Seq, int Kv, string Precision)
{
    /// <summary>A stable, human-readable name; also part of the result key.</summary>
    public string Label => string.Create(CultureInfo.InvariantCulture,
        $"{Model}/{Phase}/b{Batch}/s{Seq}/kv{Kv}/{Precision}");
}
