using System.Globalization;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Sweep;
using ScottPlot;

namespace Mantissa.Explorer.Plot;

/// <summary>What a Pareto figure shows: the figure, the designs on its 2-D front, markers drawn and the note under the title.</summary>
public sealed record ParetoFigure(Figure Figure, int Designs, IReadOnlyList<string[]> Front, int Markers, int Labelled, string? Note);

/// <summary>Options of a Pareto figure beyond its two metrics.</summary>
public sealed record ParetoPlotOptions
{
    public string? ColorBy { get; init; }
    public Goal XGoal { get; init; } = Goal.Min;
    public Goal YGoal { get; init; } = Goal.Min;
    /// <summary>Short workload label for the title.</summary>
    public string? Workload { get; init; }
    public FigureSize Size { get; init; } = FigureSize.Column;
    /// <summary>The run's units (one per quantity per run); null picks them from the plotted rows.</summary>
    public DisplayUnit? XUnit { get; init; }
    public DisplayUnit? YUnit { get; init; }
    /// <summary>Designs on the sweep's front over all its objectives, when it has more than the two plotted.</summary>
    public (int Objectives, int Designs)? SweepFront { get; init; }
}

/// <summary>
/// The objective-pair scatter: designs on the 2-D front of the two plotted metrics filled, outlined and labelled where
/// space allows, joined by the staircase; dominated designs muted, and thinned to one marker per small cell of the plot
/// so a million-point sweep draws a bounded number of elements.
/// </summary>
public static class ParetoPlot
{
    /// <summary>Cells per axis for dominated markers: at most this squared per colour group are drawn.</summary>
    public const int Cells = 120;
    private const int MaxLabels = 10;

