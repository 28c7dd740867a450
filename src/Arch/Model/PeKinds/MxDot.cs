using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>mx_dot (OCP MX v1.0): exact block dot products of element pairs, a shared-scale exponent add, fp32 across blocks.</summary>
    public static readonly PeKind MxDot = new MxDotKind();

    // NVFP4 has the MX structure (element products times a shared scale), so the block dot product covers it too.
    private sealed class MxDotKind() : PeKind("mx_dot", "mx*, nvfp4", "mx*, nvfp4")
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => PeArithmetic.MxBlocks;

        /// <summary>One OCP MX block (32 elements) per pass.</summary>
        public override int DefaultDotWidth(PeParameters p) => 32;

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            var (w, a) = (b.W, b.A);
            b.Add("element_multiplier", b.K, 1, PeDatapathBuilder.ExactProduct(w, a));
            int span = OperandShape.ExactProductSpan(w, a) + b.Log2K;
            if (!(w.IsInteger && a.IsInteger)) b.Add("alignment_shifter", b.K, 1, P.Place(w.SigBits + a.SigBits, span));
            b.Add("adder_tree", b.K - 1, PeDatapathBuilder.WindowActivity(w.SigBits + a.SigBits + 1 + b.Log2K, span), P.Add(span));
            int block = pe.WeightFormat is BlockFormat bw ? bw.BlockSize : pe.ActivationFormat is BlockFormat ba ? ba.BlockSize : 0;
            var scale = (pe.WeightFormat as BlockFormat)?.Scale ?? (pe.ActivationFormat as BlockFormat)?.Scale;
            if (block > 0 && scale is not null)
            {
                double perCycle = Math.Min(1.0, (double)b.K / block);
                if (scale is FloatFormat sf) b.Add("scale_multiplier", 1, perCycle, P.FpMul(sf.MantissaBits + 1, sf.MantissaBits + 1));
                else b.Add("scale_exponent_adder", 1, perCycle, P.Add(scale.Bits + 1));
            }
            b.Add("normalizer", 1, 1, P.Lzd(span) + P.Place(PeDatapathBuilder.RoundedSigBits, span));
            b.Accumulate(span);
        }
    }
}
