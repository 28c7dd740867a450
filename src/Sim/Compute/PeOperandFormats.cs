using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Compute;

/// <summary>The weight and activation formats a PE actually runs for requested operand formats, and its cycles on them.</summary>
/// <param name="Native">True when the requested formats run as given; false when the PE falls back to its configured formats.</param>
public sealed record PeOperands(NumberFormat Weight, NumberFormat Activation, PeCycles Cycles, bool Native);

/// <summary>
/// Decides which formats a PE runs a GEMM in: the requested (recipe) formats when the PE's cycle model takes them,
/// otherwise the PE's configured formats (e.g. an fp16 KV cache on a 4-bit SIMD lane). A block-format PE
/// (<c>mx_dot</c>) takes only block operands, so scalar requests run at its configured block formats.
/// </summary>
public static class PeOperandFormats
{
    public static PeOperands Resolve(PeSpec pe, NumberFormat weight, NumberFormat activation)
    {
        bool blockOnly = pe.Kind == PeKind.MxDot && pe.WeightFormat is BlockFormat;
        if (!blockOnly || weight is BlockFormat)
        {
            try { return new PeOperands(weight, activation, PeCycleModel.For(pe, weight, activation), true); }
            catch (MantissaException) { }
        }
        return new PeOperands(pe.WeightFormat, pe.ActivationFormat, PeCycleModel.For(pe, pe.WeightFormat, pe.ActivationFormat), false);
    }
}
