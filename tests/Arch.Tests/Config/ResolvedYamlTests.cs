using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

public class ResolvedYamlTests
{
    [Fact]
    public void CanonicalTextSortsKeysDropsBaseAndAppliesSets()
    {
        using var dir = new TempDir();
        dir.Write("base.yaml", Valid);
        var derived = dir.Write("d.yaml", "base: base.yaml\nname: \"d: 1\"\narray: {rows: 4}\n");
        var text = ArchitectureLoader.ResolvedYaml(derived, [Set("memory.buf.banks=2")]);
        Assert.Equal("""
            array:
              cols: 16
              dataflow: ws
              rows: 4
            clock_mhz: 1000
            memory:
              - bandwidth_gbps: 25.6
                kind: dram
                name: dram
                type: ddr4
              - banks: 2
                capacity_kib: 64
                holds: [weights, inputs, outputs]
                kind: sram
                name: buf
                width_bits: 128
            name: "d: 1"
            pe:
              accumulator: int32
              activations: int8
              kind: int_mac
              weights: int8
            target: asic
            technology:
              node_nm: 28
              vdd: 0.9

            """.Replace("\r\n", "\n"), text);
    }

    [Fact]
    public void KeyOrderDoesNotChangeTheTextButValuesDo()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.yaml", Valid);
        var lines = ConfigFixtures.ValidLines;
        // array block first with cols before rows, then name..pe, then memory
        var reordered = string.Join("\n", new[] { lines[11], lines[13], lines[12], lines[14] }.Concat(lines.Take(11)).Concat(lines.Skip(15))) + "\n";
        var b = dir.Write("b.yaml", reordered);
        Assert.Equal(ArchitectureLoader.ResolvedYaml(a), ArchitectureLoader.ResolvedYaml(b));
        Assert.NotEqual(ArchitectureLoader.ResolvedYaml(a), ArchitectureLoader.ResolvedYaml(a, [Set("array.rows=8")]));
    }

    [Fact]
    public void TheCanonicalTextLoadsToTheSameSpec()
    {
        foreach (var file in Directory.GetFiles(RepoPaths.ArchConfigs, "*.yaml"))
        {
            var original = ArchitectureLoader.Load(file);
            var again = ArchitectureLoader.LoadText(ArchitectureLoader.ResolvedYaml(file), "resolved.yaml");
            Assert.Equal(original.Pe, again.Pe);
            Assert.Equal(original.Array, again.Array);
            Assert.Equal(original.Memory, again.Memory);
            Assert.Equal(original.Overrides, again.Overrides);
            Assert.Equal(original with { SourceFile = null, Memory = again.Memory, Overrides = again.Overrides }, again);
        }
    }

    [Fact]
    public void AnInvalidDesignHasNoResolvedText()
    {
        using var dir = new TempDir();
        var bad = dir.Write("bad.yaml", Valid.Replace("rows: 16", "rows: 0"));
        Assert.Throws<ConfigException>(() => ArchitectureLoader.ResolvedYaml(bad));
    }

    [Fact]
    public void StringsThatWouldReadBackDifferentlyAreQuoted()
    {
        using var dir = new TempDir();
        var f = dir.Write("q.yaml", Valid.Replace("name: t", "name: '- x'") + "overrides:\n  area_mm2: {value: 1, source: \"Table #3: \\\"final\\\"\"}\n");
        var text = ArchitectureLoader.ResolvedYaml(f);
        Assert.Contains("name: \"- x\"\n", text);
        Assert.Contains("source: \"Table #3: \\\"final\\\"\"\n", text);
        var again = ArchitectureLoader.LoadText(text, "again.yaml");
        Assert.Equal("- x", again.Name);
        Assert.Equal("Table #3: \"final\"", Assert.Single(again.Overrides).Source);
    }
}
