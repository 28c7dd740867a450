using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>simd_mac (XR-NPE): dot_width 16-bit datapaths, each split into 16/bits lanes of FP4 or posit4/8/16.</summary>
    public static readonly PeKind SimdMac = new SimdMacKind();

    /// <summary>Width of one simd_mac datapath; lanes are 16 / operand bits (XR-NPE, pe-models.md §2.2 E).</summary>
    public const int SimdDatapathBits = 16;

    /// <summary>Lanes a 16-bit SIMD datapath splits into for operands of <paramref name="bits"/> bits (4, 8 or 16).</summary>
    public static int SimdLanes(int bits) => bits switch
    {
        4 => 4,
        8 => 2,
        16 => 1,
        _ => throw new MantissaException($"simd_mac supports 4-, 8- and 16-bit operands (fp4e2m1, posit4es1, posit8es0, posit16es1); got {bits} bits"),
    };

    private sealed class SimdMacKind() : PeKind("simd_mac", "fp4e2m1, posit4es1, posit8es0, posit16es1",
        "fp4e2m1, posit4es1, posit8es0, posit16es1", LanesKey)
    {
        // The lane count follows from the operand width; more datapaths per PE are dot_width. A written `lanes` is checked
        // against it rather than silently ignored.
        private static readonly PeIntegerKey LanesKey = PeKey.Integer("lanes",
            "lanes of the 16-bit datapath; optional, must equal 16 / operand bits (more datapaths per PE: dot_width)", 1, 64,
            p => p.Lanes, (p, v) => p with { Lanes = v },
            problem: b => b.Parameters.Lanes is var lanes && DerivedLanes(b.Weights, b.Activations) is var d && lanes != d
                ? $"a {SimdDatapathBits}-bit simd_mac datapath splits into {d} lanes for {Math.Max(b.Weights.Bits, b.Activations.Bits)}-bit operands, not {lanes}; use dot_width for more datapaths per PE"
                : null, derivedDefault: "16 / operand bits");

        private static int DerivedLanes(NumberFormat w, NumberFormat a) => Math.Max(1, SimdDatapathBits / Math.Max(w.Bits, a.Bits));

        private protected override bool SumsPositsInQuire => true;

        public override IEnumerable<PeProblem> Problems(PeBinding pe, Func<string, bool> written)
        {
            if (pe.Weights != pe.Activations)
                yield return new PeProblem("activations", $"simd_mac runs one format at a time: activations ({pe.Activations.Name}) must match weights ({pe.Weights.Name})");
            foreach (var problem in base.Problems(pe, written)) yield return problem;
        }

        public override PeParameters Complete(PeParameters p, NumberFormat weights, NumberFormat activations, NumberFormat accumulator) =>
            p with { Lanes = DerivedLanes(weights, activations) };

        public override PeArithmetic? Arithmetic(PeSpec pe) => PeArithmetic.ExactSumRoundedOnce;

        // Posit lanes sum into a quire and round once into the operand posit (XR-NPE); FP4 lanes round to fp32.
        public override string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) =>
            weights is PositFormat && activations is PositFormat ? "quire" : "fp32";

        public override PeCycles Cycles(PeSpec pe, int weightBits, int activationBits)
        {
            int lanes = SimdLanes(weightBits);
            return new PeCycles(pe.DotWidth * lanes, 1, 0, 0, 0, lanes);
        }

        // A 16-bit SIMD datapath splits into lanes of any member of its family.
        public override bool RunsNatively(PeSpec pe, NumberFormat w, NumberFormat a) =>
            w.GetType() == pe.WeightFormat.GetType() && a.GetType() == pe.ActivationFormat.GetType() && w.Name == a.Name
            && w.Bits is 4 or 8 or 16;

        public override IEnumerable<(NumberFormat Weight, NumberFormat Activation)> OtherFormats(PeSpec pe)
        {
            foreach (var f in Family(pe.WeightFormat))
                if (f.Bits != pe.WeightFormat.Bits) yield return (f, f);
        }

        // The 4/8/16-bit members of the weight format's family that a 16-bit SIMD lane splits into.
        private static IEnumerable<NumberFormat> Family(NumberFormat f) => f switch
        {
            IntFormat i => new[] { 4, 8, 16 }.Select(b => (NumberFormat)new IntFormat(b, i.Signed)),
            PositFormat => new[] { "posit4es1", "posit8es0", "posit16es1" }.Select(NumberFormat.Parse),
            FloatFormat => new[] { "fp4e2m1", "fp8e4m3", "fp16" }.Select(NumberFormat.Parse),
            _ => Array.Empty<NumberFormat>(),
        };

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            var (w, a) = (b.W, b.A);
            int n = Math.Max(w.Bits, a.Bits);
            if (n > SimdDatapathBits)
                throw new MantissaException($"simd_mac: lanes are {SimdDatapathBits} bits wide; format '{(w.Bits >= a.Bits ? w : a).Format.Name}' has {n} bits");
            int lanes = b.K; // 16-bit datapaths per PE (dot_width); each splits into 16/bits sub-lanes
            int sub = SimdDatapathBits / n;
            // One significand multiplier array per datapath, as wide as the widest mode (posit16es1), partitioned into sub-word
            // products in the narrow modes: one gating cell per partial-product bit kills the cross terms.
            int s16 = OperandShape.Of(NumberFormat.Parse("posit16es1")).SigBits;
            b.Add("simd_multiplier", lanes, 1, P.Mul(s16, s16) + P.Mux(2, s16 * s16));
            if (!w.IsInteger)
                b.Add("exponent_adder", lanes * sub, 1, P.Add(Math.Max(w.ExpBits, a.ExpBits) + 1));
            if (w.IsPosit)
                b.Add("regime_decoder", 2 * lanes * sub, 1, P.Lzd(n) + P.Shift(n));
            if (pe.Accumulator is ExactAccumulatorFormat && w.IsPosit)
            {
                // One quire per 16-bit datapath, sized for the widest mode (posit16es1, which the engine always runs) and split
                // into the sub-lanes' narrower quires in 8- and 4-bit modes: the same exact-accumulation rule as posit_mac.
                var p16 = OperandShape.Of(NumberFormat.Parse("posit16es1"));
                int quire = OperandShape.ExactProductSpan(p16, p16) + b.Log2K;
                double window = PeDatapathBuilder.WindowActivity(2 * p16.SigBits + 1 + b.Log2K, quire);
                b.Add("quire_alignment", lanes, 1, P.Place(2 * p16.SigBits, quire));
                b.Add("quire_adder", lanes, window, P.Add(quire));
                b.Add("quire_register", lanes, window, P.Reg(quire));
                b.Add("regime_encoder", lanes, 1, P.Lzd(quire) + P.Shift(SimdDatapathBits) + P.Add(SimdDatapathBits));
            }
            else b.Accumulate(2 * n, count: lanes * sub);
            b.RegisterDataflow = Dataflow.OS;
        }
    }
}
