using System.Globalization;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Sweep;
using ScottPlot;

namespace Mantissa.Explorer.Plot;

/// <summary>
/// What a Pareto figure shows: the figure, the designs on its 2-D front, markers drawn, the note under the title, and
/// the cells of the density drawn instead of dominated markers above <see cref="ParetoPlot.DensityAbove"/> designs (0 otherwise).
/// </summary>
public sealed record ParetoFigure(Figure Figure, int Designs, IReadOnlyList<string[]> Front, int Markers, int Labelled, string? Note, int DensityCells = 0);

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
/// space allows, joined by the staircase. Dominated designs are muted underneath: up to <see cref="DensityAbove"/>
/// designs as markers thinned to one per small cell and colour group; above it as a grey density of all of them
/// (designs per cell on a log scale), because a scatter of a million overlapping markers shows neither where designs
/// concentrate nor renders quickly.
/// </summary>
public static class ParetoPlot
{
    /// <summary>Cells per axis for dominated markers: at most this squared per colour group are drawn.</summary>
    public const int Cells = 120;

    /// <summary>Plotted designs above which the dominated ones are drawn as a density instead of markers.</summary>
    public const int DensityAbove = 20_000;

    /// <summary>Density cells across and up the plot (about square cells on the default figure).</summary>
    public const int DensityColumns = 120, DensityRows = 90;

    private const int MaxLabels = 10;

    /// <summary>The columns <see cref="Build(PointsColumns, IReadOnlyList{int}, string, string, ParetoPlotOptions?)"/> reads as labels: the colour and every parameter column.</summary>
    public static IEnumerable<string> LabelColumns(IReadOnlyList<string> header, string? colorBy) =>
        header.Where(h => h.Contains('.')).Concat(colorBy is null ? Array.Empty<string>() : new[] { colorBy });

    public static ParetoFigure Build(ResultTable table, IReadOnlyList<string[]> rows, string xMetric, string yMetric, ParetoPlotOptions? options = null)
    {
        var subset = new ResultTable(table.Header, rows, table.Source);
        using var columns = PointsColumns.Of(subset, new[] { xMetric, yMetric }, LabelColumns(table.Header, options?.ColorBy));
        return Build(columns, Enumerable.Range(0, rows.Count).ToList(), xMetric, yMetric, options);
    }

