using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>posit_mac: posit decoders, an exact significand multiplier, and a quire (default) or a posit fma per term.</summary>
    public static readonly PeKind PositMac = new PositMacKind();

    private sealed class PositMacKind() : PeKind("posit_mac", "posit*", "posit*", QuireKey)
    {
        private static readonly PeFlagKey QuireKey = PeKey.Flag("quire", "false accumulates with a posit fma per term (into the wider operand posit unless accumulator says otherwise)",
            p => p.Quire, (p, v) => p with { Quire = v },
            problem: b => (b.Parameters.Quire, b.Accumulator) switch
            {
                (false, ExactAccumulatorFormat { IsQuire: true }) => "quire: false contradicts accumulator: quire",
                (true, { } acc and not ExactAccumulatorFormat) => $"quire: true contradicts accumulator: {acc.Name}",
                _ => null,
            }, problemAtKey: true);

        public override PeArithmetic? Arithmetic(PeSpec pe) => pe.Parameters.Quire ? PeArithmetic.ExactSumRoundedOnce : PeArithmetic.PositFmaPerProduct;

        private protected override bool SumsPositsInQuire => true;

        // quire: false without an accumulator rounds every product into the wider operand posit.
        public override string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) =>
            p.Quire ? "quire" : (weights.Bits >= activations.Bits ? weights : activations).Name;

        // A posit accumulator is a posit fma per term.
        public override string? AccumulatorProblem(NumberFormat accumulator, NumberFormat weights, NumberFormat activations) =>
            accumulator is PositFormat ? null : base.AccumulatorProblem(accumulator, weights, activations);

        public override PeParameters Complete(PeParameters p, NumberFormat weights, NumberFormat activations, NumberFormat accumulator) =>
            p with { Quire = accumulator is ExactAccumulatorFormat };

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            var (w, a) = (b.W, b.A);
            if (!w.IsPosit || !a.IsPosit)
                throw new MantissaException($"posit_mac: weights and activations must be posit formats, got '{w.Format.Name}' and '{a.Format.Name}'");
            b.Add("regime_decoder", 2 * b.K, 1, P.Lzd(w.Bits) + P.Shift(w.Bits));
            b.Add("significand_multiplier", b.K, 1, P.Mul(w.SigBits, a.SigBits));
            b.Add("scale_adder", b.K, 1, P.Add(Math.Max(w.ExpBits, a.ExpBits) + 1));
            int n = Math.Max(w.Bits, a.Bits);
            if (pe.Parameters.Quire)
            {
                int quire = OperandShape.ExactProductSpan(w, a) + b.Log2K;
                b.Add("quire_alignment", b.K, 1, P.Place(w.SigBits + a.SigBits, quire));
                double window = PeDatapathBuilder.WindowActivity(w.SigBits + a.SigBits + 1 + b.Log2K, quire);
                b.Add("adder_tree", b.K - 1, window, P.Add(quire));
                b.Add("quire_adder", 1, window, P.Add(quire));
                b.Add("quire_register", 1, window, P.Reg(quire));
                // Charged every cycle: an upper bound for the once-per-dot-product rounding back to a posit.
                b.Add("regime_encoder", 1, 1, P.Lzd(quire) + P.Shift(n) + P.Add(n));
            }
            else
            {
                int sig = w.SigBits + a.SigBits;
                b.Add("product_adder", b.K, 1, P.FpAdd(sig));
                b.Add("regime_encoder", b.K, 1, P.Lzd(sig) + P.Shift(n) + P.Add(n));
                b.Add("accumulator_register", 1, 1, P.Reg(pe.Accumulator.Bits));
            }
        }
    }
}
