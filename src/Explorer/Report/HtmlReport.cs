using System.Globalization;
using System.Net;
using System.Text;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Report;

/// <summary>Renders index.html: a self-contained page (inline CSS and SVG, no network) with the sweep summary, frontier tables and plots.</summary>
public static class HtmlReport
{
    private const string Css = """
        body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: .6em 0; font-size: .85em; }
        th, td { border: 1px solid #ddd; padding: .25em .55em; text-align: left; }
        th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        figure { margin: 1em 0; } figcaption { font-size: .85em; color: #555; }
        code { background: #f6f6f6; padding: 0 .2em; }
        """;

    public static string Render(SweepSummary s, ResultTable table, IReadOnlyList<WorkloadFront> fronts, IReadOnlyList<PlotFile> plots)
    {
        var sb = new StringBuilder();
        sb.Append($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(s.Name)} — Mantissa sweep</title>\n<style>\n{Css}</style></head><body>\n");
        sb.Append($"<h1>Sweep <code>{E(s.Name)}</code></h1>\n");
        int valid = table.Rows.Count(table.IsValid);
        sb.Append("<table>\n");
        Row(sb, "sweep file", s.SweepFile);
        Row(sb, "base architecture", s.BaseFile);
        Row(sb, "strategy", s.Strategy + (s.Shard is null ? "" : $", shard {s.Shard}"));
        foreach (var p in s.Parameters.Where(table.Has))
        {
            var values = table.Rows.Select(r => r[table.Column(p)]).Distinct().ToList();
            Row(sb, $"parameter {p}", $"{values.Count} value{(values.Count == 1 ? "" : "s")}: " +
                string.Join("; ", values.Take(12)) + (values.Count > 12 ? "; …" : ""));
        }
        Row(sb, "workloads", string.Join("; ", s.Workloads));
        Row(sb, "objectives", string.Join(", ", s.Objectives.Select(o => o.ToString())));
        Row(sb, "constraints", s.Constraints.Count == 0 ? "none" : string.Join(", ", s.Constraints));
        Row(sb, "results", $"{table.Rows.Count} rows: {valid} valid, {table.Rows.Count - valid} invalid");
        sb.Append("</table>\n");

        var reasons = table.Has("reason")
            ? table.Rows.Where(r => !table.IsValid(r)).GroupBy(r => r[table.Column("reason")]).OrderByDescending(g => g.Count()).ThenBy(g => g.Key, StringComparer.Ordinal).Take(8).ToList()
            : new();
        if (reasons.Count > 0)
        {
            sb.Append("<h2>Why designs were invalid</h2>\n<table><tr><th>rows</th><th>reason</th></tr>\n");
            foreach (var g in reasons) sb.Append($"<tr><td class=\"num\">{g.Count()}</td><td>{E(g.Key)}</td></tr>\n");
            sb.Append("</table>\n");
        }

        var shown = s.Parameters.Concat(s.Labels).Where(table.Has).Distinct().ToList();
        foreach (var f in fronts)
        {
            sb.Append($"<h2>{E(f.Workload)}</h2>\n");
            string hv = f.Hypervolume is { } h ? $"; normalised hypervolume {h.ToString("0.####", CultureInfo.InvariantCulture)} (fraction of the box up to {ParetoAnalysis.Reference.ToString(CultureInfo.InvariantCulture)} after scaling each objective to [0, 1] over the valid designs)" : "";
            string missing = f.Unreported.Count > 0 ? $" {string.Join(", ", f.Unreported)} is not reported for some valid designs of this workload; those are left out of the front." : "";
            sb.Append($"<p>{f.Members.Count} Pareto-optimal designs out of {f.ValidRows} valid{hv}.{missing}</p>\n");
            sb.Append("<table><tr><th>point</th>");
            foreach (var c in shown) sb.Append($"<th>{E(c)}</th>");
            foreach (var o in s.Objectives) sb.Append($"<th>{E(MetricCatalog.AxisLabel(o.Metric))} ({o.Goal.ToString().ToLowerInvariant()})</th>");
            sb.Append("<th>crowding</th></tr>\n");
            foreach (var (row, crowd) in f.Members)
            {
                sb.Append($"<tr><td class=\"num\">{E(row[0])}</td>");
                foreach (var c in shown) sb.Append($"<td>{E(row[table.Column(c)])}</td>");
                foreach (var o in s.Objectives) sb.Append($"<td class=\"num\">{E(Num(row[table.Column(o.Metric)]))}</td>");
                sb.Append($"<td class=\"num\">{(double.IsPositiveInfinity(crowd) ? "∞" : crowd.ToString("0.###", CultureInfo.InvariantCulture))}</td></tr>\n");
            }
            sb.Append("</table>\n");
            foreach (var p in plots.Where(p => p.RelativePath.StartsWith($"plots/{SweepArtifacts.Slug(f.Workload)}--", StringComparison.Ordinal)))
                sb.Append($"<figure>\n{p.Svg}<figcaption>{E(p.Caption)} (<code>{E(p.RelativePath)}</code>)</figcaption></figure>\n");
        }
        sb.Append("<p><small>Written by <code>mantissa sweep</code>; every design is in <code>points.csv</code>, the frontier in <code>pareto.csv</code>.</small></p>\n");
        sb.Append("</body></html>\n");
        return sb.ToString();
    }

    private static void Row(StringBuilder sb, string k, string v) => sb.Append($"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>\n");

    private static string Num(string cell)
    {
        double v = ResultTable.Number(cell);
        return double.IsFinite(v) ? Axis.Label(v) : cell;
    }

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
