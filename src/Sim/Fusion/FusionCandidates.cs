namespace Mantissa.Sim.Fusion;

/// <summary>What layer fusion may keep on chip in one workload: its fusible activations and its attention blocks (immutable, shared by every run of the workload).</summary>
public sealed record FusionCandidates(IReadOnlyList<FusibleTensor> Tensors, IReadOnlyList<AttentionChain> Chains);
