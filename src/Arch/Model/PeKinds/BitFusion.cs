using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>
    /// bit_fusion: Bit Fusion's Fusion Unit (Sharma et al., ISCA 2018): 16 BitBricks, each a 2-bit × 2-bit multiplier
    /// with a sign-extension bit per operand, fused at run time into 1, 2, 4, 8 or 16 fused PEs by a shift-add tree; the
    /// fused products of one pass are summed into one partial sum. dot_width counts Fusion Units per PE.
    /// </summary>
    public static readonly PeKind BitFusion = new BitFusionKind();

    /// <summary>BitBricks per Fusion Unit (Bit Fusion, ISCA 2018: a 4×4 grid; act-lab.org/artifacts/bitfusion).</summary>
    public const int BitFusionBricks = 16;

    /// <summary>Operand bits one BitBrick takes (2, plus a sign-extension bit).</summary>
    public const int BitBrickBits = 2;

    /// <summary>Widest operand a Fusion Unit fuses spatially (16 bricks = 4 × 4 digits of 2 bits: 8 × 8).</summary>
    public const int BitFusionMaxBits = 8;

    /// <summary>
    /// The width an operand of <paramref name="bits"/> bits runs at on a Fusion Unit: bricks fuse in powers of two
    /// (Bit Fusion: "1, 2, 4, 8 and 16 F-PEs"), so operands take 2, 4 or 8 bits.
    /// </summary>
    public static int BitFusionWidth(int bits)
    {
        if (bits < 1 || bits > BitFusionMaxBits)
            throw new MantissaException($"bit_fusion fuses operands of 1 to {BitFusionMaxBits} bits, got {bits} bits");
        int w = BitBrickBits;
        while (w < bits) w *= 2;
        return w;
    }

    /// <summary>Products one Fusion Unit forms per cycle: 16 / (weight digits × activation digits) (8×8: 1, 8×4: 2, 4×4 and 8×2: 4, 2×2: 16).</summary>
    public static int BitFusionProducts(int weightBits, int activationBits) =>
        BitFusionBricks / (BitFusionWidth(weightBits) / BitBrickBits * (BitFusionWidth(activationBits) / BitBrickBits));

    private sealed class BitFusionKind() : PeKind("bit_fusion", "int2..int8, uint2..uint8", "int2..int8, uint2..uint8", PeKeys.Overflow)
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => PeArithmetic.FusedIntegerPasses;

        public override PeCycles Cycles(PeSpec pe, int weightBits, int activationBits) =>
            new(pe.DotWidth * BitFusionProducts(weightBits, activationBits), 1, 0, 0, 0, 1);

        // Any integer of 2..8 bits runs natively: the bricks refuse for the narrower width.
        public override bool RunsNatively(PeSpec pe, NumberFormat w, NumberFormat a) =>
            w is IntFormat { IntBits: >= 2 and <= BitFusionMaxBits } && a is IntFormat { IntBits: >= 2 and <= BitFusionMaxBits };

        public override IEnumerable<(NumberFormat Weight, NumberFormat Activation)> OtherFormats(PeSpec pe)
        {
            if (pe.WeightFormat is not IntFormat wi || pe.ActivationFormat is not IntFormat ai) yield break;
            foreach (var (wb, ab) in new[] { (8, 8), (4, 8), (8, 4), (4, 4), (2, 8), (2, 2) })
                if (wb != BitFusionWidth(wi.IntBits) || ab != BitFusionWidth(ai.IntBits))
                    yield return (new IntFormat(wb, wi.Signed), new IntFormat(ab, ai.Signed));
        }

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            b.RequireInteger("bit_fusion");
            int units = b.K;
            const int brickProduct = 2 * (BitBrickBits + 1);   // 3-bit × 3-bit signed product
            // A two-level shift-add tree, the structure 2/4/8-bit fusion of a 4×4 brick grid implies (the paper's RTL is
            // not public, so the grouping is an assumption): four clusters of 2×2 bricks, each brick product shifted by
            // 0, 2 or 4 (a 3:1 mux) and summed into a 4×4-bit product; then the four cluster sums shifted by 0, 4 or 8
            // and summed into an 8×8-bit product (or the sum of the unit's 2, 4 or 16 narrower products).
            const int clusterWidth = brickProduct + 4 + 2;        // shifted by up to 4, plus the carries of 4 terms
            const int unitWidth = 2 * BitFusionMaxBits + 2;       // the widest fused product plus the carries of 4 terms
            b.Add("bitbrick", units * BitFusionBricks, 1, P.Mul(BitBrickBits + 1, BitBrickBits + 1));
            b.Add("brick_shift_mux", units * BitFusionBricks, 1, P.Mux(3, brickProduct + 4));
            b.Add("cluster_adder", units * 4 * 3, 1, P.Add(clusterWidth));
            b.Add("cluster_shift_mux", units * 4, 1, P.Mux(3, clusterWidth + 8));
            b.Add("unit_adder", units * 3, 1, P.Add(unitWidth));
            int treeWidth = unitWidth;
            b.Add("unit_adder_tree", units - 1, 1, P.Add(treeWidth + b.Log2K));
            b.Accumulate(treeWidth + b.Log2K);
            // No per-brick operand latches: the authors' area/power breakdown of the spatial 8-bit Fusion Unit (TSMC 45 nm,
            // hsharma35/bitfusion results/fusion_breakdown.xlsx) has 90.8 um2 of registers, about 20 flip-flops, against
            // 369.2 um2 of BitBricks and 933.7 um2 of shift-add logic: the unit's registers are its operand registers (the
            // builder's, 8 + 8 bits at 8x8), not 2 bits per brick per operand (64 bits).
        }
    }
}
