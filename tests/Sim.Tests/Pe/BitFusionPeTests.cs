using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>Bit Fusion's Fusion Unit: fused-mode rates from the paper and hand-worked dot products (the exhaustive checks run with the other configurations).</summary>
public class BitFusionPeTests
{
    private static PeSpec Spec(string w, string a, string acc = "int32", int dot = 1, string overflow = "wrap") =>
        PeOptions.Bind([("kind", "bit_fusion"), ("weights", w), ("activations", a), ("accumulator", acc),
            ("dot_width", dot.ToString()), ("overflow", overflow)], "test");

    [Theory]
    // Bit Fusion (ISCA'18, act-lab.org/artifacts/bitfusion): one 8-bit F-PE, four 8/2 or 4/4 F-PEs, sixteen 2/2 F-PEs;
    // 8/4 forms 2 (the MixPE/Bit Fusion simulators' floor(8/max(4,2))·floor(8/max(8,2)) = 2).
    [InlineData(8, 8, 1)]
    [InlineData(4, 8, 2)]
    [InlineData(8, 4, 2)]
    [InlineData(4, 4, 4)]
    [InlineData(2, 8, 4)]
    [InlineData(8, 2, 4)]
    [InlineData(2, 4, 8)]
    [InlineData(2, 2, 16)]
    [InlineData(3, 5, 2)]    // 3 bits fuse as 4, 5 as 8
    public void FusionUnitProductsPerCycleFollowThePaper(int wBits, int aBits, int products)
    {
        Assert.Equal(products, PeKind.BitFusionProducts(wBits, aBits));
        var pe = Spec("int8", "int8", dot: 2);
        Assert.Equal(2 * products, PeCycleModel.For(pe, wBits, aBits).MacsPerPass);
    }

    [Fact]
    public void WiderThanEightBitsIsAClearError()
    {
        var e = Assert.Throws<MantissaException>(() => PeKind.BitFusionProducts(16, 8));
        Assert.Contains("1 to 8 bits", e.Message);
        // The simulator then falls back to the configured formats (fp16 activations cannot fuse).
        var ops = PeOperandFormats.Resolve(Spec("int8", "int8"), NumberFormat.Parse("int4"), NumberFormat.Parse("fp16"));
        Assert.False(ops.Native);
        Assert.Equal(1, ops.Cycles.MacsPerPass);
    }

    [Fact]
    public void NarrowerIntegersRunNativelyAtTheFusedRate()
    {
        var ops = PeOperandFormats.Resolve(Spec("int8", "int8"), NumberFormat.Parse("int4"), NumberFormat.Parse("int8"));
        Assert.True(ops.Native);
        Assert.Equal(2, ops.Cycles.MacsPerPass);
    }

    [Fact]
    public void SignedDigitsAndUnsignedDigitsGiveTheExactProduct()
    {
        // int8 × int8: one product per cycle; −128 · 127 uses the signed top digits of both operands.
        var pe = PeFactory.Create(Spec("int8", "int8"));
        var r = pe.Dot(new uint[] { 0x80, 0x05 }, new uint[] { 0x7F, 0xFD });
        Assert.Equal(-128 * 127 + 5 * -3, (int)r.Code);
        Assert.Equal(2, r.Cycles);
        // uint8 activations (zero-extended top digit) × int2 weights: 4 products per pass, 5 products take 2 cycles.
        var mixed = PeFactory.Create(Spec("int2", "uint8"));
        var m = mixed.Dot(new uint[] { 0xFF, 0xFF, 0x80, 1, 2 }, new uint[] { 0x2, 0x1, 0x3, 0x2, 0x1 });
        Assert.Equal(255 * -2 + 255 * 1 + 128 * -1 + 1 * -2 + 2 * 1, (int)m.Code);
        Assert.Equal(2, m.Cycles);
    }

    [Fact]
    public void SaturationAppliesPerFusedPass()
    {
        // int2 × int2: 16 products per pass, each (−2)(−2) = 4: 64 per pass; an int8 register saturates after two passes.
        var pe = PeFactory.Create(Spec("int2", "int2", acc: "int8", overflow: "saturate"));
        var codes = Enumerable.Repeat(0x2u, 48).ToArray();
        var r = pe.Dot(codes, codes);
        Assert.Equal(3, r.Cycles);
        Assert.Equal(127, (sbyte)r.Code);
    }

    [Fact]
    public void ItRejectsFormatsItCannotFuse()
    {
        var e = Assert.ThrowsAny<Exception>(() => Spec("int16", "int8"));
        Assert.Contains("int2..int8", e.Message);
        var f = Assert.ThrowsAny<Exception>(() => Spec("int4", "fp8e4m3"));
        Assert.Contains("uint2..uint8", f.Message);
    }
}
