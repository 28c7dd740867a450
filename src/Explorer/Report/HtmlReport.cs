using System.Globalization;
using System.Net;
using System.Text;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Report;

/// <summary>
/// Renders index.html: a page that needs nothing outside its results folder (inline CSS, a few lines of script to
/// sort tables, the PNGs in plots/ — embedded as data URIs when only SVGs were written; no network) with the sweep
/// summary and, per workload, the front designs first and its figures. Its size is bounded at any sweep size: tables
/// list at most <see cref="MaxRows"/> designs (all are in pareto.csv / points.csv).
/// </summary>
public static class HtmlReport
{
    public const int MaxRows = 200;

    private const string Css = """
        body { font-family: Helvetica, Arial, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
        h1 { font-size: 1.6em; } h2 { font-size: 1.25em; margin-top: 1.8em; border-bottom: 1px solid #ccc; }
        table { border-collapse: collapse; margin: .6em 0; font-size: .85em; }
        th, td { border: 1px solid #ddd; padding: .25em .55em; text-align: left; vertical-align: top; }
        th { background: #f3f3f3; } td.num { text-align: right; font-variant-numeric: tabular-nums; }
        table.sortable th { cursor: pointer; } table.sortable th:hover { background: #e6e6e6; }
        figure { margin: 1em 0; display: inline-block; vertical-align: top; max-width: 540px; } figure img { width: 100%; }
        figcaption { font-size: .85em; color: #555; }
        code { background: #f6f6f6; padding: 0 .2em; }
        """;

    // click a header to sort by that column (numbers by value, text alphabetically); click again to reverse
    private const string Script = """
        document.querySelectorAll('table.sortable').forEach(t => t.querySelectorAll('th').forEach((th, i) => th.addEventListener('click', () => {
          const rows = [...t.querySelectorAll('tr')].slice(1), up = th.dataset.dir !== 'up';
          const key = r => { const c = r.children[i]; const v = c.dataset.v ?? c.textContent; const n = parseFloat(v); return isNaN(n) ? v : n; };
          rows.sort((a, b) => { const x = key(a), y = key(b); return (x < y ? -1 : x > y ? 1 : 0) * (up ? 1 : -1); });
          th.dataset.dir = up ? 'up' : 'down'; rows.forEach(r => t.appendChild(r));
        })));
        """;

