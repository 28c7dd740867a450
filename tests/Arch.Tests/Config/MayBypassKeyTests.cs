using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>A level's <c>may_bypass:</c>: the held tensors the mapper may choose to skip there.</summary>
public class MayBypassKeyTests
{
    private static MemoryLevelSpec Buf(string yaml) => ArchitectureLoader.LoadText(yaml, "t.yaml").Memory.Single(m => m.Name == "buf");

    [Fact]
    public void AbsentMeansNoBypass() => Assert.Equal(TensorSet.None, Buf(Valid).MayBypass);

    [Fact]
    public void ListedTensorsAreRead() =>
        Assert.Equal(TensorSet.Inputs | TensorSet.Outputs, Buf(WithLine(25, "    holds: [weights, inputs, outputs]\n    may_bypass: [Outputs, inputs]")).MayBypass);

    [Fact]
    public void EveryHeldTensorMayBeBypassed() =>
        Assert.Equal(TensorSet.Weights, Buf(WithLine(25, "    holds: [weights]\n    may_bypass: [weights]")).MayBypass);

    [Fact]
    public void SetPathsReachIt() => Assert.Equal(TensorSet.Weights,
        ArchitectureLoader.LoadText(Valid, "t.yaml", new[] { KeyValuePair.Create("memory.buf.may_bypass", "[weights]") }).Memory[1].MayBypass);

    [Theory]
    [InlineData("    holds: [weights, inputs]\n    may_bypass: [outputs]", 26, "memory.buf.may_bypass", "this level does not hold outputs: list only tensors named under 'holds'")]
    [InlineData("    holds: [weights, inputs, outputs]\n    may_bypass: [inputs, inputs]", 26, "memory.buf.may_bypass.1", "'inputs' is listed twice")]
    [InlineData("    holds: [weights, inputs, outputs]\n    may_bypass: [input]", 26, "memory.buf.may_bypass.0", "expected one of weights, inputs, outputs, got 'input'; did you mean 'inputs'?")]
    [InlineData("    holds: [weights, inputs, outputs]\n    may_bypass: []", 26, "memory.buf.may_bypass", "expected at least one of weights, inputs, outputs")]
    [InlineData("    holds: [weights, inputs, outputs]\n    may_bypass: inputs", 26, "memory.buf.may_bypass", "expected a list of weights, inputs, outputs, got 'inputs'")]
    public void BadListsArePositioned(string entry, int line, string path, string message)
    {
        var d = Assert.Single(Problems(WithLine(25, entry)));
        Assert.Equal((line, path, message), (d.Line, d.KeyPath, d.Message));
    }

    [Fact]
    public void DramAndPerPeLevelsTakeNoBypass()
    {
        var d = Assert.Single(Problems(WithLine(20, "    bandwidth_gbps: 25.6\n    may_bypass: [inputs]")));
        Assert.Equal((21, "memory.dram.may_bypass"), (d.Line, d.KeyPath));
        Assert.StartsWith("'may_bypass' applies only to shared on-chip levels", d.Message);
        var p = Assert.Single(Problems(Valid + "  - name: regs\n    kind: regfile\n    capacity_bytes: 4\n    width_bits: 8\n    holds: [weights, inputs]\n    per_pe: true\n    may_bypass: [inputs]\n"));
        Assert.Equal((32, "memory.regs.may_bypass"), (p.Line, p.KeyPath));
    }
}
