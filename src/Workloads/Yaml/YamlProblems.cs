using System.Globalization;
using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Numerics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Workloads;

/// <summary>
/// Reads a YAML document with YamlDotNet's representation model and collects every problem with its file, line,
/// column and key, so one run reports them all (thrown together as one <see cref="MantissaException"/>). Workload,
/// recipe and experiment files (<c>mantissa reproduce</c>) all read through it.
/// </summary>
public sealed class YamlProblems(string file)
{
    private readonly List<string> _problems = new();

    public string File => file;
    public int Count => _problems.Count;

    /// <summary>Parses <paramref name="text"/>; syntax errors throw at once with their position.</summary>
    public YamlMappingNode Root(string text, string what)
    {
        var stream = new YamlStream();
        var parser = new GuardedYamlParser(text);
        try { stream.Load(parser); }
        catch (YamlException e)
        {
            throw new MantissaException($"{file}:{e.Start.Line}:{e.Start.Column}: invalid YAML: {GuardedYamlParser.CleanMessage(e)}");
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner fails this way when the input ends inside an open flow collection.
            int lines = text.Split('\n').Length;
            throw new MantissaException($"{file}:{lines}:1: invalid YAML: the input ends inside an unclosed [ ] or {{ }}");
        }
        catch (ArgumentException)
        {
            // YamlDotNet's representation model throws this (without a position) on events it cannot build a node from,
            // e.g. an empty complex key "? : x" or an alias used as a mapping key: report at the last event parsed.
            var at = parser.Current?.Start ?? Mark.Empty;
            throw new MantissaException($"{file}:{Math.Max(1, at.Line)}:{Math.Max(1, at.Column)}: invalid YAML: a key or value before this point is not a scalar, sequence or mapping (e.g. an empty '?' key or an alias used as a key)");
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new MantissaException($"{file}:1:1: expected a YAML mapping ({what})");
        return root;
    }

    public void Add(YamlNode node, string key, string message) =>
        _problems.Add($"{file}:{node.Start.Line}:{node.Start.Column}: key '{key}': {message}");

    private void Missing(YamlMappingNode map, string key, string what) =>
        _problems.Add($"{file}:{map.Start.Line}:{map.Start.Column}: missing key '{key}' ({what})");

    public void ThrowIfAny(string what)
    {
        if (_problems.Count == 1) throw new MantissaException(_problems[0]);
        if (_problems.Count > 1) throw new MantissaException($"{_problems.Count} problems in {what} {file}:\n  " + string.Join("\n  ", _problems));
    }

    /// <summary>Flags keys of <paramref name="map"/> not in <paramref name="allowed"/>, suggesting the nearest.</summary>
    public void CheckKeys(YamlMappingNode map, string context, params string[] allowed)
    {
        foreach (var (k, _) in map.Children)
        {
            string key = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(allowed, key) >= 0) continue;
            string? near = NameSuggester.Nearest(key, allowed);
            Add(k, key, $"unknown key in {context}" + (near is null ? "" : $"; did you mean '{near}'?") + $" (valid: {string.Join(", ", allowed)})");
        }
    }

    public static YamlNode? Get(YamlMappingNode map, string key) =>
        map.Children.TryGetValue(new YamlScalarNode(key), out var v) ? v : null;

    public string? Str(YamlMappingNode map, string key, bool required = false)
    {
        var v = Get(map, key);
        if (v is null) { if (required) _problems.Add($"{file}:{map.Start.Line}:{map.Start.Column}: missing key '{key}'"); return null; }
        if (v is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value)) return s.Value;
        Add(v, key, "expected a non-empty string");
        return null;
    }

    public long? Long(YamlMappingNode map, string key, long min, bool required = false)
    {
        var v = Get(map, key);
        if (v is null) { if (required) _problems.Add($"{file}:{map.Start.Line}:{map.Start.Column}: missing key '{key}' (an integer)"); return null; }
        if (v is YamlScalarNode s && long.TryParse(s.Value, out long x))
        {
            if (x >= min) return x;
            Add(v, key, $"must be at least {min}, got {x}");
            return null;
        }
        Add(v, key, $"expected an integer, got {Describe(v)}");
        return null;
    }

    /// <summary>A finite number (invariant culture).</summary>
    public double? Double(YamlMappingNode map, string key, bool required = false)
    {
        var v = Get(map, key);
        if (v is null) { if (required) Missing(map, key, "a number"); return null; }
        if (v is YamlScalarNode s && double.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double x) && double.IsFinite(x)) return x;
        Add(v, key, $"expected a number, got {Describe(v)}");
        return null;
    }

    /// <summary>One non-empty string or a list of them (empty when absent); <paramref name="what"/> names them in messages.</summary>
    public List<string> Texts(YamlMappingNode map, string key, bool required = false, string what = "a string or a list of strings")
    {
        var v = Get(map, key);
        if (v is null) { if (required) Missing(map, key, what); return new(); }
        if (v is YamlScalarNode s && !string.IsNullOrWhiteSpace(s.Value)) return new() { s.Value! };
        if (v is YamlSequenceNode q && q.Children.All(c => c is YamlScalarNode { Value: { Length: > 0 } }))
            return q.Children.Select(c => ((YamlScalarNode)c).Value!).ToList();
        Add(v, key, $"expected {what}, got {Describe(v)}");
        return new();
    }

    /// <summary>The items of a list, with their indices (empty when absent or not a list).</summary>
    public IReadOnlyList<(YamlNode Node, int Index)> Seq(YamlMappingNode map, string key, bool required = false)
    {
        var v = Get(map, key);
        if (v is null) { if (required) Missing(map, key, "a list"); return []; }
        if (v is YamlSequenceNode q) return q.Children.Select((c, i) => (c, i)).ToList();
        Add(v, key, $"expected a list, got {Describe(v)}");
        return [];
    }

    public bool? Bool(YamlMappingNode map, string key)
    {
        var v = Get(map, key);
        if (v is null) return null;
        if (v is YamlScalarNode s && bool.TryParse(s.Value, out bool b)) return b;
        Add(v, key, $"expected true or false, got {Describe(v)}");
        return null;
    }

    public NumberFormat? Format(YamlMappingNode map, string key)
    {
        var v = Get(map, key);
        if (v is null) return null;
        if (v is YamlScalarNode s)
        {
            if (NumberFormat.TryParse(s.Value ?? "", out var f, out var error)) return f;
            Add(v, key, error);
            return null;
        }
        Add(v, key, $"expected a number format name, got {Describe(v)}");
        return null;
    }

    public long[]? Shape(YamlMappingNode map, string key, bool required = false)
    {
        var v = Get(map, key);
        if (v is null) { if (required) _problems.Add($"{file}:{map.Start.Line}:{map.Start.Column}: missing key '{key}' (a list of positive integers)"); return null; }
        if (v is YamlSequenceNode seq && seq.Children.Count > 0)
        {
            var dims = new List<long>();
            foreach (var d in seq.Children)
            {
                if (d is YamlScalarNode ds && long.TryParse(ds.Value, out long x) && x > 0) dims.Add(x);
                else { Add(d, key, $"dimensions must be positive integers, got {Describe(d)}"); return null; }
            }
            return dims.ToArray();
        }
        Add(v, key, $"expected a non-empty list of positive integers such as [1, 128, 4096], got {Describe(v)}");
        return null;
    }

    public static string Describe(YamlNode n) => n switch
    {
        YamlScalarNode s => $"'{s.Value}'",
        YamlSequenceNode => "a list",
        YamlMappingNode => "a mapping",
        _ => "something else",
    };
}
