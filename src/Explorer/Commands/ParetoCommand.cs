using Mantissa.Arch;
using System.Globalization;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa pareto</c>: re-plots any results file for a chosen pair of metrics and prints that pair's front.</summary>
public sealed class ParetoCommand : ICommand
{
    public CommandSpec Spec { get; } = new("pareto", "Plot two metrics of a results file with their Pareto front (SVG).",
        "mantissa pareto POINTS.csv --x METRIC[:min|max] --y METRIC[:min|max] [--color COLUMN] [--workload W] [--out FILE.svg]",
        new[]
        {
            new OptionSpec("--x", "METRIC", "Metric on the x axis; ':min' or ':max' overrides its usual goal (latency_s minimised, tokens_per_s maximised, ...)."),
            new OptionSpec("--y", "METRIC", "Metric on the y axis."),
            new OptionSpec("--color", "COLUMN", "Column that colours the points (default pe_kind when present)."),
            new OptionSpec("--workload", "W", "Plot only this workload's rows (required when the file has several)."),
            new OptionSpec("--out", "FILE.svg", "Where to write the plot (default: next to the CSV, pareto-Y-vs-X.svg)."),
        },
        "Only valid rows are plotted. Axes become logarithmic when a metric spans two decades or more.");

    public int Run(ParsedArgs args, CommandIO io)
    {
        string csv = args.Positional(0, "the results file (points.csv or pareto.csv)");
        var (x, xGoal) = ParseMetric(args.Require("--x"));
        var (y, yGoal) = ParseMetric(args.Require("--y"));
        var table = PointsCsv.Read(csv, repair: false, out _);
        int xc = table.Column(x), yc = table.Column(y);
        x = table.Header[xc];
        y = table.Header[yc];
        string? color = args.Get("--color") ?? (table.Has("pe_kind") ? "pe_kind" : null);
        if (color is not null) table.Column(color);

        var rows = table.Rows.Where(table.IsValid).ToList();
        string? workload = args.Get("--workload");
        if (table.Has("workload"))
        {
            int wc = table.Column("workload");
            var names = rows.Select(r => r[wc]).Distinct().ToList();
            if (workload is null && names.Count > 1)
                throw new UsageException($"{csv} has {names.Count} workloads; choose one with --workload ({string.Join(", ", names)})");
            if (workload is not null)
            {
                if (!names.Contains(workload))
                    throw new UsageException($"no valid rows for workload '{workload}'" + (NameSuggester.Nearest(workload, names) is { } n ? $"; did you mean '{n}'?" : "") +
                                             $" (workloads: {string.Join(", ", names)})");
                rows = rows.Where(r => r[wc] == workload).ToList();
            }
            workload ??= names.FirstOrDefault();
        }

        var plot = ParetoPlot.Build(table, rows, x, y, color, xGoal, yGoal, workload is null ? $"{y} vs {x}" : $"{workload}: {y} vs {x}");
        string output = args.Get("--out") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csv)) ?? ".", $"pareto-{y}-vs-{x}.svg");
        File.WriteAllText(output, plot.ToSvg());

        var vectors = rows.Select(r => new[] { Min(ResultTable.Number(r[xc]), xGoal), Min(ResultTable.Number(r[yc]), yGoal) }).ToList();
        var ok = Enumerable.Range(0, rows.Count).Where(i => vectors[i].All(double.IsFinite)).ToList();
        var front = ParetoSort.Front(ok.Select(i => vectors[i]).ToList()).Select(j => ok[j]).OrderBy(i => vectors[i][0]).ToList();
        io.Out.WriteLine($"{front.Count} of {ok.Count} valid designs on the {x} ({GoalText(xGoal)}) / {y} ({GoalText(yGoal)}) front:");
        string pointCol = table.Has("point") ? "point" : table.Header[0];
        io.Out.WriteLine($"  {pointCol,8}  {x,14}  {y,14}{(color is null ? "" : "  " + color)}");
        foreach (int i in front)
        {
            var r = rows[i];
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r[table.Column(pointCol)],8}  {Axis.Label(ResultTable.Number(r[xc])),14}  {Axis.Label(ResultTable.Number(r[yc])),14}{(color is null ? "" : "  " + r[table.Column(color)])}"));
        }
        io.Out.WriteLine($"wrote {SweepCommand.Relative(output)} ({plot.PointCount} points)");
        return 0;
    }

    private static double Min(double v, Goal g) => g == Goal.Min ? v : -v;

    private static string GoalText(Goal g) => g.ToString().ToLowerInvariant();

    private static (string metric, Goal goal) ParseMetric(string text)
    {
        var parts = text.Split(':');
        if (parts.Length > 2 || (parts.Length == 2 && parts[1] is not ("min" or "max")))
            throw new UsageException($"expected METRIC or METRIC:min or METRIC:max, got '{text}'");
        var goal = parts.Length == 2 ? (parts[1] == "min" ? Goal.Min : Goal.Max) : MetricCatalog.Find(parts[0])?.Goal ?? Goal.Min;
        return (parts[0], goal);
    }
}
