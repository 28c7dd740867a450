namespace Mantissa.Workloads;

/// <summary>What a tensor is to the model: decides where it lives and how it is counted.</summary>
public enum TensorRole
{
    /// <summary>A trained parameter, read from memory once per pass.</summary>
    Weight,
    /// <summary>An intermediate value produced and consumed within the pass.</summary>
    Activation,
    /// <summary>Attention keys or values kept across decode steps: read every step, appended by the new tokens.</summary>
    KvCache,
    /// <summary>A result the pass hands back (logits, class scores, the encoder output).</summary>
    Output,
}
