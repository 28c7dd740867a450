using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Arch.Config;

/// <summary>Parses YAML text into a <see cref="ConfigNode"/> tree that keeps file, line and column of every node.</summary>
internal static partial class YamlTreeReader
{
    /// <summary>Parses one YAML document; a syntax error becomes a diagnostic and the result is null.</summary>
    public static ConfigNode? Parse(string text, string file, DiagnosticBag bag, int lineOffset = 0, int columnOffset = 0)
    {
        var stream = new YamlStream();
        var parser = new GuardedYamlParser(text);
        try
        {
            stream.Load(parser);
        }
        catch (YamlException ex)
        {
            var line = (int)ex.Start.Line + lineOffset;
            var col = (int)ex.Start.Column + (ex.Start.Line == 1 ? columnOffset : 0);
            bag.Add(new Origin(file, line, col), "", "YAML syntax error: " + CleanMessage(ex, text));
            return null;
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these (without a position) on some truncated input, e.g. an unclosed '[':
            // report at the last event the parser produced.
            var at = parser.Current?.End ?? Mark.Empty;
            var line = Math.Max(1, (int)at.Line) + lineOffset;
            var col = Math.Max(1, (int)at.Column) + (at.Line <= 1 ? columnOffset : 0);
            bag.Add(new Origin(file, line, col), "", "YAML syntax error: malformed or unterminated flow collection, quote or block");
            return null;
        }
        if (stream.Documents.Count == 0) return null;
        if (stream.Documents.Count > 1)
        {
            var m = stream.Documents[1].RootNode.Start;
            bag.Add(new Origin(file, (int)m.Line + lineOffset, (int)m.Column), "", "expected one YAML document, found several ('---')");
            return null;
        }
        return Convert(stream.Documents[0].RootNode, file, lineOffset, columnOffset, bag, "");
    }

    private static ConfigNode Convert(YamlNode node, string file, int lineOffset, int columnOffset, DiagnosticBag bag, string path)
    {
        var origin = new Origin(file, (int)node.Start.Line + lineOffset,
            (int)node.Start.Column + (node.Start.Line == 1 ? columnOffset : 0));
        switch (node)
        {
            case YamlScalarNode s:
                bool quoted = s.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded
                              || (!s.Tag.IsEmpty && !s.Tag.IsNonSpecific && s.Tag.Value == "tag:yaml.org,2002:str");
                return new ConfigScalar(s.Value ?? "", quoted, origin);
            case YamlSequenceNode q:
                return new ConfigSeq(origin, q.Children.Select((c, i) => Convert(c, file, lineOffset, columnOffset, bag, Join(path, i.ToString()))).ToList());
            case YamlMappingNode m:
                var map = new ConfigMap(origin);
                foreach (var (k, v) in m.Children)
                {
                    var keyOrigin = new Origin(file, (int)k.Start.Line + lineOffset, (int)k.Start.Column + (k.Start.Line == 1 ? columnOffset : 0));
                    if (k is not YamlScalarNode ks || string.IsNullOrEmpty(ks.Value))
                    {
                        bag.Add(keyOrigin, path, "expected a plain key name; complex or empty keys are not allowed");
                        continue;
                    }
                    map.Entries.Add(new ConfigEntry(ks.Value, keyOrigin, Convert(v, file, lineOffset, columnOffset, bag, Join(path, ks.Value))));
                }
                return map;
            default:
                bag.Add(origin, path, "unsupported YAML node");
                return new ConfigScalar("", false, origin);
        }
    }

    private static string Join(string path, string key) => path.Length == 0 ? key : path + "." + key;

    /// <summary>YamlDotNet prefixes messages with "(Line: a, Col: b, Idx: c) - (...): "; the diagnostic carries the position itself.</summary>
    private static string CleanMessage(YamlException ex, string text)
    {
        var msg = PositionPrefix().Replace(ex.Message, "").Trim();
        if (msg.StartsWith("Duplicate key", StringComparison.Ordinal))
        {
            var lines = text.Split('\n');
            int li = (int)ex.Start.Line - 1, ci = (int)ex.Start.Column - 1;
            var key = li >= 0 && li < lines.Length && ci >= 0 && ci < lines[li].Length ? lines[li][ci..].Split(':')[0].Trim() : "";
            return key.Length > 0 ? $"duplicate key '{key}'" : "duplicate key";
        }
        return msg.Length == 0 ? "malformed YAML" : char.ToLowerInvariant(msg[0]) + msg[1..].TrimEnd('.');
    }

    [GeneratedRegex(@"^\(Line: \d+, Col: \d+, Idx: \d+\) - \(Line: \d+, Col: \d+, Idx: \d+\):\s*")]
    private static partial Regex PositionPrefix();
}
