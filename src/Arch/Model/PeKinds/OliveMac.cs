using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>
    /// olive_mac: OliVe's PE (Guo et al., ISCA 2023): an outlier–victim pair decoder in front of each pair of lanes turns
    /// two N-bit weight codes into two (sign, significand, shift) terms (a normal int, or an abfloat outlier and its
    /// pruned victim), and an integer multiplier, shifter and adder tree sum the exact products with int or fp16
    /// activations, or with OliVe-coded activations (the paper's W4A4 mode: a second pair decoder per two lanes).
    /// </summary>
    public static readonly PeKind OliveMac = new OliveMacKind();

    private sealed class OliveMacKind() : PeKind("olive_mac", "olive4, olive5, olive6, olive7, olive8",
        "int2..int8, uint2..uint8, fp16, olive4, olive5, olive6, olive7, olive8", PeKeys.Overflow)
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => pe.Accumulator is IntFormat ? PeArithmetic.OliveIntegerPasses : PeArithmetic.OliveWeightsFp32Passes;

        // A 4-bit OliVe weight runs the same cycles whatever the recipe calls it (BitMoD's simulator: W4 × FP16, 1 MAC/cycle).
        public override bool RunsNatively(PeSpec pe, NumberFormat w, NumberFormat a) =>
            w.Bits == pe.WeightFormat.Bits && a.Name == pe.ActivationFormat.Name;

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            // One pair decoder per two lanes: identifier compare on both codes, abfloat exponent-to-shift, and the
            // muxes that send the outlier to its lane and zero to the victim (OliVe §IV decoder).
            int pairs = (b.K + 1) / 2;
            b.Add("pair_decoder", pairs, 1, P.Mux(2, 2 * b.W.Bits) + P.Add(b.W.ExpBits) + P.Mux(3, b.W.SigBits));
            if (b.A.Format is OliveFormat)
                b.Add("activation_pair_decoder", pairs, 1, P.Mux(2, 2 * b.A.Bits) + P.Add(b.A.ExpBits) + P.Mux(3, b.A.SigBits));
            int span = OperandShape.ExactProductSpan(b.W, b.A);
            b.Add("multiplier", b.K, 1, P.Mul(b.W.SigBits, b.A.SigBits));
            b.Add("product_shifter", b.K, 1, P.Shift(span));
            b.Add("adder_tree", b.K - 1, 1, P.Add(span + b.Log2K));
            b.Accumulate(span + b.Log2K);
        }
    }
}
