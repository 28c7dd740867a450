using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>The <c>array.vector_lanes</c> key: absent means one vector op per array column per cycle; bad values are positioned.</summary>
public class VectorLanesKeyTests
{
    [Fact]
    public void AbsentVectorLanesRunVectorOpsOnTheColumns()
    {
        var a = ArchitectureLoader.LoadText(Valid, "t.yaml").Array;
        Assert.Null(a.VectorLanes);
        Assert.Equal(16, a.VectorOpsPerCycle);
    }

    [Fact]
    public void VectorLanesSetTheVectorOpsPerCycle()
    {
        var a = ArchitectureLoader.LoadText(WithLine(15, "  dataflow: ws\n  vector_lanes: 128"), "t.yaml").Array;
        Assert.Equal(128, a.VectorLanes);
        Assert.Equal(128, a.VectorOpsPerCycle);
        Assert.Equal(64, ArchitectureLoader.LoadText(Valid, "t.yaml", [Set("array.vector_lanes=64")]).Array.VectorOpsPerCycle);
    }

    [Theory]
    [InlineData("0", "expected an integer 1..1048576, got 0")]
    [InlineData("-4", "expected an integer 1..1048576, got -4")]
    [InlineData("2.5", "expected an integer 1..1048576, got '2.5'")]
    [InlineData("many", "expected an integer 1..1048576, got 'many'")]
    public void BadVectorLanesAreReportedAtTheirValue(string value, string message)
    {
        var d = Assert.Single(Problems(WithLine(15, "  dataflow: ws\n  vector_lanes: " + value)));
        Assert.Equal(("t.yaml", 16, 17, "array.vector_lanes", message), (d.File, d.Line, d.Column, d.KeyPath, d.Message));
    }
}