    public static ParetoFigure Build(ResultTable table, IReadOnlyList<string[]> rows, string xMetric, string yMetric, ParetoPlotOptions? options = null)
    {
        var o = options ?? new ParetoPlotOptions();
        int xc = table.Column(xMetric), yc = table.Column(yMetric);
        int cc = o.ColorBy is null ? -1 : table.Column(o.ColorBy);
        string xName = table.Header[xc], yName = table.Header[yc];
        // ±∞ (the SQNR of an exact format) is drawn at its axis's finite extreme, as the frontier analysis clamps it
        var raw = rows.Select(r => (x: ResultTable.Number(r[xc]), y: ResultTable.Number(r[yc]), row: r))
                      .Where(p => !double.IsNaN(p.x) && !double.IsNaN(p.y)).ToList();
        var clamped = FiniteRange.Clamp(raw.Select(p => new[] { p.x, p.y }).ToList());
        var xUnit = o.XUnit ?? DisplayUnit.For(xName, clamped.Select(c => c[0]));
        var yUnit = o.YUnit ?? DisplayUnit.For(yName, clamped.Select(c => c[1]));
        var data = raw.Select((p, i) => (x: clamped[i][0] * xUnit.Scale, y: clamped[i][1] * yUnit.Scale, p.row)).ToList();
        var xAxis = Axis.Fit(data.Select(d => d.x));
        var yAxis = Axis.Fit(data.Select(d => d.y));
        data = data.Where(d => (!xAxis.Log || d.x > 0) && (!yAxis.Log || d.y > 0)).ToList();

        string title = $"{MetricDisplay.Title(yName)} vs {MetricDisplay.Name(xName)}" + (o.Workload is null ? "" : $"\n{MetricDisplay.Workload(o.Workload)}");
        var fig = new Figure(title, xUnit.AxisLabel, yUnit.AxisLabel, xAxis, yAxis, o.Size);

        var frontIdx = Front2D(data.Select(d => (o.XGoal == Goal.Min ? d.x : -d.x, o.YGoal == Goal.Min ? d.y : -d.y)).ToList())
                       .OrderBy(i => data[i].x).ThenBy(i => data[i].y).ToList();
        var onFront = new HashSet<int>(frontIdx);

        var groups = data.Select((d, i) => (d, i)).GroupBy(t => cc < 0 ? "" : t.d.row[cc]).OrderBy(g => g.Key, NaturalOrder.Instance).ToList();
        int markers = 0;
        // dominated designs first (underneath), one marker per cell and group
        for (int g = 0; g < groups.Count; g++)
        {
            var seen = new HashSet<(int, int)>();
            var xs = new List<double>();
            var ys = new List<double>();
            foreach (var (d, i) in groups[g])
            {
                if (onFront.Contains(i)) continue;
                var cell = ((int)(xAxis.Fraction(d.x) * Cells), (int)(yAxis.Fraction(d.y) * Cells));
                if (!seen.Add(cell)) continue;
                xs.Add(fig.Px(d.x));
                ys.Add(fig.Py(d.y));
            }
            if (xs.Count == 0) continue;
            var s = fig.Plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            s.LineWidth = 0;
            s.MarkerShape = MarkerShape.FilledCircle;
            s.MarkerSize = 3 * Figure.K;
            s.Color = (groups.Count == 1 ? Palette.Muted : Palette.Of(g)).WithAlpha(90);
            s.MarkerLineWidth = 0;
            s.LegendText = "";
            markers += xs.Count;
        }

        // the staircase through the 2-D front, then its designs on top: filled, outlined, in their group's colour
        var front = frontIdx.Select(i => (data[i].x, data[i].y)).Distinct().ToList();
        if (front.Count > 0)
        {
            var steps = Steps(front, o.XGoal);
            var line = fig.Plot.Add.Scatter(steps.Select(p => fig.Px(p.x)).ToArray(), steps.Select(p => fig.Py(p.y)).ToArray());
            line.MarkerSize = 0;
            line.LineWidth = 0.8f * Figure.K;
            line.Color = Colors.Black.WithAlpha(160);
            line.LegendText = $"2-D front ({front.Count})";
        }
        for (int g = 0; g < groups.Count; g++)
        {
            var members = groups[g].Where(t => onFront.Contains(t.i)).ToList();
            string legend = groups.Count == 1 ? "" : groups[g].Key;
            var s = fig.Plot.Add.Scatter(members.Select(t => fig.Px(t.d.x)).ToArray(), members.Select(t => fig.Py(t.d.y)).ToArray());
            s.LineWidth = 0;
            s.MarkerShape = MarkerShape.FilledCircle;
            s.MarkerSize = 5.5f * Figure.K;
            s.Color = groups.Count == 1 ? Palette.Of(0) : Palette.Of(g);
            s.MarkerLineColor = Colors.Black;
            s.MarkerLineWidth = 0.6f * Figure.K;
            s.LegendText = legend;
            markers += members.Count;
        }
        var varying = VaryingParameters(table, data.Select(d => d.row).ToList(), o.ColorBy);
        int labelled = Label(fig, frontIdx.Select(i => (data[i].x, data[i].y, Name(table, data[i].row, varying))).ToList());

        string? note = null;
        if (o.SweepFront is { } sf && sf.Objectives > 2)
        {
            note = $"{sf.Designs} on the {sf.Objectives}-objective front,\n{front.Count} on this 2-D front";
            var a = fig.Plot.Add.Annotation(note, Corner(o.XGoal, o.YGoal, away: true));
            a.LabelFontName = FigureFont.Family;
            a.LabelFontSize = Figure.NotePt * Figure.K;
            a.LabelBackgroundColor = Colors.White.WithAlpha(220);
            a.LabelBorderColor = Colors.Gray;
            a.LabelShadowColor = Colors.Transparent;
        }
        fig.Legend();
        if (groups.Count == 1 && front.Count == 0) fig.Plot.HideLegend();
        return new ParetoFigure(fig, data.Count, frontIdx.Select(i => data[i].row).ToList(), markers, labelled, note);
    }

    /// <summary>The corner where the front lies (best x, best y), or the one across from it.</summary>
    private static Alignment Corner(Goal x, Goal y, bool away)
    {
        bool left = (x == Goal.Min) != away, low = (y == Goal.Min) != away;
        return (left, low) switch
        {
            (true, true) => Alignment.LowerLeft,
            (true, false) => Alignment.UpperLeft,
            (false, true) => Alignment.LowerRight,
            _ => Alignment.UpperRight,
        };
    }

