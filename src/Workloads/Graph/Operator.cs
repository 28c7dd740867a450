namespace Mantissa.Workloads;

/// <summary>
/// One node of a workload graph. GEMM-like operators carry a <see cref="GemmView"/>; the others have
/// <c>Gemm == null</c> and report what they read and write. A tensor has one format: its writer and every reader
/// carry the same <see cref="TensorSpec"/> for it, and a change of format is an explicit convert operator.
/// </summary>
public sealed record Operator(string Name, OpKind Kind, IReadOnlyList<TensorSpec> Inputs, IReadOnlyList<TensorSpec> Outputs)
{
    /// <summary>Multiply-accumulates (0 for non-GEMM operators).</summary>
    public long Macs { get; init; }

    /// <summary>The GEMM lowering, or null for element-wise, normalisation, softmax, pooling and lookup operators.</summary>
    public GemmView? Gemm { get; init; }

    /// <summary>Scalar non-MAC arithmetic operations (adds, exps, compares, ...), for vector-unit timing.</summary>
    public long VectorOps { get; init; }

    /// <summary>Short human-readable attributes, e.g. <c>k3 s2 p1 g32</c> or <c>silu</c>.</summary>
    public string Detail { get; init; } = "";

    /// <summary>Elements actually read when fewer than all inputs (an embedding lookup reads only the gathered rows).</summary>
    public long? ElementsReadOverride { get; init; }

    /// <summary>Bytes actually read when fewer than all inputs.</summary>
    public double? BytesReadOverride { get; init; }

    /// <summary>Elements actually written when fewer than all outputs (a KV append writes only the new tokens).</summary>
    public long? ElementsWrittenOverride { get; init; }

    /// <summary>Bytes actually written when fewer than all outputs.</summary>
    public double? BytesWrittenOverride { get; init; }

    public long ElementsRead => ElementsReadOverride ?? Inputs.Sum(t => t.Elements);
    public double BytesRead => BytesReadOverride ?? Inputs.Sum(t => t.Bytes);
    public long ElementsWritten => ElementsWrittenOverride ?? Outputs.Sum(t => t.Elements);
    public double BytesWritten => BytesWrittenOverride ?? Outputs.Sum(t => t.Bytes);

    /// <summary>The weight tensors this operator reads.</summary>
    public IEnumerable<TensorSpec> Weights => Inputs.Where(t => t.Role == TensorRole.Weight);

    /// <summary>Elements of the weights this operator touches (an embedding counts its whole table).</summary>
    public long WeightElements => Weights.Sum(t => t.Elements);

    /// <summary>Bytes of the weights this operator touches, including group scales.</summary>
    public double WeightBytes => Weights.Sum(t => t.Bytes);

    public override string ToString() => $"{Name} ({Kind})";
}
