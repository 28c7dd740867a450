using System.Text;
using System.Text.RegularExpressions;

namespace Mantissa.Arch.Config;

/// <summary>Writes a resolved tree as canonical YAML: keys sorted, null keys dropped, two-space block style.</summary>
/// <remarks>Two files that resolve to the same tree give the same text, so the text can be hashed to key caches and results.</remarks>
internal static partial class CanonicalYamlWriter
{
    public static string Write(ConfigMap root)
    {
        var sb = new StringBuilder();
        WriteMap(root, 0, sb);
        return sb.ToString();
    }

    private static void WriteMap(ConfigMap map, int indent, StringBuilder sb, bool firstLineIndented = true)
    {
        bool first = true;
        foreach (var e in map.Entries.Where(e => e.Value is not ConfigScalar { IsNull: true }).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            if (!first || firstLineIndented) sb.Append(' ', indent);
            first = false;
            sb.Append(Scalar(e.Key, false)).Append(':');
            WriteValue(e.Value, indent, sb);
        }
        if (first) sb.Append(firstLineIndented ? new string(' ', indent) : "").Append("{}\n");
    }

    private static void WriteValue(ConfigNode value, int indent, StringBuilder sb)
    {
        switch (value)
        {
            case ConfigScalar s:
                sb.Append(' ').Append(Scalar(s.Text, s.Quoted)).Append('\n');
                break;
            case ConfigMap m when m.Entries.Any(e => e.Value is not ConfigScalar { IsNull: true }):
                sb.Append('\n');
                WriteMap(m, indent + 2, sb);
                break;
            case ConfigMap:
                sb.Append(" {}\n");
                break;
            case ConfigSeq q when q.Items.All(i => i is ConfigScalar):
                sb.Append(" [").Append(string.Join(", ", q.Items.Cast<ConfigScalar>().Select(i => Scalar(i.Text, i.Quoted)))).Append("]\n");
                break;
            case ConfigSeq q:
                sb.Append('\n');
                foreach (var item in q.Items)
                {
                    sb.Append(' ', indent + 2).Append("- ");
                    if (item is ConfigMap im && im.Entries.Count > 0) WriteMap(im, indent + 4, sb, firstLineIndented: false);
                    else if (item is ConfigScalar s) sb.Append(Scalar(s.Text, s.Quoted)).Append('\n');
                    else sb.Append(item is ConfigSeq ? "[]\n" : "{}\n");
                }
                break;
        }
    }

    private static string Scalar(string text, bool quoted)
    {
        // "- x" would read back as a list item; everything else the pattern admits reads back as the same plain scalar.
        if (!quoted && PlainSafe().IsMatch(text) && !text.StartsWith("- ", StringComparison.Ordinal)) return text;
        var sb = new StringBuilder("\"");
        foreach (var c in text)
            sb.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                _ when char.IsControl(c) => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        return sb.Append('"').ToString();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.+\-/][A-Za-z0-9_.+\-/ ]*(?<! )$")] private static partial Regex PlainSafe();
}
