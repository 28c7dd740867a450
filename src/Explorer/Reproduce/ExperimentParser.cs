using Mantissa.Arch;
using Mantissa.Workloads;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Explorer.Reproduce;

/// <summary>
/// Reads an experiment file (<c>arch-configs/reproductions/PAPER/experiment.yaml</c>). Every problem is reported with
/// file, line, column and key, all at once; nothing is defaulted silently except the documented optional keys.
/// </summary>
public static class ExperimentParser
{
    private static readonly string[] TopKeys = { "name", "title", "paper", "runs", "figures", "orderings" };
    private static readonly string[] RunKeys = { "id", "label", "design", "workload", "gemm", "phase", "batch", "seq", "kv", "precision", "quant" };
    private static readonly string[] QuantKeys = { "source", "format", "group", "count", "seed" };
    private static readonly string[] FigureKeys = { "id", "what", "paper", "source", "metric", "run", "over", "input", "band", "assumed", "known_miss", "not_modelled" };
    private static readonly string[] OrderingKeys = { "what", "source", "metric", "order", "known_fail" };

    private const string RunIds = "a run id or a list of run ids";

    /// <summary>Default tolerance of a reproduced figure: model within ±20 % of the paper (issue 18).</summary>
    public const double DefaultBand = 0.20;

    public static ExperimentSpec Load(string path)
    {
        if (!File.Exists(path)) throw new MantissaException($"{path}: no such experiment file");
        return Parse(InputFile.ReadText(path, "experiment file", InputFile.MaxConfigBytes), path);
    }

    public static ExperimentSpec Parse(string text, string path)
    {
        var p = new YamlProblems(path);
        var root = p.Root(text, "an experiment");
        p.CheckKeys(root, "an experiment", TopKeys);
        string name = p.Str(root, "name", true) ?? "";
        string title = p.Str(root, "title", true) ?? "";
        string paper = p.Str(root, "paper", true) ?? "";
        string dir = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";

        var runs = new List<RunSpec>();
        foreach (var (node, i) in p.Seq(root, "runs", true))
            if (ReadRun(p, node, i, dir) is { } r)
            {
                if (runs.Any(x => x.Id == r.Id)) p.Add(node, "id", $"duplicate run id '{r.Id}'");
                runs.Add(r);
            }
        var ids = runs.Select(r => r.Id).ToList();

        var figures = new List<FigureSpec>();
        foreach (var (node, i) in p.Seq(root, "figures", false))
            if (ReadFigure(p, node, ids, runs) is { } f)
            {
                if (figures.Any(x => x.Id == f.Id)) p.Add(node, "id", $"duplicate figure id '{f.Id}'");
                figures.Add(f);
            }

        var orderings = new List<OrderingSpec>();
        foreach (var (node, i) in p.Seq(root, "orderings", false))
            if (ReadOrdering(p, node, ids) is { } o) orderings.Add(o);

        p.ThrowIfAny("experiment");
        return new ExperimentSpec(name, title, paper, dir, runs, figures, orderings);
    }

    private static RunSpec? ReadRun(YamlProblems p, YamlNode node, int index, string dir)
    {
        if (node is not YamlMappingNode m) { p.Add(node, $"runs[{index}]", "expected a mapping with id, design, ..."); return null; }
        p.CheckKeys(m, "a run", RunKeys);
        string? id = p.Str(m, "id", true);
        string? design = p.Str(m, "design");
        if (design is not null && !File.Exists(Path.Combine(dir, design)))
            p.Add(YamlProblems.Get(m, "design")!, "design", $"no such architecture file '{design}' next to the experiment");
        string? model = p.Str(m, "workload");
        string? gemmText = p.Str(m, "gemm");
        (long, long, long)? gemm = null;
        if (gemmText is not null)
        {
            var parts = gemmText.Split(',');
            if (parts.Length == 3 && parts.All(x => long.TryParse(x.Trim(), out long v) && v > 0))
                gemm = (long.Parse(parts[0]), long.Parse(parts[1]), long.Parse(parts[2]));
            else p.Add(YamlProblems.Get(m, "gemm")!, "gemm", $"expected M,K,N (positive integers), got '{gemmText}'");
        }
        if (model is not null && gemmText is not null) p.Add(m, "gemm", "give either workload or gemm, not both");
        string phaseText = p.Str(m, "phase") ?? "prefill";
        if (phaseText is not ("prefill" or "decode")) p.Add(YamlProblems.Get(m, "phase")!, "phase", $"expected prefill or decode, got '{phaseText}'");
        var phase = phaseText == "decode" ? Phase.Decode : Phase.Prefill;
        int batch = (int)(p.Long(m, "batch", 1) ?? 1);
        int? seq = (int?)p.Long(m, "seq", 1);
        int? kv = (int?)p.Long(m, "kv", 1);
        string? precision = p.Str(m, "precision");
        if (precision is not null && precision.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase)) precision = Path.Combine(dir, precision);
        if (model is null && gemm is null)
            foreach (var k in new[] { "phase", "batch", "seq", "kv", "precision" })
                if (YamlProblems.Get(m, k) is { } n) p.Add(n, k, "applies to a workload; this run has none");
        if (model is not null && design is null) p.Add(m, "design", "a run with a workload needs a design");
        if (model is not null && model.EndsWith(".json", StringComparison.OrdinalIgnoreCase)) model = Path.Combine(dir, model);

