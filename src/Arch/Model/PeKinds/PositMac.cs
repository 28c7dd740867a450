using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>posit_mac: posit decoders, an exact significand multiplier, and a quire (default) or a posit fma per term.</summary>
    public static readonly PeKind PositMac = new PositMacKind();

    private sealed class PositMacKind() : PeKind("posit_mac", "posit*", "posit*", "quire")
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => pe.Parameters.Quire ? PeArithmetic.ExactSumRoundedOnce : PeArithmetic.PositFmaPerProduct;

        public override string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) => "quire";

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
