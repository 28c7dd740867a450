using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>
    /// minifloat_mac: fp4/fp6/fp8 products summed exactly in a fixed-point (Kulisch) accumulator and rounded once
    /// (<c>accumulator: exact</c>, the default), or rounded into a float register after every add (<c>accumulator: fp32</c>/<c>fp16</c>).
    /// </summary>
    public static readonly PeKind MinifloatMac = new MinifloatMacKind();

    private sealed class MinifloatMacKind() : PeKind("minifloat_mac", "fp4*, fp6*, fp8*, fp16", "fp4*, fp6*, fp8*, fp16")
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => pe.Parameters.Quire ? PeArithmetic.ExactSumRoundedOnce : PeArithmetic.FloatAddPerProduct;

        // Low-precision float dot-product units sum exact products in fixed point and round once (pe-models.md §2.2 D).
        public override string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) => "exact";

        // A float accumulator rounds after every add; exact sums in the Kulisch register.
        public override PeParameters Complete(PeParameters p, NumberFormat weights, NumberFormat activations, NumberFormat accumulator) =>
            p with { Quire = accumulator is ExactAccumulatorFormat };

        internal override void Compose(PeDatapathBuilder b, PeSpec pe) => b.FloatProductsAndSum("minifloat_mac");
    }
}
