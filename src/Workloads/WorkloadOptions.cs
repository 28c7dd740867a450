namespace Mantissa.Workloads;

/// <summary>
/// How to instantiate a model: phase, batch, prompt length (<paramref name="Seq"/>), attended context length
/// (<paramref name="Kv"/>), precision recipe (preset name or YAML path) and CNN/ViT input size.
/// Null lengths take the model's defaults (LLMs: 2048 capped at the model's positions; BERT: 128).
/// </summary>
public sealed record WorkloadOptions(
    Phase Phase = Phase.Prefill,
    int Batch = 1,
    int? Seq = null,
    int? Kv = null,
    string? Precision = null,
    int ImageSize = 224);
