using System.Globalization;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Explorer.Sweep;

/// <summary>Writes a YAML node back as one-line flow text (<c>{kind: lut, weights: int4}</c>) for set values and CSV cells.</summary>
public static class YamlText
{
    public static string Flow(YamlNode node)
    {
        var sb = new StringBuilder();
        Write(node, sb);
        return sb.ToString();
    }

    private static void Write(YamlNode node, StringBuilder sb)
    {
        switch (node)
        {
            case YamlScalarNode s:
                sb.Append(s.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any
                    ? s.Value ?? "" : Scalar(s.Value ?? "", wasQuoted: true));
                break;
            case YamlSequenceNode q:
                sb.Append('[');
                for (int i = 0; i < q.Children.Count; i++)
                {
                    if (i > 0) sb.Append(", ");
                    Write(q.Children[i], sb);
                }
                sb.Append(']');
                break;
            case YamlMappingNode m:
                sb.Append('{');
                bool first = true;
                foreach (var (k, v) in m.Children)
                {
                    if (!first) sb.Append(", ");
                    first = false;
                    Write(k, sb);
                    sb.Append(": ");
                    Write(v, sb);
                }
                sb.Append('}');
                break;
        }
    }

    /// <summary>A scalar as plain text when that reads back the same, else single-quoted.</summary>
    public static string Scalar(string value, bool wasQuoted = false)
    {
        bool safe = value.Length > 0 && value.Trim() == value &&
                    value.IndexOfAny(Special) < 0 && !value.StartsWith('-') && !value.StartsWith('?');
        bool retyped = wasQuoted && (value is "true" or "false" or "null" or "~" ||
                       double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
        return safe && !retyped ? value : "'" + value.Replace("'", "''") + "'";
    }

    private static readonly char[] Special = { ',', '[', ']', '{', '}', ':', '#', '\'', '"', '\n', '\r', '&', '*', '!', '|', '>', '%', '@', '`' };
}
