using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// The formats of a training step's backward pass and optimizer: <see cref="Gradients"/> for the activation and
/// output gradients the backward GEMMs read (null: the recipe's activation format), <see cref="MasterWeights"/> for
/// the weight gradients and the weights the optimizer updates, <see cref="OptimizerState"/> for Adam's two moments,
/// and <see cref="HadamardBlock"/> &gt; 0 to rotate every backward GEMM operand by a block Hadamard transform first
/// (HALO, Ashkboos et al. 2025; Tseng et al. 2025 for MXFP4), an extra element-wise operator per operand.
/// </summary>
public sealed record TrainingFormats(NumberFormat? Gradients, NumberFormat MasterWeights, NumberFormat OptimizerState, int HadamardBlock = 0)
{
    /// <summary>fp32 master weights and Adam state, gradients at the activation format, no rotation.</summary>
    public static TrainingFormats Default { get; } = new(null, NumberFormat.Parse("fp32"), NumberFormat.Parse("fp32"));
}
