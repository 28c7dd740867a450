using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>The <c>pe.lut_precompute</c> key: shared by default, per_pe on request, rejected elsewhere or misspelt.</summary>
public class LutPrecomputeKeyTests
{
    private static ArchitectureSpec WithPe(string flowPe) => ArchitectureLoader.LoadText(Valid, "t.yaml", [Set("pe=" + flowPe)]);

    [Theory]
    [InlineData("", LutPrecompute.Shared)]
    [InlineData(", lut_precompute: shared", LutPrecompute.Shared)]
    [InlineData(", lut_precompute: per_pe", LutPrecompute.PerPe)]
    public void LutPrecomputeMapsOntoPeParameters(string key, LutPrecompute expected)
    {
        var pe = WithPe($"{{kind: lut, weights: int2, activations: fp16, lut_entries: fp16, dot_width: 4{key}}}").Pe;
        Assert.Equal(expected, pe.Parameters.LutPrecompute);
    }

    [Theory]
    [InlineData("{kind: lut, weights: int2, activations: fp16, lut_precompute: per_column}", "expected one of shared, per_pe, got 'per_column'")]
    [InlineData("{kind: int_mac, weights: int8, activations: int8, lut_precompute: shared}", "'lut_precompute' does not apply to pe kind int_mac (it applies to: lut)")]
    public void BadLutPrecomputeIsRejected(string pe, string message)
    {
        var d = Assert.Single(Problems(Valid, [Set("pe=" + pe)]));
        Assert.Equal(("pe.lut_precompute", message), (d.KeyPath, d.Message));
    }
}
