using System.Globalization;
using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>A results file in memory: header and rows of text cells, with typed access by column name.</summary>
public sealed class ResultTable
{
    private readonly Dictionary<string, int> _index;

    public ResultTable(IReadOnlyList<string> header, IReadOnlyList<string[]> rows, string source = "")
    {
        Header = header;
        Rows = rows;
        Source = source;
        _index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < header.Count; i++) _index.TryAdd(header[i], i);
    }

    public IReadOnlyList<string> Header { get; }
    public IReadOnlyList<string[]> Rows { get; }
    public string Source { get; }

    public bool Has(string column) => _index.ContainsKey(column);

    /// <summary>The index of <paramref name="column"/>; an error naming the nearest column if absent.</summary>
    public int Column(string column)
    {
        if (_index.TryGetValue(column, out var i)) return i;
        if (MetricCatalog.Find(column) is { } m && _index.TryGetValue(m.Name, out i)) return i;
        string? near = NameSuggester.Nearest(column, Header);
        throw new MantissaException($"{(Source.Length > 0 ? Source + ": " : "")}no column '{column}'" + (near is null ? "" : $"; did you mean '{near}'?") +
                                    $" (columns: {string.Join(", ", Header)})");
    }

    /// <summary>True for rows whose status is <c>valid</c> (all rows when there is no status column).</summary>
    public bool IsValid(string[] row) => !_index.TryGetValue("status", out var s) || row[s] == "valid";

    public static double Number(string cell) =>
        cell.Length > 0 && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;

    public static string Format(double v) => double.IsNaN(v) ? "" : v.ToString("R", CultureInfo.InvariantCulture);
}
