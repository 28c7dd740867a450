using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Plot;

/// <summary>Builds the objective-pair scatter: every valid design coloured by a column, and the pair's frontier as a step line.</summary>
public static class ParetoPlot
{
    /// <summary>Plots <paramref name="rows"/> of <paramref name="table"/>; goals orient the frontier (null: minimise both).</summary>
    public static SvgPlot Build(ResultTable table, IReadOnlyList<string[]> rows, string xMetric, string yMetric, string? colorBy,
                                Goal xGoal = Goal.Min, Goal yGoal = Goal.Min, string? title = null)
    {
        int xc = table.Column(xMetric), yc = table.Column(yMetric);
        int cc = colorBy is null ? -1 : table.Column(colorBy);
        // ±∞ (the SQNR of an exact format) is drawn at its axis's finite extreme, as the frontier analysis clamps it
        var raw = rows.Select(r => (x: ResultTable.Number(r[xc]), y: ResultTable.Number(r[yc]), row: r))
                      .Where(p => !double.IsNaN(p.x) && !double.IsNaN(p.y)).ToList();
        var clamped = FiniteRange.Clamp(raw.Select(p => new[] { p.x, p.y }).ToList());
        string xName = table.Header[xc], yName = table.Header[yc];
        // energy and latency read in the SI prefix that fits this plot's data; scaling keeps the frontier's order
        var xUnit = DisplayUnit.For(xName, clamped.Select(c => c[0]));
        var yUnit = DisplayUnit.For(yName, clamped.Select(c => c[1]));
        var data = raw.Select((p, i) => (x: clamped[i][0] * xUnit.Scale, y: clamped[i][1] * yUnit.Scale, p.row)).ToList();
        var xAxis = Axis.Fit(data.Select(d => d.x));
        var yAxis = Axis.Fit(data.Select(d => d.y));
        data = data.Where(d => (!xAxis.Log || d.x > 0) && (!yAxis.Log || d.y > 0)).ToList();
        var plot = new SvgPlot(title ?? $"{yName} vs {xName}", xUnit.AxisLabel, yUnit.AxisLabel, xAxis, yAxis);

        var groups = data.GroupBy(d => cc < 0 ? "design" : d.row[cc]).OrderBy(g => g.Key, NaturalOrder.Instance).ToList();
        for (int g = 0; g < groups.Count; g++)
        {
            var members = groups[g].ToList();
            plot.Scatter(members.Select(m => (m.x, m.y)).ToList(), Palette.Color(g), groups[g].Key,
                         members.Select(m => Tooltip(table, m.row, xName, yName)).ToList());
        }

        var vectors = data.Select(d => new[] { xGoal == Goal.Min ? d.x : -d.x, yGoal == Goal.Min ? d.y : -d.y }).ToList();
        var front = ParetoSort.Front(vectors).Select(i => (data[i].x, data[i].y)).Distinct().OrderBy(p => p.x).ThenBy(p => p.y).ToList();
        plot.Line(Steps(front, xGoal), "#222", "Pareto front", 1.6);
        return plot;
    }

    /// <summary>The staircase through frontier points sorted by x: horizontal first when x is minimised, vertical first otherwise.</summary>
    public static List<(double x, double y)> Steps(IReadOnlyList<(double x, double y)> front, Goal xGoal)
    {
        var path = new List<(double, double)>();
        for (int i = 0; i < front.Count; i++)
        {
            if (i > 0)
                path.Add(xGoal == Goal.Min ? (front[i].x, front[i - 1].y) : (front[i - 1].x, front[i].y));
            path.Add(front[i]);
        }
        return path;
    }

    private static string Tooltip(ResultTable t, string[] row, string x, string y)
    {
        string point = t.Has("point") ? $"point {row[t.Column("point")]}: " : "";
        var ps = t.Header.Select((h, i) => (h, i)).Where(p => p.h.Contains('.') || p.h == "pe_kind").Select(p => $"{p.h}={row[p.i]}");
        return $"{point}{string.Join(", ", ps)}; {x}={row[t.Column(x)]}, {y}={row[t.Column(y)]}";
    }
}

/// <summary>Orders labels with embedded numbers naturally (8 before 16).</summary>
public sealed class NaturalOrder : IComparer<string>
{
    public static NaturalOrder Instance { get; } = new();

    public int Compare(string? a, string? b)
    {
        bool na = double.TryParse(a, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var x);
        bool nb = double.TryParse(b, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out var y);
        if (na && nb) return x.CompareTo(y);
        return string.CompareOrdinal(a, b);
    }
}
