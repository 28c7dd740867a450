using System.Text.RegularExpressions;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Report;

/// <summary>A plot written to the results folder: file name relative to the folder, caption and SVG text.</summary>
public sealed record PlotFile(string RelativePath, string Caption, string Svg, int Markers);

/// <summary>Everything derived from points.csv: pareto.csv, the SVG plots and index.html.</summary>
public static class SweepArtifacts
{
    /// <summary>Writes pareto.csv, plots/*.svg and index.html into <paramref name="dir"/>; <paramref name="detail"/> supplies breakdowns for chosen designs.</summary>
    public static (IReadOnlyList<WorkloadFront> fronts, IReadOnlyList<PlotFile> plots) Write(
        string dir, SweepSummary summary, ResultTable table, Func<string[], DesignDetail?>? detail)
    {
        var order = summary.Workloads.Select((w, i) => (w, i)).ToDictionary(x => x.w, x => x.i);
        var fronts = ParetoAnalysis.Fronts(table, summary.Objectives)
            .OrderBy(f => order.GetValueOrDefault(f.Workload, int.MaxValue)).ThenBy(f => f.Workload, StringComparer.Ordinal).ToList();
        PointsCsv.WriteAll(Path.Combine(dir, "pareto.csv"), table.Header.Append("crowding").ToList(),
            fronts.SelectMany(f => f.Members.Select(m => m.Row.Append(double.IsPositiveInfinity(m.Crowding) ? "inf" : ResultTable.Format(m.Crowding)).ToArray())));

        var plots = new List<PlotFile>();
        string plotDir = Path.Combine(dir, "plots");
        if (Directory.Exists(plotDir))
            foreach (var old in Directory.GetFiles(plotDir, "*.svg")) File.Delete(old);
        Directory.CreateDirectory(plotDir);
        string? color = table.Has(summary.ColorBy) ? summary.ColorBy : null;
        int wc = table.Column("workload");
        foreach (var front in fronts)
        {
            var rows = table.Rows.Where(r => table.IsValid(r) && r[wc] == front.Workload).ToList();
            string slug = Slug(front.Workload);
            var objs = summary.Objectives;
            for (int i = 0; i < objs.Count; i++)
            for (int j = i + 1; j < objs.Count; j++)
            {
                var plot = ParetoPlot.Build(table, rows, objs[i].Metric, objs[j].Metric, color, objs[i].Goal, objs[j].Goal,
                                            $"{front.Workload}: {objs[j].Metric} vs {objs[i].Metric}");
                plots.Add(Save(dir, $"plots/{slug}--{objs[i].Metric}-vs-{objs[j].Metric}.svg",
                    $"{front.Workload}: {objs[j].Metric} against {objs[i].Metric}, coloured by {color ?? "nothing"}", plot.ToSvg(), plot.PointCount));
            }
            if (detail is null || front.Members.Count == 0) continue;
            var chosen = front.Members[0].Row;
            var d = detail(chosen);
            if (d is null) continue;
            string who = $"point {chosen[0]} ({objs[0].Goal.ToString().ToLowerInvariant()} {objs[0].Metric})";
            if (d.Breakdown.Count > 0)
            {
                foreach (var (what, unit, pick) in new (string, string, Func<BreakdownItem, double>)[]
                         { ("energy", "energy (pJ)", b => b.EnergyPj), ("time", "time (s)", b => b.TimeS) })
                {
                    var groups = d.Breakdown.Select(b => b.Group).Distinct().ToList();
                    var components = d.Breakdown.Select(b => b.Component).Distinct().ToList();
                    var chart = new StackedBarChart($"{front.Workload}: {what} of {who}", unit, groups);
                    foreach (var c in components)
                    {
                        var values = groups.Select(g => d.Breakdown.Where(b => b.Group == g && b.Component == c).Sum(pick)).ToArray();
                        if (values.Any(v => v > 0)) chart.Series(c, values);
                    }
                    string svg = chart.ToSvg();
                    plots.Add(Save(dir, $"plots/{slug}--breakdown-{what}.svg", $"{front.Workload}: {what} by component for {who}", svg, chart.SegmentCount));
                }
            }
            if (d.Roofline is { } roof)
            {
                var plot = RooflinePlot.Build(roof, $"{front.Workload}: roofline of {who}");
                plots.Add(Save(dir, $"plots/{slug}--roofline.svg", $"{front.Workload}: roofline of {who}", plot.ToSvg(), plot.PointCount));
            }
        }
        File.WriteAllText(Path.Combine(dir, "index.html"), HtmlReport.Render(summary, table, fronts, plots));
        return (fronts, plots);
    }

    private static PlotFile Save(string dir, string rel, string caption, string svg, int markers)
    {
        File.WriteAllText(Path.Combine(dir, rel), svg);
        return new PlotFile(rel, caption, svg, markers);
    }

    /// <summary>A file-name-safe form of a workload label.</summary>
    public static string Slug(string s) => Regex.Replace(s, "[^A-Za-z0-9.-]+", "_").Trim('_');
}
