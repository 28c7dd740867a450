using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>shift_add (MixPE): each weight bit selects a shifted activation; partials summed, dequantized once per group.</summary>
    public static readonly PeKind ShiftAdd = new ShiftAddKind();

    private sealed class ShiftAddKind() : PeKind("shift_add", "int2..int8, uint2..uint8", "int8, fp16", PeKeys.GroupSize, PeKeys.Overflow)
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => PeArithmetic.DequantizedGroups;

        /// <summary>MixPE dequantizes each group's integer sum into an fp32 accumulator.</summary>
        public override string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) => "fp32";

        public override PeCycles Cycles(PeSpec pe, int weightBits, int activationBits) =>
            new(pe.DotWidth, 1, 0, Math.Max(0, pe.Parameters.GroupSize), 1, 1);

        public override bool RunsNatively(PeSpec pe, NumberFormat w, NumberFormat a) =>
            a.Name == pe.ActivationFormat.Name && w is IntFormat { IntBits: >= 2 and <= 8 };

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            if (!b.W.IsInteger) throw new MantissaException($"shift_add: weights must be an integer format, got '{b.W.Format.Name}'");
            int pa = b.A.SigBits;
            b.Add("partial_select", b.K * b.W.Bits, 1, P.Mux(2, pa));
            b.Add("shift_add", b.K * (b.W.Bits - 1), 1, P.Add(pa + b.W.Bits));
            // The group's partial sum P_g and activation sum S_g are exact (fixed point on the fp16 LSB for fp16 activations).
            int treeWidth = b.ExactLanesAndTree(pa + b.W.Bits, b.A, out int significant);
            b.GroupAccumulate(treeWidth, 1, sums: 2, significant: significant);
        }
    }
}
