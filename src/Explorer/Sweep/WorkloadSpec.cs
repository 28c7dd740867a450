using System.Globalization;
using Mantissa.Workloads;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// One workload a design is evaluated on: a catalog model, model file or <c>gemm-MxKxN</c>, with phase, batch,
/// prompt length, KV length (null: the model's default), precision recipe, whether prefill attention counts only
/// its unmasked causal triangle, the name it is reported under (null: <see cref="WorkloadCatalog.NameOf"/>) and whether
/// the simulator fuses layers (as <c>simulate</c>; false is <c>--no-fusion</c>).
/// </summary>
public sealed record WorkloadSpec(string Model, string Phase, int Batch, int? Seq, int? Kv, string Precision, bool Causal = false, string? Name = null,
    bool Fusion = true)
{
    /// <summary>
    /// A stable, human-readable name; also part of the result key. It starts with the model's name, not its path
    /// (a config.json is named after its <c>_name_or_path</c> or directory). A GEMM has no phase, lengths or recipe;
    /// <c>/causal</c> and <c>/no-fusion</c> appear only when set.
    /// </summary>
    public string Label => Model.StartsWith("gemm-", StringComparison.Ordinal)
        ? Model + (Batch > 1 ? string.Create(CultureInfo.InvariantCulture, $"/b{Batch}") : "")
        : string.Create(CultureInfo.InvariantCulture,
            $"{WorkloadCatalog.NameOf(Model, Name)}/{Phase}/b{Batch}{(Seq is { } s ? $"/s{s}" : "")}{(Kv is { } k ? $"/kv{k}" : "")}/{Precision}{(Causal ? "/causal" : "")}{(Fusion ? "" : "/no-fusion")}");
}
