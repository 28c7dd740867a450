using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>
/// A <c>pe:</c> set as a whole mapping is parsed once and shared by the designs that set the same text (SetValueMemo);
/// its binding is then reused like a base section's, and a set that goes into the shared value still gets its own.
/// </summary>
public class BindMemoSharedValueTests
{
    private const string Bf16 = "{kind: fp_mac, weights: bf16, activations: bf16, accumulator: fp32}";

    [Fact]
    public void ASharedPeValueIsBoundOnceAndAChangeToItIsBoundAfresh()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        var a = parsed.Load([Set("pe=" + Bf16), Set("clock_mhz=500")]);
        var b = parsed.Load([Set("pe=" + Bf16), Set("clock_mhz=700")]);
        // the same value text: one binding, shared by reference, equal to a fresh load's
        Assert.Same(a.Pe, b.Pe);
        Assert.Equal(ArchitectureLoader.Load(path, [Set("pe=" + Bf16), Set("clock_mhz=700")]).Pe, b.Pe);
        Assert.Equal("bf16", b.Pe.WeightFormat.Name);
        // a set into the shared value copies it first: its own binding, and the shared one is unchanged
        var c = parsed.Load([Set("pe=" + Bf16), Set("pe.activations=fp16")]);
        Assert.NotSame(a.Pe, c.Pe);
        Assert.Equal(ArchitectureLoader.Load(path, [Set("pe=" + Bf16), Set("pe.activations=fp16")]).Pe, c.Pe);
        Assert.Equal("fp16", c.Pe.ActivationFormat.Name);
        Assert.Same(a.Pe, parsed.Load([Set("pe=" + Bf16)]).Pe);
        Assert.Equal("bf16", a.Pe.ActivationFormat.Name);
    }
}
