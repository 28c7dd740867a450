using Mantissa.Sim.Compute;
using Mantissa.Workloads;

namespace Mantissa.Sim;

/// <summary>
/// One operator lowered for simulation: a GEMM, or an element-wise/reduction operator described by its element
/// count and the bytes it reads and writes. <see cref="Fit"/> says how the PE runs a GEMM's formats and
/// <see cref="FormatNote"/> explains a GEMM that runs at the PE's own formats instead of the workload's.
/// </summary>
public sealed record SimOperator(string Name, OpKind Kind, GemmProblem? Gemm, long Elements = 0, double BytesIn = 0, double BytesOut = 0,
    FormatFitKind Fit = FormatFitKind.Native, string? FormatNote = null)
{
    /// <summary>
    /// The named tensors the operator reads and writes, for layer fusion (empty: none can stay on chip). A GEMM's uses
    /// carry their operand; an element-wise operator's bytes in and out are the sums of its uses.
    /// </summary>
    public IReadOnlyList<TensorUse> Uses { get; init; } = Array.Empty<TensorUse>();
}

/// <summary>One tensor an operator reads or writes: its name, bytes, direction and, for a GEMM, which operand it is.</summary>
public sealed record TensorUse(string Name, double Bytes, bool Written, Tensor? Operand = null);
