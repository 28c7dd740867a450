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
