using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mantissa.Explorer.Reproduce;

/// <summary>The text table, JSON and CSV of reproduced experiments (paper value, model value, ratio, verdict).</summary>
public static class ReproduceReport
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void WriteText(TextWriter o, ExperimentResult r)
    {
        var s = r.Spec;
        o.WriteLine($"{s.Name}: {s.Title}");
        o.WriteLine($"  {s.Paper}");
        if (r.Figures.Count > 0) o.WriteLine($"  {"figure",-44} {"paper",10} {"model",10} {"ratio",7}  verdict");
        foreach (var f in r.Figures)
        {
            o.WriteLine($"  {Trim(f.Spec.What, 44),-44} {Num(f.Spec.Paper),10} {(f.Model is { } m ? Num(m) : "-"),10} " +
                        $"{(f.Ratio is { } q ? q.ToString("0.00", Inv) : "-"),7}  {f.VerdictText}" +
                        (f.Verdict == FigureVerdict.Miss ? $" (beyond ±{f.Spec.Band * 100:0} %)" : ""));
            o.WriteLine($"      source: {f.Spec.Source}");
            foreach (var a in f.Spec.Assumed) o.WriteLine($"      assumed: {a}");
            if (f.Spec.NotModelled is { } nm) o.WriteLine($"      not modelled: {nm}");
            if (f.Verdict == FigureVerdict.Miss && f.Spec.KnownMiss is { } why) o.WriteLine($"      why: {why}");
        }
        foreach (var ord in r.Orderings)
        {
            string values = string.Join(" < ", ord.Spec.Order.Zip(ord.Values).Select(p => $"{p.First} {Num(p.Second)}"));
            o.WriteLine($"  ordering: {ord.Spec.What}: {(ord.Holds ? "holds" : "FAILS")} ({ord.Spec.Metric.Name()}: {values})");
            o.WriteLine($"      source: {ord.Spec.Source}");
            if (!ord.Holds && ord.Spec.KnownFail is { } why) o.WriteLine($"      why: {why}");
        }
        int inputs = r.Figures.Count(f => f.Verdict == FigureVerdict.Input), nm2 = r.Figures.Count(f => f.Verdict == FigureVerdict.NotModelled);
        o.WriteLine($"  {r.Matches} within band, {r.Misses} missed, {inputs} input(s), {nm2} not modelled; " +
                    $"{r.Orderings.Count(x => x.Holds)} of {r.Orderings.Count} orderings hold ({r.Elapsed.TotalSeconds.ToString("0.0", Inv)} s)");
    }

    /// <summary>One CSV row per figure and per ordering.</summary>
    public static string Csv(ExperimentResult r)
    {
        var sb = new StringBuilder("experiment,kind,id,what,metric,paper,model,ratio,verdict,band,source,assumed\n");
        foreach (var f in r.Figures)
            sb.AppendJoin(',', new[]
            {
                r.Spec.Name, "figure", f.Spec.Id, Q(f.Spec.What), f.Spec.Metric?.Name() ?? "", R(f.Spec.Paper), f.Model is { } m ? R(m) : "",
                f.Ratio is { } q ? R(q) : "", f.VerdictText, R(f.Spec.Band), Q(f.Spec.Source), Q(string.Join("; ", f.Spec.Assumed.Append(f.Spec.NotModelled ?? "").Where(x => x.Length > 0))),
            }).Append('\n');
        foreach (var o in r.Orderings)
            sb.AppendJoin(',', new[]
            {
                r.Spec.Name, "ordering", string.Join("<", o.Spec.Order), Q(o.Spec.What), o.Spec.Metric.Name(), "",
                Q(string.Join(";", o.Values.Select(R))), "", o.Holds ? "holds" : "fails", "", Q(o.Spec.Source), "",
            }).Append('\n');
        return sb.ToString();
    }

    public static string Json(IReadOnlyList<ExperimentResult> results)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartArray();
            foreach (var r in results)
            {
                w.WriteStartObject();
                w.WriteString("name", r.Spec.Name);
                w.WriteString("title", r.Spec.Title);
                w.WriteString("paper", r.Spec.Paper);
                w.WriteStartArray("figures");
                foreach (var f in r.Figures)
                {
                    w.WriteStartObject();
                    w.WriteString("id", f.Spec.Id);
                    w.WriteString("what", f.Spec.What);
                    if (f.Spec.Metric is { } met) w.WriteString("metric", met.Name());
                    w.WriteNumber("paper", f.Spec.Paper);
                    if (f.Model is { } m) w.WriteNumber("model", m); else w.WriteNull("model");
                    if (f.Ratio is { } q) w.WriteNumber("ratio", q); else w.WriteNull("ratio");
                    w.WriteString("verdict", f.VerdictText);
                    w.WriteNumber("band", f.Spec.Band);
                    w.WriteString("source", f.Spec.Source);
                    w.WriteStartArray("assumed");
                    foreach (var a in f.Spec.Assumed) w.WriteStringValue(a);
                    w.WriteEndArray();
                    if (f.Spec.NotModelled is { } nm) w.WriteString("not_modelled", nm);
                    if (f.Spec.KnownMiss is { } km) w.WriteString("known_miss", km);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteStartArray("orderings");
                foreach (var o in r.Orderings)
                {
                    w.WriteStartObject();
                    w.WriteString("what", o.Spec.What);
                    w.WriteString("metric", o.Spec.Metric.Name());
                    w.WriteStartArray("order");
                    foreach (var id in o.Spec.Order) w.WriteStringValue(id);
                    w.WriteEndArray();
                    w.WriteStartArray("values");
                    foreach (var v in o.Values) w.WriteNumberValue(v);
                    w.WriteEndArray();
                    w.WriteBoolean("holds", o.Holds);
                    w.WriteString("source", o.Spec.Source);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    /// <summary>Four significant digits, scientific outside [0.001, 1e6).</summary>
    public static string Num(double v)
    {
        double a = Math.Abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e6)) return v.ToString("0.###e+0", Inv);
        return v.ToString(a >= 1000 ? "0" : a >= 100 ? "0.#" : a >= 10 ? "0.##" : "0.###", Inv);
    }

    private static string R(double v) => v.ToString("R", Inv);

    private static string Q(string s) => s.Contains(',') || s.Contains('"') ? "\"" + s.Replace("\"", "\"\"") + "\"" : s;

    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";
}
