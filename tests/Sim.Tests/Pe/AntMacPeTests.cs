using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>ANT's PE on hand-worked dot products (the exhaustive and random checks run with the other configurations).</summary>
public class AntMacPeTests
{
    private static PeModel Pe(string w, string a, string acc = "int32", int dot = 4, string overflow = "wrap") =>
        PeFactory.Create(PeOptions.Bind([("kind", "ant_mac"), ("weights", w), ("activations", a), ("accumulator", acc),
            ("dot_width", dot.ToString()), ("overflow", overflow)], "test"));

    [Fact]
    public void FlintTimesIntIsTheExactIntegerProduct()
    {
        var pe = Pe("flint4", "int4");
        // flint4 codes: 0111 = 16, 0101 = 6, 1011 = −3 (sign-magnitude); int4: 3, −2, 7
        var r = pe.Dot(new uint[] { 0x3, 0xE, 0x7 }, new uint[] { 0x7, 0x5, 0xB });
        Assert.Equal(16 * 3 + 6 * -2 + -3 * 7, (int)r.Code);
        Assert.Equal(1, r.Cycles);
    }

    [Fact]
    public void UnsignedFlintUsesItsFloatHalf()
    {
        var pe = Pe("uflint8", "int8", dot: 2);
        var f = (ScalarFormat)NumberFormat.Parse("uflint8");
        uint big = 0xFD, small = (uint)f.FromDouble(100);        // 111111·0·1 = (2+1)·2^11 = 6144; 100 is an integer-half code
        Assert.Equal(6144.0, f.ToDouble(big));
        Assert.Equal(100u, small);
        var r = pe.Dot(new uint[] { 0x02, 0xFF }, new uint[] { big, small });    // 2·6144 + (−1)·100
        Assert.Equal(12188, (int)r.Code);
    }

    [Fact]
    public void SaturationClampsThePassSum()
    {
        var pe = Pe("pot4", "int8", acc: "int16", dot: 1, overflow: "saturate");
        var w = Enumerable.Repeat(0x7u, 5).ToArray();           // pot4 code 0111 = 64
        var a = Enumerable.Repeat(0x7Fu, 5).ToArray();          // 127: five passes of 8128 pass int16's 32767
        Assert.Equal(short.MaxValue, (short)pe.Dot(a, w).Code);
    }

    [Fact]
    public void ItRejectsFormatsItCannotRun()
    {
        var e = Assert.ThrowsAny<Exception>(() => PeOptions.Bind([("kind", "ant_mac"), ("weights", "fp8e4m3"), ("activations", "int8")], "test"));
        Assert.Contains("flint4", e.Message);
        var p = Assert.ThrowsAny<Exception>(() => PeOptions.Bind([("kind", "ant_mac"), ("weights", "pot8"), ("activations", "int8")], "test"));
        Assert.Contains("pot", p.Message);
    }
}