    /// <summary>The figure of <paramref name="rows"/> (row numbers of <paramref name="table"/>, whose x and y columns are read as numbers and <see cref="LabelColumns"/> as labels).</summary>
    public static ParetoFigure Build(PointsColumns table, IReadOnlyList<int> rows, string xMetric, string yMetric, ParetoPlotOptions? options = null)
    {
        var o = options ?? new ParetoPlotOptions();
        int xc = table.Column(xMetric), yc = table.Column(yMetric);
        var colour = o.ColorBy is null ? null : table.Labels(o.ColorBy);
        string xName = table.Header[xc], yName = table.Header[yc];
        double[] xs0 = table.Numbers(xMetric), ys0 = table.Numbers(yMetric);
        // ±∞ (the SQNR of an exact format) is drawn at its axis's finite extreme, as the frontier analysis clamps it
        var raw = new List<int>(rows.Count);
        foreach (int r in rows)
            if (!double.IsNaN(xs0[r]) && !double.IsNaN(ys0[r])) raw.Add(r);
        var (xlo, xhi) = FiniteBounds(raw, xs0);
        var (ylo, yhi) = FiniteBounds(raw, ys0);
        double Cx(int r) => double.IsPositiveInfinity(xs0[r]) ? xhi : double.IsNegativeInfinity(xs0[r]) ? xlo : xs0[r];
        double Cy(int r) => double.IsPositiveInfinity(ys0[r]) ? yhi : double.IsNegativeInfinity(ys0[r]) ? ylo : ys0[r];
        var xUnit = o.XUnit ?? DisplayUnit.For(xName, raw.Select(Cx));
        var yUnit = o.YUnit ?? DisplayUnit.For(yName, raw.Select(Cy));
        var dx = new double[raw.Count];
        var dy = new double[raw.Count];
        for (int i = 0; i < raw.Count; i++) { dx[i] = Cx(raw[i]) * xUnit.Scale; dy[i] = Cy(raw[i]) * yUnit.Scale; }
        var xAxis = Axis.Fit(dx);
        var yAxis = Axis.Fit(dy);
        // keep what a log axis can show
        int n = 0;
        for (int i = 0; i < raw.Count; i++)
            if ((!xAxis.Log || dx[i] > 0) && (!yAxis.Log || dy[i] > 0)) { dx[n] = dx[i]; dy[n] = dy[i]; raw[n] = raw[i]; n++; }
        raw.RemoveRange(n, raw.Count - n);
        Array.Resize(ref dx, n);
        Array.Resize(ref dy, n);

        string title = $"{MetricDisplay.Title(yName)} vs {MetricDisplay.Name(xName)}" + (o.Workload is null ? "" : $"\n{MetricDisplay.Workload(o.Workload)}");
        var fig = new Figure(title, xUnit.AxisLabel, yUnit.AxisLabel, xAxis, yAxis, o.Size);

        var signed = new double[2 * n];
        for (int i = 0; i < n; i++) { signed[2 * i] = o.XGoal == Goal.Min ? dx[i] : -dx[i]; signed[2 * i + 1] = o.YGoal == Goal.Min ? dy[i] : -dy[i]; }
        var frontIdx = ParetoSort.Front(signed, 2).OrderBy(i => dx[i]).ThenBy(i => dy[i]).ToList();
        var onFront = new bool[n];
        foreach (int i in frontIdx) onFront[i] = true;

        // colour groups in order of their label (naturally: 8 before 16), ties in order of first appearance
        var groupOfCode = new Dictionary<int, int>();
        var codes = new List<int>();
        for (int i = 0; i < n; i++)
        {
            int c = colour?.Codes[raw[i]] ?? 0;
            if (!groupOfCode.ContainsKey(c)) { groupOfCode[c] = -1; codes.Add(c); }
        }
        var groupKeys = codes.Select(c => (c, key: colour is null ? "" : colour.Levels[c])).OrderBy(g => g.key, NaturalOrder.Instance).ToList();
        for (int g = 0; g < groupKeys.Count; g++) groupOfCode[groupKeys[g].c] = g;
        var group = new int[n];
        for (int i = 0; i < n; i++) group[i] = groupOfCode[colour?.Codes[raw[i]] ?? 0];
        int groups = groupKeys.Count;

        int markers = 0, densityCells = 0;
        if (n > DensityAbove) densityCells = Density(fig, dx, dy, onFront);
        else
        {
            // dominated designs first (underneath), one marker per cell and group
            for (int g = 0; g < groups; g++)
            {
                var seen = new HashSet<(int, int)>();
                var xs = new List<double>();
                var ys = new List<double>();
                for (int i = 0; i < n; i++)
                {
                    if (group[i] != g || onFront[i]) continue;
                    var cell = ((int)(xAxis.Fraction(dx[i]) * Cells), (int)(yAxis.Fraction(dy[i]) * Cells));
                    if (!seen.Add(cell)) continue;
                    xs.Add(fig.Px(dx[i]));
                    ys.Add(fig.Py(dy[i]));
                }
                if (xs.Count == 0) continue;
                var s = fig.Plot.Add.Scatter(xs.ToArray(), ys.ToArray());
                s.LineWidth = 0;
                s.MarkerShape = MarkerShape.FilledCircle;
                s.MarkerSize = 3 * Figure.K;
                s.Color = (groups == 1 ? Palette.Muted : Palette.Of(g)).WithAlpha(90);
                s.MarkerLineWidth = 0;
                s.LegendText = "";
                markers += xs.Count;
            }
        }

        // the staircase through the 2-D front, then its designs on top: filled, outlined, in their group's colour
        var front = frontIdx.Select(i => (dx[i], dy[i])).Distinct().ToList();
        if (front.Count > 0)
        {
            var steps = Steps(front, o.XGoal);
            var line = fig.Plot.Add.Scatter(steps.Select(p => fig.Px(p.x)).ToArray(), steps.Select(p => fig.Py(p.y)).ToArray());
            line.MarkerSize = 0;
            line.LineWidth = 0.8f * Figure.K;
            line.Color = Colors.Black.WithAlpha(160);
            line.LegendText = $"2-D front ({front.Count})";
        }
        for (int g = 0; g < groups; g++)
        {
            var members = Enumerable.Range(0, n).Where(i => group[i] == g && onFront[i]).ToList();
            string legend = groups == 1 ? "" : groupKeys[g].key;
            var s = fig.Plot.Add.Scatter(members.Select(i => fig.Px(dx[i])).ToArray(), members.Select(i => fig.Py(dy[i])).ToArray());
            s.LineWidth = 0;
            s.MarkerShape = MarkerShape.FilledCircle;
            s.MarkerSize = 5.5f * Figure.K;
            s.Color = groups == 1 ? Palette.Of(0) : Palette.Of(g);
            s.MarkerLineColor = Colors.Black;
            s.MarkerLineWidth = 0.6f * Figure.K;
            s.LegendText = legend;
            markers += members.Count;
        }
        var varying = VaryingParameters(table, raw, o.ColorBy);
        var frontRows = frontIdx.Select(i => table.Row(raw[i])).ToList();
        int labelled = Label(fig, frontIdx.Select((i, k) => (dx[i], dy[i], Name(table, frontRows[k], varying))).ToList());

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
        if (groups == 1 && front.Count == 0) fig.Plot.HideLegend();
        return new ParetoFigure(fig, n, frontRows, markers, labelled, note, densityCells);
    }