    /// <summary>Labels front designs left to right, skipping a label that would overlap one already placed or leave the plot.</summary>
    private static int Label(Figure fig, IReadOnlyList<(double x, double y, string name)> points)
    {
        var (w, h) = fig.Size.Points;
        double plotW = w - 60, plotH = h - 50; // points inside the axes, roughly
        var boxes = new List<(double x0, double y0, double x1, double y1)>();
        int n = 0;
        foreach (var (x, y, name) in points)
        {
            if (n >= MaxLabels) break;
            double fx = fig.X.Fraction(x), fy = fig.Y.Fraction(y);
            double bw = (name.Length * 0.56 * Figure.NotePt + 4) / plotW, bh = (Figure.NotePt * 1.3) / plotH;
            var box = (x0: fx + 3 / plotW, y0: fy + 2 / plotH, x1: fx + 3 / plotW + bw, y1: fy + 2 / plotH + bh);
            if (box.x1 > 1 || box.y1 > 1) continue;
            if (boxes.Any(b => b.x0 < box.x1 && box.x0 < b.x1 && b.y0 < box.y1 && box.y0 < b.y1)) continue;
            boxes.Add(box);
            var t = fig.Plot.Add.Text(name, fig.Px(x), fig.Py(y));
            t.LabelFontName = FigureFont.Family;
            t.LabelFontSize = Figure.NotePt * Figure.K;
            t.LabelFontColor = Colors.Black;
            t.LabelAlignment = Alignment.LowerLeft;
            t.LabelOffsetX = 3 * Figure.K;
            t.LabelOffsetY = -2 * Figure.K;
            n++;
        }
        return n;
    }

    /// <summary>Parameter columns (names with a dot) other than the colour column whose value differs among <paramref name="rows"/>.</summary>
    public static IReadOnlyList<int> VaryingParameters(ResultTable table, IReadOnlyList<string[]> rows, string? colorBy) =>
        Enumerable.Range(0, table.Header.Count)
            .Where(c => table.Header[c].Contains('.') && table.Header[c] != colorBy && rows.Count > 0 && rows.Any(r => r[c] != rows[0][c]))
            .ToList();

    /// <summary>A design's short name: its point number and its values of the <paramref name="varying"/> parameters.</summary>
    public static string Name(ResultTable table, string[] row, IReadOnlyList<int> varying)
    {
        var parts = new List<string>();
        if (table.Has("point")) parts.Add("#" + row[table.Column("point")]);
        parts.AddRange(varying.Select(c => row[c]));
        string s = string.Join(" ", parts);
        return s.Length <= 18 ? s : s[..17] + "…";
    }

    /// <summary>
    /// Indices of the non-dominated points of a 2-D minimisation (equal points are all kept, as in <see cref="ParetoSort"/>):
    /// one sort and one sweep, O(n log n), so a million-point sweep plots in seconds.
    /// </summary>
    public static List<int> Front2D(IReadOnlyList<(double x, double y)> v)
    {
        var order = Enumerable.Range(0, v.Count).ToArray();
        Array.Sort(order, (a, b) => v[a].x != v[b].x ? v[a].x.CompareTo(v[b].x) : v[a].y != v[b].y ? v[a].y.CompareTo(v[b].y) : a.CompareTo(b));
        var front = new List<int>();
        double bestY = double.PositiveInfinity;
        (double x, double y) last = (double.NaN, double.NaN);
        foreach (int i in order)
        {
            if (v[i].y < bestY || v[i] == last)
            {
                front.Add(i);
                bestY = v[i].y;
                last = v[i];
            }
        }
        return front;
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
}

/// <summary>Orders labels with embedded numbers naturally (8 before 16).</summary>
public sealed class NaturalOrder : IComparer<string>
{
    public static NaturalOrder Instance { get; } = new();

    public int Compare(string? a, string? b)
    {
        bool na = double.TryParse(a, NumberStyles.Float, CultureInfo.InvariantCulture, out var x);
        bool nb = double.TryParse(b, NumberStyles.Float, CultureInfo.InvariantCulture, out var y);
        if (na && nb) return x.CompareTo(y);
        return string.CompareOrdinal(a, b);
    }
}
