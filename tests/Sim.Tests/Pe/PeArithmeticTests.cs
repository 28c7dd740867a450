using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Sim.Pe;
using Mantissa.Verification;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>The reference rule is declared by the kind's descriptor (PeKind.Arithmetic), not found from the model's type.</summary>
public class PeArithmeticTests
{
    [Fact]
    public void EveryCheckedConfigurationDeclaresARule()
    {
        foreach (var c in PeConfigurations.All)
            Assert.True(c.Kind.Arithmetic(c.Spec) is not null, $"{c.Kind.Name} '{c.Label}' declares no reference rule");
        Assert.Null(PeKind.FpMac.Arithmetic(PeOptions.Bind([("kind", "fp_mac"), ("weights", "fp16"), ("activations", "fp16")], "t")));
    }

    [Theory]
    [InlineData("posit_mac", "posit8es0", "posit8es0", null, PeArithmetic.ExactSumRoundedOnce)]
    [InlineData("posit_mac", "posit8es0", "posit8es0", "posit8es0", PeArithmetic.PositFmaPerProduct)]
    [InlineData("minifloat_mac", "fp8e4m3", "fp8e4m3", null, PeArithmetic.ExactSumRoundedOnce)]
    [InlineData("minifloat_mac", "fp8e4m3", "fp8e4m3", "fp32", PeArithmetic.FloatAddPerProduct)]
    [InlineData("fp8_fp4_mac", "fp4e2m1", "fp4e2m1", null, PeArithmetic.ExactSumRoundedOnce)]
    [InlineData("ant_mac", "flint4", "int4", null, PeArithmetic.IntegerPasses)]
    [InlineData("ant_mac", "flint4", "fp16", null, PeArithmetic.IntegerWeightsFp32Passes)]
    [InlineData("olive_mac", "olive4", "int4", null, PeArithmetic.OliveIntegerPasses)]
    [InlineData("olive_mac", "olive4", "fp16", null, PeArithmetic.OliveWeightsFp32Passes)]
    [InlineData("bit_serial", "int4", "int8", "int32", PeArithmetic.IntegerPasses)]
    [InlineData("bit_serial", "int4", "fp16", null, PeArithmetic.DequantizedGroups)]
    [InlineData("bit_fusion", "int4", "int8", null, PeArithmetic.FusedIntegerPasses)]
    [InlineData("mx_dot", "mxfp4", "mxfp4", null, PeArithmetic.MxBlocks)]
    public void TheRuleFollowsTheConfiguredAccumulation(string kind, string w, string a, string? accumulator, PeArithmetic rule)
    {
        List<(string, string)> keys = [("kind", kind), ("weights", w), ("activations", a)];
        if (accumulator is not null) keys.Add(("accumulator", accumulator));
        var spec = PeOptions.Bind(keys, "t");
        Assert.Equal(rule, spec.Kind.Arithmetic(spec));
    }
}