    /// <summary>
    /// Draws the dominated designs as counts on a <see cref="DensityColumns"/> × <see cref="DensityRows"/> grid over the
    /// axes: grey, darker for more designs (log scale), empty cells transparent; returns the cells holding designs.
    /// </summary>
    private static int Density(Figure fig, double[] dx, double[] dy, bool[] onFront)
    {
        var counts = new int[DensityRows, DensityColumns];
        int max = 0, cells = 0;
        for (int i = 0; i < dx.Length; i++)
        {
            if (onFront[i]) continue;
            int c = Math.Clamp((int)(fig.X.Fraction(dx[i]) * DensityColumns), 0, DensityColumns - 1);
            int r = Math.Clamp((int)((1 - fig.Y.Fraction(dy[i])) * DensityRows), 0, DensityRows - 1); // row 0 at the top
            if (counts[r, c]++ == 0) cells++;
            max = Math.Max(max, counts[r, c]);
        }
        if (cells == 0) return 0;
        var shade = new double[DensityRows, DensityColumns];
        for (int r = 0; r < DensityRows; r++)
            for (int c = 0; c < DensityColumns; c++)
                shade[r, c] = counts[r, c] == 0 ? double.NaN : Math.Log10(counts[r, c]);
        var map = fig.Plot.Add.Heatmap(shade);
        map.Colormap = new ScottPlot.Colormaps.GrayscaleReversed();
        map.ManualRange = new ScottPlot.Range(-0.35 * Math.Max(1, Math.Log10(max)), Math.Max(1, Math.Log10(max)));
        map.NaNCellColor = Colors.Transparent;
        map.Rectangle = new CoordinateRect(fig.Px(fig.X.Min), fig.Px(fig.X.Max), fig.Py(fig.Y.Min), fig.Py(fig.Y.Max));
        map.Opacity = 0.75;
        return cells;
    }

    private static (double lo, double hi) FiniteBounds(List<int> rows, double[] v)
    {
        double lo = 0, hi = 0;
        bool any = false;
        foreach (int r in rows)
        {
            if (!double.IsFinite(v[r])) continue;
            if (!any || v[r] < lo) lo = v[r];
            if (!any || v[r] > hi) hi = v[r];
            any = true;
        }
        return (lo, hi);
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
    public static IReadOnlyList<int> VaryingParameters(PointsColumns table, IReadOnlyList<int> rows, string? colorBy) =>
        Enumerable.Range(0, table.Header.Count)
            .Where(c => table.Header[c].Contains('.') && table.Header[c] != colorBy && rows.Count > 0 && table.HasLabels(c) &&
                        rows.Any(r => table.Labels(c).Codes[r] != table.Labels(c).Codes[rows[0]]))
            .ToList();

    /// <summary>A design's short name: its point number and its values of the <paramref name="varying"/> parameters.</summary>
    public static string Name(PointsColumns table, string[] row, IReadOnlyList<int> varying)
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
