using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>OliVe's PE on hand-worked pairs (the exhaustive and random checks run with the other configurations).</summary>
public class OliveMacPeTests
{
    private static PeModel Pe(string w, string a, string? acc = null, int dot = 4, string overflow = "wrap")
    {
        var opts = new List<(string, string)> { ("kind", "olive_mac"), ("weights", w), ("activations", a), ("dot_width", dot.ToString()) };
        if (overflow != "wrap") opts.Add(("overflow", overflow));
        if (acc is not null) opts.Add(("accumulator", acc));
        return PeFactory.Create(PeOptions.Bind(opts, "test"));
    }

    [Fact]
    public void AnOutlierPairDecodesToTheOutlierAndAPrunedVictim()
    {
        // OutlierVictimPair(4).Encode(3.2, 50) = 0x58: the victim (low) holds the identifier 1000, 48 is abfloat4 0101.
        Assert.Equal(0x58ul, new OutlierVictimPair(4).Encode(3.2, 50));
        var pe = Pe("olive4", "int4");
        var r = pe.Dot(new uint[] { 0x3, 0x2, 0x7, 0xF }, new uint[] { 0x8, 0x5, 0x7, 0x9 });
        // Pair 2 is normal: 7 and 1001 = −7.
        Assert.Equal(0 * 3 + 48 * 2 + 7 * 7 + -7 * -1, (int)r.Code);
        Assert.Equal(1, r.Cycles);
        Assert.Equal("int32", pe.Output.Name);
    }

    [Fact]
    public void NegativeOutliersAndAnOddLastElement()
    {
        var pe = Pe("olive4", "int8", dot: 1);
        // abfloat4 1111 = −96 in the high lane; the odd last element pairs with code 0 and stays a normal int.
        var r = pe.Dot(new uint[] { 0x10, 0x03, 0x05 }, new uint[] { 0x8, 0xF, 0x3 });
        Assert.Equal(0 + -96 * 3 + 3 * 5, (int)r.Code);
        Assert.Equal(3, r.Cycles);
    }

    [Fact]
    public void Fp16ActivationsRoundOncePerPassIntoFp32()
    {
        var pe = Pe("olive4", "fp16", dot: 2);
        Assert.Equal("fp32", pe.Output.Name);
        var fp16 = (ScalarFormat)NumberFormat.Parse("fp16");
        var fp32 = (ScalarFormat)NumberFormat.Parse("fp32");
        uint one5 = (uint)fp16.FromDouble(1.5), quarter = (uint)fp16.FromDouble(-0.25);
        var r = pe.Dot(new uint[] { one5, quarter }, new uint[] { 0x8, 0x6 });   // 0·1.5 + 64·(−0.25)
        Assert.Equal(-16.0, fp32.ToDouble(r.Code));
    }

    [Fact]
    public void W4A4ModeDecodesActivationPairsToo()
    {
        // OliVe's W4A4 mode: both operands are outlier-victim pairs. Activation pair 0x58 = (victim 0, outlier 48);
        // weight pair 0x8 0x5 = (victim 0, outlier 48); second pairs are normal ints 7, −7 and 3, −1.
        var pe = Pe("olive4", "olive4", dot: 2);
        Assert.Equal("int32", pe.Output.Name);
        var r = pe.Dot(new uint[] { 0x8, 0x5, 0x3, 0xF }, new uint[] { 0x8, 0x5, 0x7, 0x9 });
        Assert.Equal(0 * 0 + 48 * 48 + 3 * 7 + -1 * -7, (int)r.Code);
        Assert.Equal(2, r.Cycles);
        // Two negative outliers multiply to a positive product: abfloat4 1111 = −96 in both high lanes.
        var n = pe.Dot(new uint[] { 0x8, 0xF }, new uint[] { 0x8, 0xF });
        Assert.Equal(96 * 96, (int)n.Code);
    }

    [Fact]
    public void W4A4ModeCostsASecondPairDecoder()
    {
        var w4a4 = PeDatapath.Build(PeOptions.Bind([("kind", "olive_mac"), ("weights", "olive4"), ("activations", "olive4"), ("dot_width", "4")], "test"));
        var w4a8 = PeDatapath.Build(PeOptions.Bind([("kind", "olive_mac"), ("weights", "olive4"), ("activations", "int4"), ("dot_width", "4")], "test"));
        Assert.Equal(2.0, w4a4.Components.Single(c => c.Name == "activation_pair_decoder").Count);
        Assert.DoesNotContain(w4a8.Components, c => c.Name == "activation_pair_decoder");
        Assert.True(w4a4.AreaUm2 > w4a8.AreaUm2);
    }

    [Fact]
    public void BitModsOliveBaselineRunsFourBitWeightsNatively()
    {
        var spec = PeOptions.Bind([("kind", "olive_mac"), ("weights", "olive4"), ("activations", "fp16")], "test");
        var ops = PeOperandFormats.Resolve(spec, NumberFormat.Parse("int4"), NumberFormat.Parse("fp16"));
        Assert.Equal(1, ops.Cycles.MacsPerPass);
        Assert.True(ops.Native);
    }

    [Fact]
    public void ItRejectsWhatItCannotRun()
    {
        var e = Assert.ThrowsAny<Exception>(() => PeOptions.Bind([("kind", "olive_mac"), ("weights", "int4"), ("activations", "int8")], "test"));
        Assert.Contains("olive4", e.Message);
        var f = Assert.Throws<MantissaException>(() => NumberFormat.Parse("olive3"));
        Assert.Contains("olive element width must be 4..8", f.Message);
        var g = Assert.ThrowsAny<MantissaException>(() => Pe("olive4", "fp16", acc: "fp16"));
        Assert.Contains("fp32 accumulator", g.Message);
    }
}
