using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>int_mac: integer multipliers, an integer adder tree and an integer accumulator (wrap or saturate).</summary>
    public static readonly PeKind IntMac = new IntMacKind();

    private sealed class IntMacKind() : PeKind("int_mac", "int2..int32, uint1..uint32, ternary", "int2..int32, uint1..uint32", PeKeys.Overflow)
    {
        public override PeArithmetic? Arithmetic(PeSpec pe) => PeArithmetic.IntegerPasses;

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            b.RequireInteger("int_mac");
            b.Add("multiplier", b.K, 1, P.Mul(b.W.Bits, b.A.Bits));
            b.Add("adder_tree", b.K - 1, 1, P.Add(b.W.Bits + b.A.Bits + b.Log2K));
            b.Accumulate(b.W.Bits + b.A.Bits + b.Log2K);
        }
    }
}
