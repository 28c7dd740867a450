using Mantissa.Arch.Model;

namespace Mantissa.Sim.Compute;

/// <summary>
/// Operands of a GEMM that layer fusion holds whole in one on-chip level (<see cref="Level"/>, an index into the
/// architecture's memory levels) while the GEMM runs — its producer left them there, or its consumer takes them from
/// there — and the bytes of that level already taken by what fusion keeps while it runs (<see cref="ReservedBytes"/>:
/// these operands whole plus any other activation live across the GEMM). The mapper counts no DRAM crossing for these
/// operands and fits its tiles of the others in what is left of the level. A kept output still needs its tile of
/// accumulator-width partial sums; a kept input or weight needs no tile beside its whole copy. Default: nothing on chip.
/// </summary>
public readonly record struct OnChipOperands(TensorSet Tensors, int Level, double ReservedBytes)
{
    /// <summary>Nothing held on chip: every operand comes from and goes to DRAM.</summary>
    public static OnChipOperands None => default;

    /// <summary>The operands whose level tile is the whole copy already counted in <see cref="ReservedBytes"/> (inputs and weights, not outputs).</summary>
    public TensorSet Untiled => Tensors & (TensorSet.Inputs | TensorSet.Weights);
}
