using Mantissa.Arch.Config;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>The label columns handed out again while consecutive designs show the same: a change to what they show makes new ones.</summary>
public class RowLabelsTests
{
    private static readonly string EdgeNpu = Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "edge-npu.yaml");

    [Fact]
    public void ConsecutiveDesignsShareLabelsUntilThePeArrayNameOrSchemeChanges()
    {
        var labels = new RowLabels();
        var a = ArchitectureLoader.Load(EdgeNpu);
        var first = labels.Of(a, "s1");
        Assert.Equal(new Dictionary<string, string>
        {
            ["pe_kind"] = "fp_mac", ["pe_formats"] = "fp16×fp16", ["array"] = "32x32", ["arch"] = "edge-npu", [QuantObjective.SchemeLabel] = "s1",
        }, first);
        Assert.Same(first, labels.Of(a with { ClockMhz = 500 }, "s1")); // what the labels do not show
        var noScheme = labels.Of(a, null);
        Assert.False(noScheme.ContainsKey(QuantObjective.SchemeLabel));
        Assert.Equal("32x32", noScheme["array"]);
        // each change reaches its column, asked for alternately with and without a scheme
        var wider = a with { Array = a.Array with { Cols = 64 } };
        Assert.Equal("32x64", labels.Of(wider, null)["array"]);
        Assert.Equal("32x64", labels.Of(wider, "s1")["array"]);
        var int8 = ArchitectureLoader.Load(EdgeNpu, [new("pe.kind", "int_mac"), new("pe.weights", "int8"), new("pe.activations", "int8"), new("pe.accumulator", "int32")]);
        Assert.Equal(("int_mac", "int8×int8"), (labels.Of(int8, "s1")["pe_kind"], labels.Of(int8, "s1")["pe_formats"]));
        Assert.Equal("renamed", labels.Of(int8 with { Name = "renamed" }, "s1")["arch"]);
        Assert.Equal("s2", labels.Of(int8 with { Name = "renamed" }, "s2")[QuantObjective.SchemeLabel]);
        Assert.Equal(("fp_mac", "32x32"), (labels.Of(a, null)["pe_kind"], labels.Of(a, null)["array"]));
    }

    [Fact]
    public void LabelValuesReadAsTheDictionaryTheyReplace()
    {
        var withScheme = new LabelValues("fp_mac", "fp16×fp16", "4x8", "edge-npu", "s1");
        var dict = new Dictionary<string, string>
        {
            ["pe_kind"] = "fp_mac", ["pe_formats"] = "fp16×fp16", ["array"] = "4x8", ["arch"] = "edge-npu", [QuantObjective.SchemeLabel] = "s1",
        };
        Assert.Equal(dict.ToList(), withScheme.ToList()); // same pairs, in column order
        Assert.Equal(5, withScheme.Count);
        Assert.Equal(dict.Keys, withScheme.Keys);
        var without = withScheme.WithScheme(null);
        Assert.Equal(4, without.Count);
        Assert.False(without.ContainsKey(QuantObjective.SchemeLabel));
        Assert.Equal("", without.GetValueOrDefault(QuantObjective.SchemeLabel, ""));
        Assert.False(withScheme.TryGetValue("latency_s", out _));
        Assert.Throws<KeyNotFoundException>(() => withScheme["nope"]);
        Assert.Equal("4x8", without["array"]);
    }

    [Fact]
    public void ANewDesignTakesTheTextsThatDidNotChangeFromTheLastOne()
    {
        var labels = new RowLabels();
        var a = ArchitectureLoader.Load(EdgeNpu);
        var first = (LabelValues)labels.Of(a, null);
        var wider = (LabelValues)labels.Of(a with { Array = a.Array with { Cols = 64 } }, null);
        Assert.Equal("32x64", wider.Array);
        Assert.Same(first.Formats, wider.Formats); // not formatted again
        var narrower = (LabelValues)labels.Of(a with { Array = a.Array with { Cols = 64 }, Name = "other" }, null);
        Assert.Same(wider.Array, narrower.Array);
        Assert.Equal("other", narrower.Arch);
    }
}
