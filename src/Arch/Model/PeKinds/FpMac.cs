using Mantissa.Arch.Cost;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>fp_mac: an IEEE fp16/bf16/fp32 multiplier and floating-point adders (cost and timing only; no functional model).</summary>
    public static readonly PeKind FpMac = new FpMacKind();

    private sealed class FpMacKind() : PeKind("fp_mac", "fp16, bf16, fp32", "fp16, bf16, fp32")
    {
        internal override void Compose(PeDatapathBuilder b, PeSpec pe) => b.FloatProductsAndSum("fp_mac");
    }
}
