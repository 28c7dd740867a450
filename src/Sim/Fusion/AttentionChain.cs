namespace Mantissa.Sim.Fusion;

/// <summary>
/// An attention block whose score matrix flows only between its operators: <see cref="Scores"/> (Q·Kᵀ) writes it, the
/// element-wise operators in between (softmax, format converts) rewrite it, <see cref="Context"/> (P·V) reads it.
/// Indices are into the simulated operators; <see cref="Tensors"/> are the score-shaped tensors in flow order.
/// </summary>
public sealed record AttentionChain(int Scores, int Context, IReadOnlyList<string> Tensors);
