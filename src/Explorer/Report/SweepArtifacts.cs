using System.Text.RegularExpressions;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Report;

/// <summary>A plot written to the results folder: path without extension (relative to the folder), caption, PNG bytes, files written.</summary>
public sealed record PlotFile(string RelativeBase, string Caption, byte[] Png, int Markers, IReadOnlyList<string> Files, string? Note = null);

/// <summary>How the figures of a results folder are drawn and written.</summary>
public sealed record FigureOptions(FigureSize Size, ImageFormats Formats)
{
    public static FigureOptions Default { get; } = new(FigureSize.Column, ImageFormats.Png | ImageFormats.Svg);
}

/// <summary>
/// Everything derived from points.csv: pareto.csv, the plots (PNG/SVG) and index.html. It reads only the columns it
/// needs as typed arrays (<see cref="Columns"/>) and reads whole rows back only for front designs, so its memory grows
/// by about 50 bytes per row of points.csv.
/// </summary>
public static class SweepArtifacts
{
    /// <summary>The columns of points.csv the artifacts read: objectives and units as numbers; workload, status, reason, colour and parameters as labels.</summary>
    public static PointsColumns Columns(string pointsCsv, SweepSummary summary)
    {
        var header = PointsCsv.ReadHeader(pointsCsv);
        return PointsColumns.Read(pointsCsv, NumberColumns(summary), LabelColumns(summary, header));
    }

    /// <summary><see cref="Columns(string, SweepSummary)"/> of a table already in memory.</summary>
    public static PointsColumns Columns(ResultTable table, SweepSummary summary) =>
        PointsColumns.Of(table, NumberColumns(summary), LabelColumns(summary, table.Header));

    private static IEnumerable<string> NumberColumns(SweepSummary summary) =>
        summary.Objectives.Select(o => o.Metric).Concat(new[] { "energy_pj", "latency_s" });

    private static IEnumerable<string> LabelColumns(SweepSummary summary, IReadOnlyList<string> header) =>
        new[] { "workload", "reason" }.Concat(summary.Parameters).Concat(ParetoPlot.LabelColumns(header, header.Contains(summary.ColorBy) ? summary.ColorBy : null));

    /// <summary>Writes pareto.csv, plots/* and index.html into <paramref name="dir"/>; <paramref name="detail"/> supplies breakdowns for chosen designs.</summary>
    public static (IReadOnlyList<WorkloadFront> fronts, IReadOnlyList<PlotFile> plots) Write(
        string dir, SweepSummary summary, PointsColumns table, Func<string[], DesignDetail?>? detail, FigureOptions? figures = null)
    {
        figures ??= FigureOptions.Default;
        var order = summary.Workloads.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i);
        var fronts = ParetoAnalysis.Fronts(table, summary.Objectives)
            .OrderBy(f => order.GetValueOrDefault(f.Workload, int.MaxValue)).ThenBy(f => f.Workload, StringComparer.Ordinal).ToList();
        PointsCsv.WriteAll(Path.Combine(dir, "pareto.csv"), table.Header.Append("crowding").ToList(),
            fronts.SelectMany(f => f.Members.Select(m => m.Row.Append(double.IsPositiveInfinity(m.Crowding) ? "inf" : ResultTable.Format(m.Crowding)).ToArray())));

