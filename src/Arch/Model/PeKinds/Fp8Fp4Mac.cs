using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>
    /// fp8_fp4_mac: a dual-mode MAC whose 8-bit datapath runs one fp8 (E4M3/E5M2) product per cycle or splits into two 4-bit
    /// lanes running two fp4 (E2M1) products per cycle; exact products are summed in one fixed-point (Kulisch) accumulator
    /// sized for the widest mode and rounded to fp32 once per dot product.
    /// </summary>
    public static readonly PeKind Fp8Fp4Mac = new Fp8Fp4MacKind();

    private sealed class Fp8Fp4MacKind() : PeKind("fp8_fp4_mac", "fp8e4m3, fp8e5m2, fp4e2m1", "fp8e4m3, fp8e5m2, fp4e2m1")
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => PeArithmetic.ExactSumRoundedOnce;

        private static readonly NumberFormat E4M3 = NumberFormat.Parse("fp8e4m3"), E5M2 = NumberFormat.Parse("fp8e5m2"),
            E2M1 = NumberFormat.Parse("fp4e2m1");

        public override string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) => "exact";

        public override string? AccumulatorProblem(NumberFormat accumulator, NumberFormat weights, NumberFormat activations) => accumulator is ExactAccumulatorFormat ? null
            : $"fp8_fp4_mac accumulates exactly in a fixed-point (Kulisch) register; use accumulator: exact, got '{accumulator.Name}'";

        // Two 4-bit lanes per 8-bit datapath when both operands are fp4; one product otherwise (an fp4 × fp8 pair uses the
        // whole 8-bit lane).
        public override PeCycles Cycles(PeSpec pe, int weightBits, int activationBits)
        {
            int lanes = weightBits == 4 && activationBits == 4 ? 2 : 1;
            return new PeCycles(pe.DotWidth * lanes, 1, 0, 0, 0, lanes);
        }

        public override bool RunsNatively(PeSpec pe, NumberFormat w, NumberFormat a) => Supports(w, a);

        public override IEnumerable<(NumberFormat Weight, NumberFormat Activation)> OtherFormats(PeSpec pe)
        {
            foreach (var f in new[] { E4M3, E5M2, E2M1 })
                if (f.Name != pe.WeightFormat.Name || f.Name != pe.ActivationFormat.Name) yield return (f, f);
        }

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            if (AccumulatorProblem(pe.Accumulator, pe.WeightFormat, pe.ActivationFormat) is { } why) throw new MantissaException(why);
            // The hardware is the same whatever the configured mode: sized for the widest formats it runs.
            var (e4, e5, f4) = (OperandShape.Of(E4M3), OperandShape.Of(E5M2), OperandShape.Of(E2M1));
            int sig8 = Math.Max(e4.SigBits, e5.SigBits), exp8 = Math.Max(e4.ExpBits, e5.ExpBits);
            double fp4Lane = b.W.Bits == 4 && b.A.Bits == 4 ? 1 : 0; // the second lane switches only in fp4 mode
            // One significand multiplier array per datapath, partitioned into two fp4 sub-products: one gating cell per
            // partial-product bit kills the cross terms (the same partitioning rule as simd_mac).
            b.Add("dual_multiplier", b.K, 1, P.Mul(sig8, sig8) + P.Mux(2, sig8 * sig8));
            b.Add("exponent_adder", b.K, 1, P.Add(exp8 + 1));
            b.Add("lane1_exponent_adder", b.K, fp4Lane, P.Add(f4.ExpBits + 1));
            // One Kulisch register spanning every product the unit forms; lane 1 (fp4 × fp4 only) is placed within the fp4
            // product span, hard-wired at its offset in the accumulator.
            int kulisch = Math.Max(OperandShape.ExactProductSpan(e5, e5), OperandShape.ExactProductSpan(e4, e4)) + b.Log2K;
            int span4 = OperandShape.ExactProductSpan(f4, f4) + b.Log2K;
            b.Add("kulisch_alignment", b.K, 1, P.Place(2 * sig8, kulisch));
            b.Add("lane1_alignment", b.K, fp4Lane, P.Place(2 * f4.SigBits, span4));
            double window = PeDatapathBuilder.WindowActivity(2 * sig8 + 1 + b.Log2K, kulisch);
            b.Add("adder_tree", b.K - 1, window, P.Add(kulisch));
            b.Add("lane1_adder_tree", b.K, fp4Lane, P.Add(span4 + 1)); // K lane-1 products into one, plus the merge into lane 0's sum
            b.Add("kulisch_adder", 1, window, P.Add(kulisch));
            b.Add("kulisch_register", 1, window, P.Reg(kulisch));
            b.Add("normalizer", 1, 1, P.Lzd(kulisch) + P.Place(PeDatapathBuilder.RoundedSigBits, kulisch));
            // The builder sizes operand registers as K words of the configured width; in fp4 mode each 8-bit register holds
            // two fp4 operands, so the other half is added here (8 bits per operand per datapath in either mode).
            if (b.W.Bits == 4) b.Add("lane1_weight_registers", 1, 0, P.Reg(b.K * 4));
            if (b.A.Bits == 4) b.Add("lane1_activation_registers", 1, 1, P.Reg(b.K * 4));
        }
    }
}
