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
    public CommandSpec Spec { get; } = new("pareto", "Plot two metrics of a results file with their Pareto front (PNG and SVG).",
        "mantissa pareto POINTS.csv --x METRIC[:min|max] --y METRIC[:min|max] [--color COLUMN] [--workload W] [--out FILE[.png|.svg]]\n" +
        "                [--format png,svg] [--size column|page|WxH]",
        new[]
        {
            new OptionSpec("--x", "METRIC", "Metric on the x axis; ':min' or ':max' overrides its usual goal (latency_s minimised, tokens_per_s maximised, ...)."),
            new OptionSpec("--y", "METRIC", "Metric on the y axis."),
            new OptionSpec("--color", "COLUMN", "Column that colours the points (default pe_kind when present)."),
            new OptionSpec("--workload", "W", "Plot only this workload's rows (required when the file has several)."),
            new OptionSpec("--out", "FILE", "Where to write the plot: FILE.png or FILE.svg for one format, FILE for each --format (default: next to the CSV, pareto-Y-vs-X)."),
            new OptionSpec("--format", "LIST", "Files to write when --out has no extension: png, svg or png,svg (default png,svg)."),
            new OptionSpec("--size", "SIZE", "Figure size: column (3.3x2.5 in, default), page (6.9x3.6 in) or WxH in inches."),
        },
        "Only valid rows are plotted. Axes become logarithmic when a metric spans two decades or more. Designs on the\n" +
        "2-D front of the two metrics are filled and outlined (labelled where space allows); the others are muted.");

    public int Run(ParsedArgs args, CommandIO io)
    {
        string csv = args.Positional(0, "the results file (points.csv or pareto.csv)");
        var (x, xGoal) = ParseMetric(args.Require("--x"));
        var (y, yGoal) = ParseMetric(args.Require("--y"));
        // only the plotted metrics, the colour, workload and parameter columns are read (typed), whatever the file's size
        var header = PointsCsv.ReadHeader(csv);
        var schema = new ResultTable(header, Array.Empty<string[]>(), csv);
        int xc = schema.Column(x), yc = schema.Column(y);
        x = header[xc];
        y = header[yc];
        string? color = args.Get("--color") ?? (schema.Has(ResultLabels.PeKind) ? ResultLabels.PeKind : null);
        if (color is not null) schema.Column(color);
        using var table = PointsColumns.Read(csv, new[] { x, y, "point" }, ParetoPlot.LabelColumns(header, color).Append("workload"));

        var rows = Enumerable.Range(0, table.Count).Where(table.IsValid).ToList();
        string? workload = args.Get("--workload");
        if (table.Has("workload"))
        {
            var wl = table.Labels("workload");
            var names = rows.Select(r => wl.Codes[r]).Distinct().Select(c => wl.Levels[c]).ToList();
            if (workload is null && names.Count > 1)
                throw new UsageException($"{csv} has {names.Count} workloads; choose one with --workload ({string.Join(", ", names)})");
            if (workload is not null)
            {
                if (!names.Contains(workload))
                    throw new UsageException($"no valid rows for workload '{workload}'" + (NameSuggester.Nearest(workload, names) is { } n ? $"; did you mean '{n}'?" : "") +
                                             $" (workloads: {string.Join(", ", names)})");
                rows = rows.Where(r => wl[r] == workload).ToList();
            }
            workload ??= names.FirstOrDefault();
        }

        var figures = SweepCommand.Figures(args);
        string output = args.Get("--out") ?? Path.Combine(Path.GetDirectoryName(Path.GetFullPath(csv)) ?? ".", $"pareto-{y}-vs-{x}");
        var formats = figures.Formats;
        string ext = Path.GetExtension(output).ToLowerInvariant();
        if (ext is ".png" or ".svg")
        {
            var fromName = ext == ".png" ? ImageFormats.Png : ImageFormats.Svg;
            if (args.Has("--format") && formats != fromName)
                throw new UsageException($"--out {output} names a {ext[1..]} file but --format asks for {args.Get("--format")}; drop the extension to write several formats");
            formats = fromName;
            output = output[..^4];
        }
        else if (ext is ".jpg" or ".jpeg" or ".pdf" or ".eps" or ".gif" or ".bmp" or ".webp" or ".tif" or ".tiff")
            throw new UsageException($"--out {output}: mantissa writes .png or .svg (or give no extension to write each --format)");
        if (formats == ImageFormats.None) throw new UsageException("--format names no image format (png, svg)");
        var plot = ParetoPlot.Build(table, rows, x, y, new ParetoPlotOptions { ColorBy = color, XGoal = xGoal, YGoal = yGoal, Workload = workload, Size = figures.Size });
        var written = plot.Figure.Save(output, formats);

        double[] xv = table.Numbers(x), yv = table.Numbers(y);
        var ok = rows.Where(r => double.IsFinite(xv[r]) && double.IsFinite(yv[r])).ToList();
        var flat = new double[2 * ok.Count];
        for (int i = 0; i < ok.Count; i++) { flat[2 * i] = Min(xv[ok[i]], xGoal); flat[2 * i + 1] = Min(yv[ok[i]], yGoal); }
        var front = ParetoSort.Front(flat, 2).OrderBy(i => flat[2 * i]).ToList();
        io.Out.WriteLine($"{front.Count} of {ok.Count} valid designs on the {x} ({GoalText(xGoal)}) / {y} ({GoalText(yGoal)}) front:");
        string pointCol = table.Has("point") ? "point" : table.Header[0];
        io.Out.WriteLine($"  {pointCol,8}  {x,14}  {y,14}{(color is null ? "" : "  " + color)}");
        foreach (int i in front)
        {
            var r = table.Row(ok[i]);
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  {r[table.Column(pointCol)],8}  {Axis.Label(ResultTable.Number(r[xc])),14}  {Axis.Label(ResultTable.Number(r[yc])),14}{(color is null ? "" : "  " + r[table.Column(color)])}"));
        }
        io.Out.WriteLine($"wrote {string.Join(", ", written.Select(SweepCommand.Relative))} ({plot.Designs} designs, {plot.Front.Count} on the front)");
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
