namespace Mantissa.Arch;

/// <summary>Nearest valid name for a misspelled key, value, option or command (optimal-string-alignment edit distance).</summary>
public static class NameSuggester
{
    public static string? Nearest(string input, IEnumerable<string> candidates)
    {
        string? best = null;
        int bestDist = int.MaxValue;
        var lower = input.ToLowerInvariant();
        foreach (var c in candidates)
        {
            var cl = c.ToLowerInvariant();
            int d = Distance(lower, cl);
            // A clipped word ("clok" for "clock_mhz") is close to the candidate's prefix; count the clipping as one edit.
            if (lower.Length >= 3 && cl.Length > lower.Length) d = Math.Min(d, Distance(lower, cl[..lower.Length]) + 1);
            if (d < bestDist) { bestDist = d; best = c; }
        }
        return best is not null && bestDist <= Math.Max(2, input.Length / 3) ? best : null;
    }

    /// <summary>" (did you mean 'x'?)" or empty.</summary>
    public static string Hint(string input, IEnumerable<string> candidates) =>
        // Numbers are not misspellings: "3" is not a typo of "2".
        !input.All(char.IsDigit) && Nearest(input, candidates) is { } s ? $"; did you mean '{s}'?" : "";

    public static int Distance(string a, string b)
    {
        var d = new int[a.Length + 1, b.Length + 1];
        for (int i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (int j = 0; j <= b.Length; j++) d[0, j] = j;
        for (int i = 1; i <= a.Length; i++)
            for (int j = 1; j <= b.Length; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                d[i, j] = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                    d[i, j] = Math.Min(d[i, j], d[i - 2, j - 2] + 1);
            }
        return d[a.Length, b.Length];
    }
}
