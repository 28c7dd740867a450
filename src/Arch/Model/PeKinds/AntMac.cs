using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>
    /// ant_mac: ANT's PE (Guo et al., MICRO 2022): each operand is an int, flint or power-of-two code; a decoder turns
    /// a flint/pot code into (sign, significand, shift) by leading-one detection, an integer multiplier forms the
    /// significand product, a shifter places it, and an integer adder tree and accumulator sum the exact products.
    /// With fp16 activations (ANT as BitMoD's baseline, 4-bit ANT weights × FP16) the multiplier takes the fp16
    /// significand, the exact pass sum is fixed-point, and an fp32 register accumulates the passes.
    /// </summary>
    public static readonly PeKind AntMac = new AntMacKind();

    private const string AntFormats = "int2..int8, uint2..uint8, flint3, flint4, flint5, flint6, flint7, flint8, " +
        "uflint2, uflint3, uflint4, uflint5, uflint6, uflint7, uflint8, pot2, pot3, pot4, pot5, upot2, upot3, upot4";

    private sealed class AntMacKind() : PeKind("ant_mac", AntFormats, AntFormats + ", fp16", PeKeys.Overflow)
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => pe.Accumulator is FloatFormat ? PeArithmetic.IntegerWeightsFp32Passes : PeArithmetic.IntegerPasses;

        public override string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) =>
            activations is FloatFormat ? "fp32" : "int32";

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            // One first-one decoder per ANT operand and lane (ANT decodes flint to an exponent-integer pair).
            if (b.W.Format is AntFormat) b.Add("weight_decoder", b.K, 1, P.Lzd(b.W.Bits));
            if (b.A.Format is AntFormat) b.Add("activation_decoder", b.K, 1, P.Lzd(b.A.Bits));
            int span = OperandShape.ExactProductSpan(b.W, b.A);
            b.Add("multiplier", b.K, 1, P.Mul(b.W.SigBits, b.A.SigBits));
            if (b.W.Format is AntFormat || b.A.Format is AntFormat) b.Add("product_shifter", b.K, 1, P.Place(b.W.SigBits + b.A.SigBits, span));
            b.Add("adder_tree", b.K - 1, 1, P.Add(span + b.Log2K));
            b.Accumulate(span + b.Log2K);
        }
    }
}
