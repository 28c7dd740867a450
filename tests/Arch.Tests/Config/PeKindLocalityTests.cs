using System.Reflection;
using System.Text.RegularExpressions;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Config;

/// <summary>
/// Adding a PE kind touches its descriptor, its functional datapath, one example YAML and its tests (issue 11): the
/// configuration binder and schema (src/Arch/Config) name no kind and no kind-specific key, so they read every kind from
/// its descriptor and need no change for a new one.
/// </summary>
public class PeKindLocalityTests
{
    private static IEnumerable<string> ConfigSources() =>
        Directory.GetFiles(Path.Combine(RepoPaths.Root, "src", "Arch", "Config"), "*.cs").Order(StringComparer.Ordinal);

    /// <summary>The static fields holding the descriptors (<c>PeKind.IntMac</c>, ...), the way code names a kind.</summary>
    private static IReadOnlyList<string> DescriptorFields() => typeof(PeKind).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(PeKind)).Select(f => f.Name).ToList();

    [Fact]
    public void TheBinderAndSchemaNameNoKind()
    {
        var fields = DescriptorFields();
        Assert.Equal(PeKind.All.Count, fields.Count);
        var named = new Regex(@"PeKind\.(" + string.Join("|", fields) + @")\b");
        var hits = ConfigSources().SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => named.IsMatch(x.line)).Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}").ToList();
        Assert.Empty(hits);
    }

    [Fact]
    public void TheBinderAndSchemaNameNoKindSpecificKey()
    {
        var keys = PeKind.AllKeys.Select(k => k.Name).ToList();
        Assert.NotEmpty(keys);
        var quoted = new Regex("\"(" + string.Join("|", keys.Select(Regex.Escape)) + ")\"");
        var hits = ConfigSources().SelectMany(f => File.ReadLines(f).Select((line, i) => (f, i, line)))
            .Where(x => quoted.IsMatch(x.line)).Select(x => $"{Path.GetFileName(x.f)}:{x.i + 1}: {x.line.Trim()}").ToList();
        Assert.Empty(hits);
    }

    /// <summary>docs/architecture.md's key table documents every declared key (a new kind's new key needs its row there).</summary>
    [Fact]
    public void EveryDeclaredKeyIsDocumented()
    {
        var doc = File.ReadAllText(Path.Combine(RepoPaths.Root, "docs", "architecture.md"));
        Assert.Empty(PeKind.AllKeys.Where(k => !doc.Contains($"`pe.{k.Name}`", StringComparison.Ordinal)).Select(k => k.Name));
    }
}
