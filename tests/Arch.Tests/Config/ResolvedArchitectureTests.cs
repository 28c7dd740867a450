using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>A base parsed once builds the same designs as loading the file with the same sets, and never re-reads it.</summary>
public class ResolvedArchitectureTests
{
    [Fact]
    public void BuildsWhatTheLoaderBuildsAndKeepsTheTreeUntouched()
    {
        using var dir = new TempDir();
        dir.Write("base.yaml", Valid);
        var derived = dir.Write("derived.yaml", "base: base.yaml\nname: derived\narray:\n  rows: 64\n");
        var parsed = ResolvedArchitecture.Parse(derived);
        foreach (var sets in new[]
                 {
                     new List<KeyValuePair<string, string>>(),
                     new() { new("array.rows", "8"), new("array.cols", "4") },
                     new() { new("array.rows", "32") },
                 })
        {
            var (expected, actual) = (ArchitectureLoader.Load(derived, sets), parsed.Load(sets));
            Assert.Equal(expected with { Memory = actual.Memory, Overrides = actual.Overrides }, actual);
            Assert.Equal(expected.Memory, actual.Memory);
            Assert.Equal(expected.Overrides, actual.Overrides);
        }
        // the sets of one design do not leak into the next: the shared tree is copied, never modified
        Assert.Equal(64, parsed.Load(Array.Empty<KeyValuePair<string, string>>()).Array.Rows);
        // parsed once: rewriting the file does not change designs built from the parse
        File.WriteAllText(derived, "base: base.yaml\nname: other\n");
        Assert.Equal("derived", parsed.Load(Array.Empty<KeyValuePair<string, string>>()).Name);
    }

    [Fact]
    public void DesignsBuiltFromOneParseInAnyOrderEqualFreshLoadsAndReportTheirProblems()
    {
        // sections the sets leave alone are the base's nodes and reuse their binding; interleaving designs that touch
        // the PE, a level, the clock, whole lists and removals would expose a binding reused where it does not apply
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid + "  - name: regs\n    kind: regfile\n    capacity_bytes: 64\n    width_bits: 16\n    holds: [outputs]\n    per_pe: true\n");
        var parsed = ResolvedArchitecture.Parse(path);
        var designs = new[]
        {
            "",
            "clock_mhz=500",
            "memory.dram.bandwidth_gbps=51.2",
            "clock_mhz=500;memory.dram.bandwidth_gbps=51.2",
            "memory.buf.capacity_kib=128",
            "memory.1.capacity_kib=32;memory.buf.width_bits=256",
            "pe.weights=int4",
            "pe={kind: fp_mac, weights: fp16, activations: fp16, accumulator: fp32}",
            "memory.regs=~",
            "memory.regs.per_pe=~;memory.regs.holds=[inputs, outputs]",
            "memory.buf.name=regs",                 // a duplicate name: reported, though both levels were bound before
            "memory.buf.cell=hp;clock_mhz=700",
            "array.rows=8",
            "pe.activations=int3",                  // a format int_mac does not run: reported
            "clock_mhz=500",
        };
        for (int round = 0; round < 2; round++)
            foreach (var d in designs)
            {
                var sets = d.Length == 0 ? [] : d.Split(';').Select(Set).ToList();
                ConfigException? expectedError = null;
                Mantissa.Arch.Model.ArchitectureSpec? expected = null;
                try { expected = ArchitectureLoader.Load(path, sets); } catch (ConfigException e) { expectedError = e; }
                if (expectedError is not null)
                {
                    var e = Assert.Throws<ConfigException>(() => parsed.Load(sets));
                    Assert.Equal(expectedError.Diagnostics.Select(x => x.ToString()), e.Diagnostics.Select(x => x.ToString()));
                    continue;
                }
                var actual = parsed.Load(sets);
                Assert.Equal(expected! with { Memory = actual.Memory, Overrides = actual.Overrides }, actual);
                Assert.Equal(expected!.Memory, actual.Memory);
            }
        Assert.Equal(3, parsed.Load([]).Memory.Count);
        Assert.Equal(16, parsed.Load([]).Array.Rows);
    }

    [Fact]
    public void SetProblemsCarryTheirKind()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        var e = Assert.Throws<ConfigException>(() => parsed.Load(new List<KeyValuePair<string, string>> { new("array.rowz", "8") }));
        Assert.Equal(DiagnosticKind.BadPath, Assert.Single(e.Diagnostics).Kind);
        e = Assert.Throws<ConfigException>(() => parsed.Load(new List<KeyValuePair<string, string>> { new("array.rows", "-3") }));
        Assert.Equal(DiagnosticKind.Value, Assert.Single(e.Diagnostics).Kind);
        e = Assert.Throws<ConfigException>(() => parsed.Load(new List<KeyValuePair<string, string>> { new("array", "{rows: 8, colz: 2}") }));
        Assert.Contains(e.Diagnostics, d => d.Kind == DiagnosticKind.UnknownKey);
    }
}
