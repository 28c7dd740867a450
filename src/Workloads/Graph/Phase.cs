namespace Mantissa.Workloads;

/// <summary>Which inference phase a workload models.</summary>
public enum Phase
{
    /// <summary>All prompt tokens at once (also used for CNNs and encoders: one forward pass).</summary>
    Prefill,
    /// <summary>One new token per sequence attending to the KV cache.</summary>
    Decode,
    /// <summary>One training step: the forward pass over every token, its backward pass and the optimizer update.</summary>
    Train,
}