        var units = RunUnits.Of(table, summary.Objectives.Select(o => o.Metric));
        var plots = new List<PlotFile>();
        string plotDir = Path.Combine(dir, "plots");
        if (Directory.Exists(plotDir))
            foreach (var old in Directory.GetFiles(plotDir).Where(f => f.EndsWith(".svg", StringComparison.Ordinal) || f.EndsWith(".png", StringComparison.Ordinal)))
                File.Delete(old);
        Directory.CreateDirectory(plotDir);
        string? color = table.Has(summary.ColorBy) ? summary.ColorBy : null;
        var workloads = table.Labels("workload");
        foreach (var front in fronts)
        {
            var rows = new List<int>();
            for (int r = 0; r < table.Count; r++)
                if (table.IsValid(r) && workloads[r] == front.Workload) rows.Add(r);
            string slug = Slug(front.Workload);
            var objs = summary.Objectives;
            for (int i = 0; i < objs.Count; i++)
            for (int j = i + 1; j < objs.Count; j++)
            {
                var p = ParetoPlot.Build(table, rows, objs[i].Metric, objs[j].Metric, new ParetoPlotOptions
                {
                    ColorBy = color, XGoal = objs[i].Goal, YGoal = objs[j].Goal, Workload = front.Workload, Size = figures.Size,
                    XUnit = units.Get(objs[i].Metric), YUnit = units.Get(objs[j].Metric),
                    SweepFront = objs.Count > 2 ? (objs.Count, front.Members.Count) : null,
                });
                string caption = $"{front.Workload}: {MetricDisplay.Name(objs[j].Metric)} against {MetricDisplay.Name(objs[i].Metric)}; " +
                                 $"{p.Front.Count} of {p.Designs} designs on this 2-D front (filled, outlined)" +
                                 (color is null ? "" : $", coloured by {color}") +
                                 (p.DensityCells > 0 ? $"; dominated designs as a density (grey: designs per cell, darker = more, log scale; {p.DensityCells} cells)"
                                  : p.Markers < p.Designs ? $"; dominated designs thinned to one marker per cell ({p.Markers} markers)" : "");
                plots.Add(Save(dir, $"plots/{slug}--{objs[i].Metric}-vs-{objs[j].Metric}", caption, p.Figure, p.Markers, figures.Formats, p.Note));
            }
            if (detail is null || front.Members.Count == 0) continue;
            var chosen = front.Members[0].Row;
            var d = detail(chosen);
            if (d is null) continue;
            string who = $"point {chosen[0]} ({objs[0].Goal.ToString().ToLowerInvariant()} {MetricDisplay.Name(objs[0].Metric)})";
            if (d.Breakdown.Count > 0)
            {
                var energy = units.Energy(d.Breakdown.Select(b => b.EnergyPj));
                var time = units.Latency(d.Breakdown.Select(b => b.TimeS));
                foreach (var (what, unit, pick) in new (string, DisplayUnit, Func<BreakdownItem, double>)[]
                         { ("energy", energy, b => b.EnergyPj), ("time", time, b => b.TimeS) })
                {
                    var groups = d.Breakdown.Select(b => b.Group).Distinct().ToList();
                    var components = d.Breakdown.Select(b => b.Component).Distinct().ToList();
                    var chart = new StackedBarChart($"{char.ToUpperInvariant(what[0])}{what[1..]} of {who}\n{MetricDisplay.Workload(front.Workload)}", unit.LabelFor(what), groups);
                    foreach (var c in components)
                    {
                        var values = groups.Select(g => d.Breakdown.Where(b => b.Group == g && b.Component == c).Sum(pick) * unit.Scale).ToArray();
                        if (values.Any(v => v > 0)) chart.Series(c, values);
                    }
                    var fig = chart.Build(figures.Size);
                    plots.Add(Save(dir, $"plots/{slug}--breakdown-{what}", $"{front.Workload}: {what} by component for {who}", fig, chart.SegmentCount, figures.Formats));
                }
            }
            if (d.Roofline is { } roof)
            {
                var (fig, markers) = RooflinePlot.Build(roof, $"Roofline of {who}\n{MetricDisplay.Workload(front.Workload)}", figures.Size);
                plots.Add(Save(dir, $"plots/{slug}--roofline", $"{front.Workload}: roofline of {who}", fig, markers, figures.Formats));
            }
        }
        File.WriteAllText(Path.Combine(dir, "index.html"), HtmlReport.Render(summary, table, fronts, plots, units));
        return (fronts, plots);
    }

    private static PlotFile Save(string dir, string relBase, string caption, Figure fig, int markers, ImageFormats formats, string? note = null)
    {
        var files = fig.Save(Path.Combine(dir, relBase), formats);
        byte[] png = formats.HasFlag(ImageFormats.Png) ? File.ReadAllBytes(Path.Combine(dir, relBase + ".png")) : fig.Png();
        return new PlotFile(relBase, caption, png, markers, files.Select(f => Path.GetRelativePath(dir, f).Replace('\\', '/')).ToList(), note);
    }

    /// <summary>A file-name-safe form of a workload label.</summary>
    public static string Slug(string s) => Regex.Replace(s, "[^A-Za-z0-9.-]+", "_").Trim('_');
}

/// <summary>The display unit of each metric for a whole run (one unit per quantity, chosen from all its valid rows).</summary>
public sealed class RunUnits
{
    private readonly Dictionary<string, DisplayUnit> _units = new(StringComparer.Ordinal);

    /// <summary>The units of <paramref name="metrics"/>, energy_pj and latency_s, each read as numbers by <paramref name="table"/>.</summary>
    public static RunUnits Of(PointsColumns table, IEnumerable<string> metrics)
    {
        var u = new RunUnits();
        foreach (var m in metrics.Concat(new[] { "energy_pj", "latency_s" }).Distinct().Where(table.Has))
        {
            var values = table.Numbers(m);
            u._units[m] = DisplayUnit.For(m, Enumerable.Range(0, table.Count).Where(table.IsValid).Select(r => values[r]));
        }
        return u;
    }

    public DisplayUnit Get(string metric) => _units.TryGetValue(metric, out var d) ? d : DisplayUnit.Keep(metric);

    /// <summary>The run's energy unit (from energy_pj), or one fitted to <paramref name="fallback"/> when the run has no energy column.</summary>
    public DisplayUnit Energy(IEnumerable<double> fallback) => _units.TryGetValue("energy_pj", out var d) ? d : DisplayUnit.For("energy_pj", fallback);

    public DisplayUnit Latency(IEnumerable<double> fallback) => _units.TryGetValue("latency_s", out var d) ? d : DisplayUnit.For("latency_s", fallback);
}
