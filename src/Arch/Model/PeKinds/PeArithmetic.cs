namespace Mantissa.Arch.Model;

/// <summary>
/// The arithmetic definition a PE kind follows: where its exact products are summed and rounded. Each value names one
/// rule that the independent reference (Mantissa.Verification) implements with exact rationals; a kind declares its
/// rule in its descriptor (<see cref="PeKind.Arithmetic"/>), so the reference never dispatches on the datapath's type
/// and the datapath never calls the reference.
/// </summary>
public enum PeArithmetic
{
    /// <summary>Per pass, the exact integer sum of <c>dot_width</c> products added to a wrapping or saturating integer register.</summary>
    IntegerPasses,

    /// <summary><see cref="IntegerPasses"/> with the fused unit's products per pass (Bit Fusion: dot_width × products per fusion).</summary>
    FusedIntegerPasses,

    /// <summary><see cref="IntegerPasses"/> with OliVe pair-decoded weights (and activations when they are pair-coded too).</summary>
    OliveIntegerPasses,

    /// <summary>Integer-valued weights × fp16 activations: per pass, the exact sum, then y ← RNE_fp32(y + sum).</summary>
    IntegerWeightsFp32Passes,

    /// <summary><see cref="IntegerWeightsFp32Passes"/> with OliVe pair-decoded weights.</summary>
    OliveWeightsFp32Passes,

    /// <summary>Per quantization group: y ← RNE_fp32(y + scale·Σ a·(w − zero)), then the output rounding.</summary>
    DequantizedGroups,

    /// <summary>Lookup-table dot product: table entries in the configured entry precision, summed per group and scaled.</summary>
    LookupTable,

    /// <summary>The exact sum of all products (a quire or Kulisch register), rounded once into the output format.</summary>
    ExactSumRoundedOnce,

    /// <summary>One posit fused multiply-add per product, rounded into the posit accumulator each time.</summary>
    PositFmaPerProduct,

    /// <summary>Each exact product added to a float accumulator with one rounding per addition.</summary>
    FloatAddPerProduct,

    /// <summary>OCP MX blocks: exact block dot products scaled by the two block scales, summed in fp32.</summary>
    MxBlocks,
}
