namespace Mantissa.Workloads;

/// <summary>The unit of a workload's throughput.</summary>
public enum WorkUnit { Token, Frame }

/// <summary>
/// A built workload: the operator graph plus what it models. <see cref="StoredWeights"/> is every parameter tensor
/// of the model (all experts of a mixture-of-experts layer), while <see cref="Graph"/> holds only the operators one
/// pass runs (the routed experts), so graph weight traffic can be smaller than <see cref="WeightBytes"/>.
/// </summary>
public sealed record Workload(
    string Model,
    WorkloadKind Kind,
    Phase Phase,
    int Batch,
    int Seq,
    int Kv,
    long TokensProduced,
    PrecisionRecipe Recipe,
    WorkloadGraph Graph,
    IReadOnlyList<TensorSpec> StoredWeights)
{
    private readonly long? _active;

    /// <summary>Parameters touched by one token (the routed experts only); equals <see cref="Parameters"/> for dense models.</summary>
    public long ActiveParameters { get => _active ?? Parameters; init => _active = value; }

    /// <summary>The config.json family of a language model; null for other kinds.</summary>
    public LlmFamily? LlmFamily { get; init; }

    /// <summary>The family as reports print it: the language model's <c>model_type</c>, else the kind's name.</summary>
    public string Family => LlmFamily is { } f ? f.ModelType() : Kind.Name();

    /// <summary>For a training step: the tensors kept for backward and the optimizer state; null for inference passes.</summary>
    public TrainingMemory? Training { get; init; }

    /// <summary>What one pass produces: tokens (language models, custom graphs) or frames (CNNs and vision transformers).</summary>
    public WorkUnit Unit { get; init; } = WorkUnit.Token;

    /// <summary>True when attention MACs count only the unmasked (query, key) pairs (<see cref="WorkloadOptions.Causal"/>).</summary>
    public bool Causal { get; init; }

    /// <summary>All parameters of the model.</summary>
    public long Parameters => StoredWeights.Sum(t => t.Elements);

    /// <summary>Bytes to store all parameters at the recipe's formats, including group scales and zero points.</summary>
    public double WeightBytes => StoredWeights.Sum(t => t.Bytes);

    /// <summary>Multiply-accumulates of one pass.</summary>
    public long Macs => Graph.Macs;
}
