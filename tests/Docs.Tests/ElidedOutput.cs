using System.Text.RegularExpressions;

namespace Mantissa.Docs.Tests;

/// <summary>
/// Documented output may leave lines out: a line that is only `...` (indented or not, optionally `... (N more lines)`)
/// stands for any number of printed lines. The lines between elisions must appear in order: the first run at the
/// start, the last at the end.
/// </summary>
public static partial class ElidedOutput
{
    [GeneratedRegex(@"^\s*\.\.\.(?: \(\d[\d,]* more lines?\))?$")]
    private static partial Regex Ellipsis();

    public static bool IsEllipsis(string line) => Ellipsis().IsMatch(line);

    /// <summary>Index into <paramref name="expected"/> of the first line that does not match <paramref name="actual"/>, or -1 when all match (both lists normalised).</summary>
    public static int FirstMismatch(IReadOnlyList<string> expected, IReadOnlyList<string> actual)
    {
        var segments = Segments(expected);
        if (segments.Count == 1)
        {
            var (s, n) = segments[0];
            for (int i = 0; i < Math.Max(n, actual.Count); i++)
                if (i >= n || i >= actual.Count || expected[s + i] != actual[i]) return Math.Min(s + i, expected.Count);
            return -1;
        }
        int pos = 0;
        for (int k = 0; k < segments.Count; k++)
        {
            var (start, count) = segments[k];
            if (k == 0)
            {
                for (int i = 0; i < count; i++) if (i >= actual.Count || expected[start + i] != actual[i]) return start + i;
                pos = count;
            }
            else if (k == segments.Count - 1)
            {
                int from = actual.Count - count;
                if (from < pos) return count == 0 ? -1 : start;
                for (int i = 0; i < count; i++) if (expected[start + i] != actual[from + i]) return start + i;
            }
            else
            {
                int at = Find(expected, start, count, actual, pos);
                if (at < 0) return start;
                pos = at + count;
            }
        }
        return -1;
    }

    /// <summary>
    /// New documented lines from <paramref name="actual"/> keeping <paramref name="documented"/>'s elisions: the first and
    /// last runs keep their line counts, a middle run is re-found by its first word, `(N more lines)` is recounted.
    /// Null when a middle run cannot be found (the transcript must then be re-elided by hand).
    /// </summary>
    public static List<string>? Regenerate(IReadOnlyList<string> documented, IReadOnlyList<string> actual)
    {
        var segments = Segments(documented);
        if (segments.Count == 1) return actual.ToList();
        var result = new List<string>();
        int pos = 0;
        for (int k = 0; k < segments.Count; k++)
        {
            var (start, count) = segments[k];
            int from;
            if (k == 0) from = 0;
            else if (k == segments.Count - 1) from = Math.Max(pos, actual.Count - count);
            else
            {
                string key = FirstWord(documented[start]);
                from = -1;
                for (int i = pos; i < actual.Count && from < 0; i++) if (FirstWord(actual[i]) == key) from = i;
                if (from < 0) return null;
            }
            if (k > 0) result.Add(Elision(documented[start - 1], from - pos));
            int take = Math.Min(count, actual.Count - from);
            result.AddRange(actual.Skip(from).Take(take));
            pos = from + take;
        }
        return result;
    }

    private static string Elision(string documented, int hidden)
    {
        int indent = documented.Length - documented.TrimStart().Length;
        return documented.Contains('(') ? $"{new string(' ', indent)}... ({hidden:N0} more line{(hidden == 1 ? "" : "s")})" : documented;
    }

    private static string FirstWord(string line)
    {
        var t = line.TrimStart();
        int sp = t.IndexOf(' ');
        return sp < 0 ? t : t[..sp];
    }

    private static List<(int Start, int Count)> Segments(IReadOnlyList<string> lines)
    {
        var segments = new List<(int, int)>();
        int start = 0;
        for (int i = 0; i <= lines.Count; i++)
            if (i == lines.Count || IsEllipsis(lines[i]))
            {
                segments.Add((start, i - start));
                start = i + 1;
            }
        return segments;
    }

    private static int Find(IReadOnlyList<string> expected, int start, int count, IReadOnlyList<string> actual, int from)
    {
        for (int at = from; at + count <= actual.Count; at++)
        {
            int i = 0;
            while (i < count && expected[start + i] == actual[at + i]) i++;
            if (i == count) return at;
        }
        return -1;
    }
}
