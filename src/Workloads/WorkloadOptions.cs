namespace Mantissa.Workloads;

/// <summary>
/// How to instantiate a model: phase, batch, prompt length (<paramref name="Seq"/>), attended context length
/// (<paramref name="Kv"/>), precision recipe (preset name or YAML path) and CNN/ViT input size.
/// Null lengths take the model's defaults (LLMs: 2048 capped at the model's positions; BERT: 128).
/// <paramref name="Causal"/> counts only the unmasked (query, key) pairs of decoder attention in MACs and softmax
/// work (FlashAttention-style kernels skip the masked blocks); the default counts the full square, as LLMCompass and
/// LLM-Viewer do. <paramref name="AllowLongContext"/> lets a rotary-position LLM run past its config's
/// <c>max_position_embeddings</c> (context extension by RoPE scaling); learned position tables never allow it.
/// <paramref name="Name"/> overrides the name the workload is shown and keyed under (see <see cref="WorkloadCatalog.NameOf"/>).
/// </summary>
public sealed record WorkloadOptions(
    Phase Phase = Phase.Prefill,
    int Batch = 1,
    int? Seq = null,
    int? Kv = null,
    string? Precision = null,
    int ImageSize = 224,
    bool Causal = false,
    bool AllowLongContext = false,
    string? Name = null);
