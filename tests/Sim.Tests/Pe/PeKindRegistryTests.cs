using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>One descriptor per PE kind, and the functional model registered for it, agree on name and cycles.</summary>
public class PeKindRegistryTests
{
    [Fact]
    public void EveryKindHasOneNameAndEveryKindButFpMacAFunctionalModel()
    {
        var names = PeKind.All.Select(k => k.Name).ToList();
        Assert.Equal(names.Distinct().Count(), names.Count);
        Assert.Contains("int_mac", names);
        Assert.Equal(PeKind.All.Where(k => k != PeKind.FpMac).Select(k => k.Name), PeFactory.ModelledKinds.Select(k => k.Name));
        foreach (var k in PeFactory.ModelledKinds) Assert.Same(k, PeFactory.ParseKind(k.Name));
        var e = Assert.Throws<Mantissa.Arch.MantissaException>(() => PeFactory.Create(
            PeOptions.Bind([("kind", "fp_mac"), ("weights", "fp16"), ("activations", "fp16")], "test")));
        Assert.Contains("no functional model for PE kind fp_mac", e.Message);
    }

    [Theory]
    [InlineData("bit_serial", "int4", "int8", "bits_per_cycle", "2")]
    [InlineData("lut", "int2", "int8", "g", "4")]
    [InlineData("shift_add", "uint4", "int8", "group_size", "64")]
    [InlineData("simd_mac", "posit8es0", "posit8es0", "dot_width", "2")]
    [InlineData("mx_dot", "mxfp4", "mxfp4", "dot_width", "8")]
    [InlineData("minifloat_mac", "fp8e4m3", "fp4e2m1", "dot_width", "4")]
    [InlineData("posit_mac", "posit8es0", "posit8es0", "quire", "false")]
    [InlineData("int_mac", "int8", "int8", "overflow", "saturate")]
    [InlineData("ant_mac", "flint4", "int4", "dot_width", "4")]
    [InlineData("bit_fusion", "int4", "int8", "dot_width", "2")]
    [InlineData("olive_mac", "olive4", "fp16", "dot_width", "4")]
    public void TheFunctionalModelCountsTheDescriptorsCycles(string kind, string w, string a, string key, string value)
    {
        var spec = PeOptions.Bind([("kind", kind), ("weights", w), ("activations", a), (key, value)], "test");
        var model = PeFactory.Create(spec);
        Assert.Equal(spec.Kind.Cycles(spec, spec.WeightFormat.Bits, spec.ActivationFormat.Bits), model.Cycles);
        Assert.Equal(PeCycleModel.For(spec), model.Cycles);
    }

    [Fact]
    public void KindSpecificDefaultsComeFromTheDescriptor()
    {
        var lut = PeOptions.Bind([("kind", "lut"), ("weights", "int2"), ("activations", "int8"), ("g", "3")], "test");
        Assert.Equal(3, lut.DotWidth); // one lookup of g activations per pass
        var mx = PeOptions.Bind([("kind", "mx_dot"), ("weights", "mxfp4"), ("activations", "mxfp4")], "test");
        Assert.Equal(32, mx.DotWidth); // one OCP MX block per pass
        var bs = PeOptions.Bind([("kind", "bit_serial"), ("weights", "int4"), ("activations", "int8")], "test");
        Assert.Equal((1, 1), (bs.DotWidth, bs.Parameters.BitsPerCycle));
        Assert.Equal("fp32", PeOptions.Bind([("kind", "shift_add"), ("weights", "uint4"), ("activations", "int8")], "test").Accumulator.Name);
    }
}
