using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>The <c>array.dataflow</c> key: one dataflow fixes it; <c>search</c> or a list opens it to the mapper.</summary>
public class DataflowKeyTests
{
    private static ArraySpec Array(string value) => ArchitectureLoader.LoadText(WithLine(15, "  dataflow: " + value), "t.yaml").Array;

    [Theory]
    [InlineData("ws", Dataflow.WS)]
    [InlineData("os", Dataflow.OS)]
    [InlineData("IS", Dataflow.IS)]
    [InlineData("[is]", Dataflow.IS)]
    public void OneDataflowIsFixed(string value, Dataflow expected)
    {
        var a = Array(value);
        Assert.Equal(expected, a.Dataflow);
        Assert.Equal(DataflowSet.None, a.Open);
        Assert.Equal([expected], a.Dataflows);
        Assert.Equal(expected.ToString().ToLowerInvariant(), a.DataflowText);
    }

    [Fact]
    public void SearchOpensAllThree()
    {
        var a = Array("search");
        Assert.Equal(DataflowSet.All, a.Open);
        Assert.Equal([Dataflow.WS, Dataflow.OS, Dataflow.IS], a.Dataflows);
        Assert.Equal("search(ws,os,is)", a.DataflowText);
        Assert.Equal(DataflowSet.All, ArchitectureLoader.LoadText(Valid, "t.yaml", [Set("array.dataflow=search")]).Array.Open);
    }

    [Fact]
    public void AListOpensItsDataflowsAndTheFirstIsNominal()
    {
        var a = Array("[is, os]");
        Assert.Equal(DataflowSet.OS | DataflowSet.IS, a.Open);
        Assert.Equal(Dataflow.IS, a.Dataflow);
        Assert.Equal([Dataflow.OS, Dataflow.IS], a.Dataflows);
        Assert.Equal("search(os,is)", a.DataflowText);
    }
}