        RunQuant? quant = null;
        if (YamlProblems.Get(m, "quant") is { } qn)
        {
            if (qn is not YamlMappingNode qm) p.Add(qn, "quant", "expected a mapping {source, format, group, count, seed}");
            else
            {
                p.CheckKeys(qm, "quant", QuantKeys);
                quant = new RunQuant(p.Str(qm, "source", true) ?? "", p.Str(qm, "format", true) ?? "",
                    (int)(p.Long(qm, "group", 0) ?? 0), (int)(p.Long(qm, "count", 1) ?? 1 << 16), (ulong)(p.Long(qm, "seed", 0) ?? 1));
            }
        }
        if (design is null && quant is null) p.Add(m, "design", "a run needs a design, a quant measurement or both");
        if (id is null) return null;
        var workload = model is null && gemm is null ? null : new RunWorkload(model ?? "gemm", phase, batch, seq, kv, precision, gemm);
        return new RunSpec(id, design is null ? null : Path.Combine(dir, design), workload, quant, p.Str(m, "label") ?? id);
    }

    private static FigureSpec? ReadFigure(YamlProblems p, YamlNode node, List<string> ids, List<RunSpec> runs)
    {
        if (node is not YamlMappingNode m) { p.Add(node, "figures", "expected a mapping with id, what, paper, source, ..."); return null; }
        p.CheckKeys(m, "a figure", FigureKeys);
        string? id = p.Str(m, "id", true);
        string what = p.Str(m, "what", true) ?? "";
        double paper = p.Double(m, "paper", true) ?? double.NaN;
        string source = p.Str(m, "source", true) ?? "";
        string? notModelled = p.Str(m, "not_modelled");
        ReproMetric? metric = null;
        if (p.Str(m, "metric", notModelled is null) is { } mt)
        {
            if (ReproMetrics.TryParse(mt, out var met)) metric = met;
            else p.Add(YamlProblems.Get(m, "metric")!, "metric", $"unknown metric '{mt}' (valid: {ReproMetrics.AllNames})");
        }
        var run = p.Texts(m, "run", notModelled is null, RunIds);
        var over = p.Texts(m, "over", false, RunIds);
        foreach (var (key, list) in new[] { ("run", run), ("over", over) })
            foreach (var r in list)
                if (!ids.Contains(r)) p.Add(YamlProblems.Get(m, key)!, key, $"no run with id '{r}' (runs: {string.Join(", ", ids)})");
        if (over.Count > 0 && over.Count != run.Count) p.Add(YamlProblems.Get(m, "over")!, "over", $"needs as many runs as 'run' ({run.Count}), got {over.Count}");
        if (notModelled is not null && run.Count > 0) p.Add(YamlProblems.Get(m, "not_modelled")!, "not_modelled", "a figure the model cannot compute has no run");
        if (metric is { } me && (me.NeedsSimulation() || me.NeedsQuant()))
            foreach (var r in run.Concat(over))
            {
                var rs = runs.FirstOrDefault(x => x.Id == r);
                if (rs is null) continue;
                if (me.NeedsSimulation() && rs.Workload is null) p.Add(YamlProblems.Get(m, "metric")!, "metric", $"{me.Name()} needs a run with a workload; run '{r}' has none");
                if (me.NeedsQuant() && rs.Quant is null) p.Add(YamlProblems.Get(m, "metric")!, "metric", $"{me.Name()} needs a run with quant; run '{r}' has none");
            }
        bool input = p.Bool(m, "input") ?? false;
        double band = p.Double(m, "band", false) ?? DefaultBand;
        if (band is <= 0 or > 10) p.Add(YamlProblems.Get(m, "band")!, "band", $"expected a relative tolerance in (0, 10], got {band}");
        var assumed = p.Texts(m, "assumed");
        string? knownMiss = p.Str(m, "known_miss");
        if (id is null) return null;
        return new FigureSpec(id, what, paper, source, metric, run, over, input, band, assumed, knownMiss, notModelled);
    }

    private static OrderingSpec? ReadOrdering(YamlProblems p, YamlNode node, List<string> ids)
    {
        if (node is not YamlMappingNode m) { p.Add(node, "orderings", "expected a mapping with what, source, metric, order"); return null; }
        p.CheckKeys(m, "an ordering", OrderingKeys);
        string what = p.Str(m, "what", true) ?? "";
        string source = p.Str(m, "source", true) ?? "";
        ReproMetric metric = default;
        if (p.Str(m, "metric", true) is { } mt && !ReproMetrics.TryParse(mt, out metric))
            p.Add(YamlProblems.Get(m, "metric")!, "metric", $"unknown metric '{mt}' (valid: {ReproMetrics.AllNames})");
        var order = p.Texts(m, "order", true, RunIds);
        if (order.Count < 2 && YamlProblems.Get(m, "order") is { } on) p.Add(on, "order", "needs at least two runs");
        foreach (var r in order)
            if (!ids.Contains(r)) p.Add(YamlProblems.Get(m, "order")!, "order", $"no run with id '{r}' (runs: {string.Join(", ", ids)})");
        return new OrderingSpec(what, source, metric, order, p.Str(m, "known_fail"));
    }
}
