using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>
/// IEEE 754 §6.3 zero signs in the float datapaths (round to nearest): a sum of products that is exactly zero is −0 only
/// when every product is −0; x − x and mixed zeros give +0; a nonzero result that underflows to zero keeps its sign.
/// Group-dequantizing kinds (bit_serial, lut, shift_add, mx_dot) clear their fp32 register to +0 (see docs/pe.md).
/// </summary>
public class SignedZeroTests
{
    private static NumberFormat F(string n) => BitModFormat.ParseAny(n);

    private static uint Dot(PeModel pe, uint[] a, uint[] w) => (uint)pe.Dot(a, w, default, default).Code;

    private static MinifloatMacPe Minifloat(string fmt, bool exact, string acc = "fp32", string? output = null) =>
        new(new PeSpec(PeKind.MinifloatMac, F(fmt), F(fmt), F(acc), 1, new PeParameters { Quire = exact }),
            output is null ? null : (ScalarFormat)F(output));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Fp8ZeroSigns(bool exact)
    {
        var pe = Minifloat("fp8e4m3", exact);        // fp8e4m3: 0x38 = 1.0, 0xb8 = −1.0, 0x80 = −0
        const uint Pos = 0, Neg = 0x80000000;
        Assert.Equal(Neg, Dot(pe, new uint[] { 0x00 }, new uint[] { 0xb8 }));                  // (+0)·(−1) = −0
        Assert.Equal(Neg, Dot(pe, new uint[] { 0x00, 0x80 }, new uint[] { 0xb8, 0x38 }));      // −0 + −0 = −0
        Assert.Equal(Pos, Dot(pe, new uint[] { 0x00, 0x80 }, new uint[] { 0x38, 0x38 }));      // +0 + −0 = +0
        Assert.Equal(Pos, Dot(pe, new uint[] { 0x80 }, new uint[] { 0x80 }));                  // (−0)·(−0) = +0
        Assert.Equal(Pos, Dot(pe, new uint[] { 0x38, 0xb8 }, new uint[] { 0x38, 0x38 }));      // 1 − 1 = +0
        Assert.Equal(Pos, Dot(pe, new uint[] { 0x38, 0xb8, 0x00 }, new uint[] { 0x38, 0x38, 0xb8 })); // 1 − 1 + (−0) = +0
        Assert.Equal(Neg, Dot(pe, new uint[] { 0x80, 0x00, 0x80 }, new uint[] { 0x38, 0xb8, 0x38 }));
    }

    [Fact]
    public void UnderflowToZeroKeepsTheSign()
    {
        // fp8e5m2 code 0x01 is its smallest subnormal 2^-16, so (−2^-16)·2^-16 = −2^-32: below half of fp16's smallest
        // subnormal (2^-25), it rounds to zero, and the zero keeps the product's sign.
        var pe = Minifloat("fp8e5m2", exact: true, output: "fp16");
        Assert.Equal(0x8000u, Dot(pe, new uint[] { 0x81 }, new uint[] { 0x01 }));
        Assert.Equal(0x0000u, Dot(pe, new uint[] { 0x81 }, new uint[] { 0x81 }));
        var perAdd = Minifloat("fp8e5m2", exact: false, acc: "fp16");
        Assert.Equal(0x8000u, Dot(perAdd, new uint[] { 0x81 }, new uint[] { 0x01 }));
    }

    [Fact]
    public void SimdFp4LanesFollowTheSameRuleAndPaddingDoesNotVote()
    {
        var pe = new SimdMacPe(new PeSpec(PeKind.SimdMac, F("fp4e2m1"), F("fp4e2m1"), F("fp32"), 1, new PeParameters()));
        // fp4e2m1: 0x2 = 1.0, 0xa = −1.0, 0x8 = −0. K = 1: three zero-padded lanes are not terms.
        Assert.Equal(0x80000000u, Dot(pe, new uint[] { 0x0 }, new uint[] { 0xa }));
        Assert.Equal(0x00000000u, Dot(pe, new uint[] { 0x2, 0xa }, new uint[] { 0x2, 0x2 }));
    }

    [Fact]
    public void PositZeroHasNoSign()
    {
        var pe = new PositMacPe(new PeSpec(PeKind.PositMac, F("posit8es0"), F("posit8es0"), F("posit8es0"), 1, new PeParameters()), (ScalarFormat)F("fp32"));
        Assert.Equal(0u, Dot(pe, new uint[] { 0x00 }, new uint[] { 0xc0 }));                   // 0 · (−1) is 0, converted to +0
    }
}
