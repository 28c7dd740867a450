using System.Globalization;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// One workload a design is evaluated on: a catalog model, model file or <c>gemm-MxKxN</c>, with phase, batch,
/// prompt length, KV length (null: the model's default), precision recipe and whether prefill attention counts only
/// its unmasked causal triangle.
/// </summary>
public sealed record WorkloadSpec(string Model, string Phase, int Batch, int? Seq, int? Kv, string Precision, bool Causal = false)
{
    /// <summary>A stable, human-readable name; also part of the result key. A GEMM has no phase, lengths or recipe; <c>/causal</c> appears only when set.</summary>
    public string Label => Model.StartsWith("gemm-", StringComparison.Ordinal)
        ? Model + (Batch > 1 ? string.Create(CultureInfo.InvariantCulture, $"/b{Batch}") : "")
        : string.Create(CultureInfo.InvariantCulture,
            $"{Model}/{Phase}/b{Batch}{(Seq is { } s ? $"/s{s}" : "")}{(Kv is { } k ? $"/kv{k}" : "")}/{Precision}{(Causal ? "/causal" : "")}");
}