    /// <summary>The page for <paramref name="table"/> read by <see cref="SweepArtifacts.Columns(string, SweepSummary)"/>.</summary>
    public static string Render(SweepSummary s, PointsColumns table, IReadOnlyList<WorkloadFront> fronts, IReadOnlyList<PlotFile> plots, RunUnits? units = null)
    {
        units ??= RunUnits.Of(table, s.Objectives.Select(o => o.Metric));
        var sb = new StringBuilder();
        sb.Append($"<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{E(s.Name)} — Mantissa sweep</title>\n<style>\n{Css}</style></head><body>\n");
        sb.Append($"<h1>Sweep <code>{E(s.Name)}</code></h1>\n");
        int valid = Enumerable.Range(0, table.Count).Count(table.IsValid);
        sb.Append("<table>\n");
        Row(sb, "sweep file", s.SweepFile);
        Row(sb, "base architecture", s.BaseFile);
        Row(sb, "strategy", s.Strategy + (s.Shard is null ? "" : $", shard {s.Shard}"));
        foreach (var p in s.Parameters.Where(table.Has))
        {
            var values = table.Labels(p).Levels.Take(13).ToList(); // distinct values in order of first appearance
            Row(sb, $"parameter {p}", $"{(values.Count > 12 ? "more than 12" : values.Count.ToString(CultureInfo.InvariantCulture))} value{(values.Count == 1 ? "" : "s")}: " +
                string.Join("; ", values.Take(12).Select(Compact)) + (values.Count > 12 ? "; …" : ""));
        }
        Row(sb, "workloads", string.Join("; ", s.Workloads));
        Row(sb, "objectives", string.Join(", ", s.Objectives.Select(o => $"{MetricDisplay.Name(o.Metric)} ({o.Goal.ToString().ToLowerInvariant()})")));
        Row(sb, "constraints", s.Constraints.Count == 0 ? "none" : string.Join(", ", s.Constraints));
        Row(sb, "results", $"{table.Count} rows: {valid} valid, {table.Count - valid} invalid");
        sb.Append("</table>\n");

        var reasons = new List<(string Key, int Count)>();
        if (table.Has("reason"))
        {
            var reason = table.Labels("reason");
            var counts = new int[reason.Levels.Count];
            for (int r = 0; r < table.Count; r++) if (!table.IsValid(r)) counts[reason.Codes[r]]++;
            reasons = Enumerable.Range(0, counts.Length).Where(k => counts[k] > 0).Select(k => (reason.Levels[k], counts[k]))
                .OrderByDescending(g => g.Item2).ThenBy(g => g.Item1, StringComparer.Ordinal).Take(8).ToList();
        }
        if (reasons.Count > 0)
        {
            sb.Append("<h2>Why designs were invalid</h2>\n<table><tr><th>rows</th><th>reason</th></tr>\n");
            foreach (var g in reasons) sb.Append($"<tr><td class=\"num\">{g.Count}</td><td>{E(g.Key)}</td></tr>\n");
            sb.Append("</table>\n");
        }

        var shown = s.Parameters.Concat(s.Labels).Where(table.Has).Distinct().ToList();
        foreach (var f in fronts)
        {
            sb.Append($"<h2>{E(f.Workload)}</h2>\n");
            string hv = f.Hypervolume is { } h ? $"; normalised hypervolume {h.ToString("0.####", CultureInfo.InvariantCulture)} (fraction of the box up to {ParetoAnalysis.Reference.ToString(CultureInfo.InvariantCulture)} after scaling each objective to [0, 1] over the valid designs)" : "";
            string missing = f.Unreported.Count > 0 ? $" {string.Join(", ", f.Unreported)} is not reported for some valid designs of this workload; those are left out of the front." : "";
            sb.Append($"<p>{f.Members.Count} Pareto-optimal designs out of {f.ValidRows} valid{hv}.{missing}");
            if (f.Members.Count > MaxRows) sb.Append($" The table lists the {MaxRows} with the largest crowding distance; all are in <code>pareto.csv</code>.");
            sb.Append("</p>\n<table class=\"sortable\"><tr><th>point</th>");
            foreach (var c in shown) sb.Append($"<th>{E(c)}</th>");
            foreach (var o in s.Objectives) sb.Append($"<th>{E(units.Get(o.Metric).AxisLabel)} {(o.Goal == Goal.Min ? "↓" : "↑")}</th>");
            sb.Append("<th>crowding</th></tr>\n");
            var members = f.Members.Count <= MaxRows ? f.Members
                : f.Members.Select((m, i) => (m, i)).OrderByDescending(t => t.m.Crowding).ThenBy(t => t.i).Take(MaxRows).OrderBy(t => t.i).Select(t => t.m).ToList();
            foreach (var (row, crowd) in members)
            {
                sb.Append($"<tr><td class=\"num\">{E(row[0])}</td>");
                foreach (var c in shown)
                {
                    string cell = row[table.Column(c)], compact = Compact(cell);
                    sb.Append(compact == cell ? $"<td>{E(cell)}</td>" : $"<td title=\"{E(cell)}\">{E(compact)}</td>");
                }
                foreach (var o in s.Objectives)
                {
                    double v = ResultTable.Number(row[table.Column(o.Metric)]);
                    var u = units.Get(o.Metric);
                    sb.Append(double.IsFinite(v)
                        ? $"<td class=\"num\" data-v=\"{v.ToString("R", CultureInfo.InvariantCulture)}\">{E(Significant(v * u.Scale))}</td>"
                        : $"<td class=\"num\">{E(row[table.Column(o.Metric)])}</td>");
                }
                sb.Append($"<td class=\"num\">{(double.IsPositiveInfinity(crowd) ? "∞" : crowd.ToString("0.###", CultureInfo.InvariantCulture))}</td></tr>\n");
            }
            sb.Append("</table>\n");
            foreach (var p in plots.Where(p => p.RelativeBase.StartsWith($"plots/{SweepArtifacts.Slug(f.Workload)}--", StringComparison.Ordinal)))
                sb.Append($"<figure><img alt=\"{E(p.Caption)}\" src=\"{(p.Files.Contains(p.RelativeBase + ".png") ? E(p.RelativeBase + ".png") : "data:image/png;base64," + Convert.ToBase64String(p.Png))}\">" +
                          $"<figcaption>{E(p.Caption)}{(p.Note is null ? "" : ". " + E(p.Note.Replace("\n", " ")))} ({string.Join(", ", p.Files.Select(x => $"<code>{E(x)}</code>"))})</figcaption></figure>\n");
        }
        sb.Append("<p><small>Written by <code>mantissa sweep</code>; every design is in <code>points.csv</code>, the frontier in <code>pareto.csv</code>.</small></p>\n");
        sb.Append($"<script>\n{Script}</script>\n</body></html>\n");
        return sb.ToString();
    }

    /// <summary>A number with 4 significant digits, without exponent between 0.001 and 10⁶ (1234, 12.35, 0.004321).</summary>
    public static string Significant(double v)
    {
        if (v == 0) return "0";
        double a = Math.Abs(v);
        if (a >= 1e6 || a < 1e-3) return v.ToString("0.###e0", CultureInfo.InvariantCulture);
        int digits = Math.Max(0, 3 - (int)Math.Floor(Math.Log10(a)));
        return v.ToString("F" + digits, CultureInfo.InvariantCulture);
    }

    /// <summary>A one-line form of a mapping cell such as a PE block (<c>{kind: lut, weights: int2, ...}</c> → <c>lut int2×fp16 g=4 …</c>).</summary>
    public static string Compact(string cell)
    {
        string t = cell.Trim();
        if (!(t.StartsWith('{') || t.Contains('\n'))) return cell;
        var pairs = t.Trim('{', '}').Split(new[] { ',', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                     .Select(p => p.Split(':', 2)).Where(p => p.Length == 2).Select(p => (k: p[0].Trim(), v: p[1].Trim().Trim('"', '\''))).ToList();
        if (pairs.Count == 0) return string.Join(" ", t.Split(new[] { '\n', '\r' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        var d = pairs.GroupBy(p => p.k).ToDictionary(g => g.Key, g => g.Last().v);
        var parts = new List<string>();
        if (d.Remove("kind", out var kind)) parts.Add(kind);
        if (d.Remove("weights", out var w) | d.Remove("activations", out var a)) parts.Add($"{w ?? "?"}×{a ?? "?"}");
        if (d.Remove("accumulator", out var acc)) parts.Add("→" + acc);
        parts.AddRange(d.Select(kv => $"{kv.Key}={kv.Value}"));
        return string.Join(" ", parts);
    }

    private static void Row(StringBuilder sb, string k, string v) => sb.Append($"<tr><th>{E(k)}</th><td>{E(v)}</td></tr>\n");

    private static string E(string s) => WebUtility.HtmlEncode(s);
}
