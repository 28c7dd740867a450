using Mantissa.Arch;
using System.Globalization;
using System.Text.RegularExpressions;
using Mantissa.Explorer.Cli;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Explorer.Sweep;

/// <summary>Reads a sweep YAML file into a <see cref="SweepSpec"/>, reporting every problem with file, line, column and key.</summary>
public sealed partial class SweepParser
{
    private static readonly string[] TopKeys = { "name", "description", "base", "parameters", "zip", "workloads", "objectives", "constraints", "strategy", "color_by", "quant" };
    private static readonly string[] QuantKeys = { "source", "seed", "count" };
    private static readonly string[] WorkloadKeys = { "model", "name", "phase", "batch", "seq", "kv", "precision", "causal", "fusion" };
    private static readonly string[] Phases = { "prefill", "decode", "train" };
    private const int MaxRangeValues = 100_000;

    /// <summary>Most design points a random or NSGA-II search may ask for: 10^7 points already take days at bench speed.</summary>
    private const int MaxSearchPoints = 10_000_000;

    private readonly string _file;
    private readonly SweepValidation _validation;
    private readonly List<SweepDiagnostic> _problems = new();

    private SweepParser(string file, SweepValidation validation)
    {
        _file = file;
        _validation = validation;
    }

    /// <summary>Parses the sweep file at <paramref name="path"/>; throws <see cref="SweepFileException"/> listing all problems.</summary>
    public static SweepSpec Load(string path, SweepValidation? validation = null)
    {
        return Parse(InputFile.ReadText(path, "sweep file", InputFile.MaxConfigBytes), path, validation);
    }

    /// <summary>Parses sweep text; <paramref name="path"/> names the file in messages and anchors the relative base path.</summary>
    public static SweepSpec Parse(string text, string path, SweepValidation? validation = null) =>
        new SweepParser(path, validation ?? SweepValidation.None).Run(text);

    private SweepSpec Run(string text)
    {
        var stream = new YamlStream();
        var parser = new Arch.Config.GuardedYamlParser(text);
        try
        {
            stream.Load(parser);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException)
        {
            // YamlDotNet's scanner throws these without a position on some truncated input (an unclosed '['): report
            // at the last event the parser produced.
            var at = parser.Current?.End ?? Mark.Empty;
            throw new SweepFileException(new[] { new SweepDiagnostic(_file, Math.Max(1, at.Line), Math.Max(1, at.Column), "",
                "invalid YAML: malformed or unterminated flow collection ('[' or '{'), quote or block") });
        }
        catch (YamlException e)
        {
            string msg = Arch.Config.GuardedYamlParser.CleanMessage(e);
            throw new SweepFileException(new[] { new SweepDiagnostic(_file, e.Start.Line, e.Start.Column, "", "invalid YAML: " + msg) });
        }
        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var at = stream.Documents.Count == 0 ? Mark.Empty : stream.Documents[0].RootNode.Start;
            throw new SweepFileException(new[] { new SweepDiagnostic(_file, Math.Max(1, at.Line), Math.Max(1, at.Column), "", "a sweep file is a mapping with keys base, parameters, workloads, objectives, ...") });
        }

        if (root.Children.Count > 0 && root.Children.All(c => Array.IndexOf(TopKeys, (c.Key as YamlScalarNode)?.Value ?? "") < 0))
            throw new SweepFileException(new[] { new SweepDiagnostic(_file, Math.Max(1, root.Start.Line), Math.Max(1, root.Start.Column), "",
                $"not a sweep file: none of its top-level keys is one of {string.Join(", ", TopKeys)}") });
        var keys = new Dictionary<string, (YamlScalarNode key, YamlNode value)>();
        foreach (var (k, v) in root.Children)
        {
            string name = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(TopKeys, name) < 0) { Unknown(k, "", name, TopKeys); continue; }
            keys[name] = ((YamlScalarNode)k, v);
        }

        string name0 = Path.GetFileNameWithoutExtension(_file);
        string sweepName = keys.TryGetValue("name", out var nm) ? ScalarText(nm.value, "name") ?? name0 : name0;
        if (!Regex.IsMatch(sweepName, "^[A-Za-z0-9._-]+$"))
        {
            Error(keys["name"].value, "name", $"expected a name made of letters, digits, '.', '_' or '-' (it names the output folder); got '{sweepName}'");
            sweepName = name0;
        }

        string baseFile = "";
        if (!keys.TryGetValue("base", out var b)) Error(root, "base", "missing: the architecture YAML the sweep starts from (relative to the sweep file)");
        else if (ScalarText(b.value, "base") is { } rel)
        {
            baseFile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_file)) ?? ".", rel));
            if (!File.Exists(baseFile)) { Error(b.value, "base", $"architecture file '{rel}' not found (looked for {baseFile})"); baseFile = ""; }
        }

        var parameters = new List<(SweepParameter p, YamlNode node)>();
        if (!keys.TryGetValue("parameters", out var ps)) Error(root, "parameters", "missing: a mapping from dotted architecture keys to the values to sweep");
        else ParseParameters(ps.value, parameters);

        var zip = keys.TryGetValue("zip", out var z) ? ParseZip(z.value, parameters) : new List<IReadOnlyList<string>>();
        foreach (var (p, node) in parameters)
        {
            var group = zip.FirstOrDefault(g => g.Contains(p.Path));
            if (group is null && p.Values.Distinct().Count() != p.Values.Count) Error(node, "parameters." + p.Path, "lists the same value more than once");
            if (group is not null && group[0] == p.Path)
            {
                var members = group.Select(g => parameters.First(x => x.p.Path == g).p.Values).ToList();
                var tuples = Enumerable.Range(0, p.Values.Count).Select(i => string.Join("\u0001", members.Select(m => m[i]))).ToList();
                if (tuples.Distinct().Count() != tuples.Count) Error(node, "parameters." + p.Path, $"the zip group [{string.Join(", ", group)}] repeats a combination of values");
            }
        }

        var workloads = new List<WorkloadSpec>();
        if (!keys.TryGetValue("workloads", out var ws)) Error(root, "workloads", "missing: a list of workloads such as {model: llama-2-7b, phase: decode, kv: 2048, precision: w4a16g128}");
        else ParseWorkloads(ws.value, workloads);

        var objectives = new List<Objective>();
        if (!keys.TryGetValue("objectives", out var os)) Error(root, "objectives", "missing: the metrics to optimise, e.g. {latency_s: min, energy_pj: min}");
        else ParseObjectives(os.value, objectives);

        var constraints = keys.TryGetValue("constraints", out var cs) ? ParseConstraints(cs.value) : new List<Constraint>();
        StrategySpec strategy = keys.TryGetValue("strategy", out var st) ? ParseStrategy(st.value) : new GridStrategy();
        if (strategy is Nsga2Strategy && parameters.Count == 0 && keys.ContainsKey("parameters"))
            Error(st.value, "strategy", "nsga2 needs at least one parameter to vary");

        string colorBy = "pe_kind";
        if (keys.TryGetValue("color_by", out var cb) && ScalarText(cb.value, "color_by") is { } c)
        {
            var allowed = parameters.Select(p => p.p.Path).Concat(_validation.ColorLabels ?? ResultLabels.All).ToList();
            if (!allowed.Contains(c)) Error(cb.value, "color_by", $"'{c}' is neither a swept parameter nor a result label{Hint(c, allowed)}; expected one of {string.Join(", ", allowed)}");
            else colorBy = c;
        }

        var quant = keys.TryGetValue("quant", out var q) ? ParseQuant(q.value) : null;

        if (_problems.Count == 0 && baseFile.Length > 0) CheckParametersAgainstBase(baseFile, parameters, zip);
        if (_problems.Count > 0) throw new SweepFileException(_problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList());

        return new SweepSpec(sweepName, Path.GetFullPath(_file), baseFile, parameters.Select(p => p.p).ToList(), zip,
            workloads, objectives, constraints, strategy, colorBy, quant);
    }

    private void ParseParameters(YamlNode node, List<(SweepParameter, YamlNode)> output)
    {
        if (node is not YamlMappingNode map) { Error(node, "parameters", "expected a mapping from dotted keys (e.g. array.rows) to a list of values or a range {from, to, step|factor}"); return; }
        foreach (var (k, v) in map.Children)
        {
            string path = (k as YamlScalarNode)?.Value ?? "";
            string key = "parameters." + path;
            if (!Regex.IsMatch(path, @"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$"))
            {
                Error(k, key, "expected a dotted architecture key such as array.rows, memory.1.capacity_kib or memory.sram.banks");
                continue;
            }
            var values = ParseValues(v, key);
            if (values is null) continue;
            bool numeric = values.All(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            output.Add((new SweepParameter(path, values, numeric), v));
        }
    }

    private List<string>? ParseValues(YamlNode v, string key)
    {
        switch (v)
        {
            case YamlSequenceNode seq:
                if (seq.Children.Count == 0) { Error(v, key, "the list of values is empty"); return null; }
                return seq.Children.Select(YamlText.Flow).ToList();
            case YamlScalarNode s:
                return new List<string> { YamlText.Flow(s) };
            case YamlMappingNode m:
                return ParseRange(m, key);
        }
        return null;
    }

    private static readonly string[] RangeKeys = { "from", "to", "step", "factor" };

    private List<string>? ParseRange(YamlMappingNode m, string key)
    {
        var got = new Dictionary<string, decimal>();
        bool ok = true;
        foreach (var (k, v) in m.Children)
        {
            string n = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(RangeKeys, n) < 0)
            {
                Error(k, $"{key}.{n}", $"unknown range key{Hint(n, RangeKeys)}; a range is {{from, to, step}} or {{from, to, factor}} (to sweep whole blocks, give a list of mappings)");
                ok = false;
                continue;
            }
            if (v is YamlScalarNode s && decimal.TryParse(s.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) got[n] = d;
            else { Error(v, $"{key}.{n}", $"expected a number, got '{YamlText.Flow(v)}'"); ok = false; }
        }
        if (!ok) return null;
        if (!got.ContainsKey("from") || !got.ContainsKey("to")) { Error(m, key, "a range needs both from and to"); return null; }
        bool hasStep = got.TryGetValue("step", out var step), hasFactor = got.TryGetValue("factor", out var factor);
        if (hasStep == hasFactor) { Error(m, key, "a range needs exactly one of step (arithmetic) or factor (geometric)"); return null; }
        decimal from = got["from"], to = got["to"];
        if (to < from) { Error(m, key, $"range 'to' ({to}) is below 'from' ({from})"); return null; }
        if (hasStep && step <= 0) { Error(m, key, $"step must be positive, got {step}"); return null; }
        if (hasFactor && (factor <= 1 || from <= 0)) { Error(m, key, factor <= 1 ? $"factor must be greater than 1, got {factor}" : "a geometric range needs from > 0"); return null; }
        var values = new List<string>();
        for (decimal x = from; x <= to; x = hasStep ? x + step : x * factor)
        {
            values.Add(x.ToString("0.############", CultureInfo.InvariantCulture));
            if (values.Count > MaxRangeValues) { Error(m, key, $"range has more than {MaxRangeValues} values"); return null; }
        }
        return values;
    }

    private List<IReadOnlyList<string>> ParseZip(YamlNode node, List<(SweepParameter p, YamlNode node)> parameters)
    {
        var result = new List<IReadOnlyList<string>>();
        if (node is not YamlSequenceNode groups) { Error(node, "zip", "expected a list of groups, each a list of parameter keys that move together"); return result; }
        var used = new HashSet<string>();
        var names = parameters.Select(p => p.p.Path).ToList();
        for (int g = 0; g < groups.Children.Count; g++)
        {
            string key = $"zip[{g}]";
            if (groups.Children[g] is not YamlSequenceNode group || group.Children.Count < 2) { Error(groups.Children[g], key, "expected a list of at least two parameter keys"); continue; }
            var members = new List<string>();
            int count = -1;
            bool equal = true;
            foreach (var item in group.Children)
            {
                string? n = ScalarText(item, key);
                if (n is null) continue;
                int i = names.IndexOf(n);
                if (i < 0) { Error(item, key, $"'{n}' is not a parameter of this sweep{Hint(n, names)}"); continue; }
                if (!used.Add(n)) { Error(item, key, $"'{n}' is already in a zip group"); continue; }
                int c = parameters[i].p.Values.Count;
                if (count >= 0 && c != count) { Error(item, key, $"'{n}' has {c} values but the group's first parameter has {count}; zipped parameters need equal counts"); equal = false; }
                count = count < 0 ? c : count;
                members.Add(n);
            }
            if (members.Count >= 2 && equal) result.Add(members);
        }
        return result;
    }

    private void ParseWorkloads(YamlNode node, List<WorkloadSpec> output)
    {
        if (node is not YamlSequenceNode seq || seq.Children.Count == 0) { Error(node, "workloads", "expected a non-empty list of workloads such as {model: llama-2-7b, phase: decode, kv: 2048, precision: w4a16g128}"); return; }
        for (int i = 0; i < seq.Children.Count; i++)
        {
            string key = $"workloads[{i}]";
            if (seq.Children[i] is not YamlMappingNode m) { Error(seq.Children[i], key, "expected a mapping with model, phase, batch, seq, kv, precision, causal, fusion"); continue; }
            var f = new Dictionary<string, (YamlNode node, List<string> values)>();
            foreach (var (k, v) in m.Children)
            {
                string n = (k as YamlScalarNode)?.Value ?? "";
                if (Array.IndexOf(WorkloadKeys, n) < 0) { Unknown(k, key, n, WorkloadKeys); continue; }
                var vals = v is YamlSequenceNode list ? list.Children.Select(x => ScalarText(x, $"{key}.{n}")).ToList()
                                                       : new List<string?> { ScalarText(v, $"{key}.{n}") };
                if (vals.Count == 0) { Error(v, $"{key}.{n}", "the list of values is empty"); continue; }
                if (vals.Any(x => x is null)) continue;
                f[n] = (v, vals.Select(x => x!).ToList());
            }
            if (!f.ContainsKey("model")) { Error(m, key, "missing 'model' (a catalog model such as llama-2-7b, or gemm-MxKxN)"); continue; }
            if (f["model"].values.Any(v => v.StartsWith("gemm-", StringComparison.OrdinalIgnoreCase)))
                foreach (var n in new[] { "precision", "phase", "seq", "kv", "causal", "name", "fusion" })
                    if (f.TryGetValue(n, out var given))
                        Error(given.node, $"{key}.{n}", $"does not apply to a gemm-MxKxN workload, which runs at each PE's own formats; list the GEMM as its own workload without '{n}'");
            var phases = Get(f, "phase", "prefill");
            bool badPhase = false;
            foreach (var (ph, n) in phases.Select(p => (p, f.GetValueOrDefault("phase").node)))
                if (Array.IndexOf(Phases, ph) < 0) { Error(n!, $"{key}.phase", $"expected prefill, decode or train, got '{ph}'{Hint(ph, Phases)}"); badPhase = true; }
            var batch = Ints(f, "batch", key, 1, 1);
            var seqs = f.ContainsKey("seq") ? Ints(f, "seq", key, 0, 1)?.Select(x => (int?)x).ToList() : new List<int?> { null };
            var kvs = f.ContainsKey("kv") ? Ints(f, "kv", key, 0, 0)?.Select(x => (int?)x).ToList() : new List<int?> { null };
            var precisions = Get(f, "precision", "fp16");
            var causals = Bools(f, "causal", key);
            var fusions = Bools(f, "fusion", key, true);
            string? name = null;
            if (f.TryGetValue("name", out var names))
            {
                if (names.values.Count != 1 || names.node is YamlSequenceNode) { Error(names.node, $"{key}.name", "expected one name (a workload entry with several models cannot share one)"); continue; }
                if (f["model"].values.Count > 1) { Error(names.node, $"{key}.name", "names one model, but this entry lists several; give each model its own entry"); continue; }
                name = names.values[0];
            }
            if (causals is not null && causals.Contains(true) && phases.Contains("decode"))
            {
                Error(f["causal"].node, $"{key}.causal", "does not apply to decode, which attends one new token to the whole KV cache (no masked pairs); list the decode workload separately without 'causal'");
                continue;
            }
            if (badPhase || batch is null || seqs is null || kvs is null || causals is null || fusions is null) continue;
            foreach (var model in f["model"].values)
            foreach (var ph in phases)
            foreach (var bt in batch)
            foreach (var s in seqs)
            foreach (var kv in kvs)
            foreach (var pr in precisions)
            foreach (var c in causals)
            foreach (var fu in fusions)
            {
                var w = new WorkloadSpec(model, ph, bt, s, kv, pr, c, name, fu);
                if (output.FirstOrDefault(o => o.Label == w.Label) is { } same)
                {
                    Error(m, key, same.Model == w.Model ? $"workload {w.Label} is listed twice"
                        : $"workload {w.Label} is listed twice ('{same.Model}' and '{w.Model}' have the same name); give one a 'name'");
                    continue;
                }
                if (_validation.CheckWorkload?.Invoke(w) is { } err) { Error(m, key, err); continue; }
                output.Add(w);
            }
        }
    }

    private static List<string> Get(Dictionary<string, (YamlNode node, List<string> values)> f, string name, string fallback) =>
        f.TryGetValue(name, out var x) ? x.values : new List<string> { fallback };

    private List<bool>? Bools(Dictionary<string, (YamlNode node, List<string> values)> f, string name, string key, bool fallback = false)
    {
        if (!f.TryGetValue(name, out var x)) return new List<bool> { fallback };
        var result = new List<bool>();
        foreach (var s in x.values)
        {
            if (s is "true" or "false") result.Add(s == "true");
            else { Error(x.node, $"{key}.{name}", $"expected true or false, got '{s}'"); return null; }
        }
        return result;
    }

    private List<int>? Ints(Dictionary<string, (YamlNode node, List<string> values)> f, string name, string key, int fallback, int min)
    {
        if (!f.TryGetValue(name, out var x)) return new List<int> { fallback };
        var result = new List<int>();
        foreach (var s in x.values)
        {
            if (int.TryParse(s.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min) result.Add(v);
            else { Error(x.node, $"{key}.{name}", $"expected an integer ≥ {min}, got '{s}'"); return null; }
        }
        return result;
    }

    private void ParseObjectives(YamlNode node, List<Objective> output)
    {
        var pairs = new List<(YamlNode k, YamlNode v)>();
        if (node is YamlMappingNode m) pairs.AddRange(m.Children.Select(kv => (kv.Key, kv.Value)));
        else if (node is YamlSequenceNode s)
        {
            foreach (var item in s.Children)
            {
                if (item is YamlMappingNode im && im.Children.Count == 1) pairs.Add((im.Children[0].Key, im.Children[0].Value));
                else Error(item, "objectives", "expected 'metric: min' or 'metric: max'");
            }
        }
        else { Error(node, "objectives", "expected a mapping such as {latency_s: min, energy_pj: min}"); return; }
        if (pairs.Count == 0) Error(node, "objectives", "name at least one metric to optimise");
        foreach (var (k, v) in pairs)
        {
            string name = (k as YamlScalarNode)?.Value ?? "";
            string key = "objectives." + name;
            var metric = MetricCatalog.Find(name);
            if (metric is null) { Error(k, key, $"unknown metric '{name}'{Hint(name, MetricCatalog.Spellings)}"); continue; }
            string? dir = ScalarText(v, key);
            if (dir is not ("min" or "max")) { if (dir is not null) Error(v, key, $"expected min or max, got '{dir}'"); continue; }
            if (output.Any(o => o.Metric == metric.Name)) { Error(k, key, $"metric {metric.Name} is listed twice"); continue; }
            output.Add(new Objective(metric.Name, dir == "min" ? Goal.Min : Goal.Max));
        }
    }

    [GeneratedRegex(@"^\s*(!?)\s*([A-Za-z_][A-Za-z0-9_./]*)\s*(?:(<=|>=|==|!=|<|>)\s*([-+0-9.eE_]+)\s*)?$")]
    private static partial Regex ConstraintPattern();

    private List<Constraint> ParseConstraints(YamlNode node)
    {
        var result = new List<Constraint>();
        var items = node switch
        {
            YamlSequenceNode s => s.Children.ToList(),
            YamlScalarNode sc => new List<YamlNode> { sc },
            _ => null,
        };
        if (items is null) { Error(node, "constraints", "expected a list such as ['area_mm2 <= 10', fpga_fits]"); return result; }
        for (int i = 0; i < items.Count; i++)
        {
            string key = $"constraints[{i}]";
            string? text = ScalarText(items[i], key);
            if (text is null) continue;
            var match = ConstraintPattern().Match(text);
            if (!match.Success) { Error(items[i], key, $"expected 'metric OP number' (OP one of <=, <, >=, >, ==, !=) or a 0/1 metric such as fpga_fits; got '{text}'"); continue; }
            string name = match.Groups[2].Value;
            var metric = MetricCatalog.Find(name);
            if (metric is null) { Error(items[i], key, $"unknown metric '{name}'{Hint(name, MetricCatalog.Spellings)}"); continue; }
            if (!match.Groups[3].Success)
            {
                result.Add(match.Groups[1].Value == "!" ? new Constraint(metric.Id, CompareOp.Eq, 0, text.Trim()) : new Constraint(metric.Id, CompareOp.IsTrue, 1, text.Trim()));
                continue;
            }
            if (match.Groups[1].Value == "!") { Error(items[i], key, "'!' only applies to a 0/1 metric without a comparison"); continue; }
            if (!double.TryParse(match.Groups[4].Value.Replace("_", ""), NumberStyles.Float, CultureInfo.InvariantCulture, out var bound))
            { Error(items[i], key, $"'{match.Groups[4].Value}' is not a number"); continue; }
            var op = match.Groups[3].Value switch { "<=" => CompareOp.Le, "<" => CompareOp.Lt, ">=" => CompareOp.Ge, ">" => CompareOp.Gt, "==" => CompareOp.Eq, _ => CompareOp.Ne };
            result.Add(new Constraint(metric.Id, op, bound, text.Trim()));
        }
        return result;
    }

    private static readonly string[] Strategies = { "grid", "random", "nsga2" };

    private StrategySpec ParseStrategy(YamlNode node)
    {
        string? kind;
        YamlMappingNode? args = null;
        if (node is YamlScalarNode s) kind = s.Value;
        else if (node is YamlMappingNode m && m.Children.Count == 1 && m.Children[0].Key is YamlScalarNode k)
        {
            kind = k.Value;
            args = m.Children[0].Value as YamlMappingNode;
            if (args is null && !(m.Children[0].Value is YamlScalarNode { Value: null or "" }))
            { Error(m.Children[0].Value, $"strategy.{kind}", "expected a mapping of settings, e.g. {samples: 200, seed: 1}"); return new GridStrategy(); }
        }
        else { Error(node, "strategy", "expected grid, {random: {samples, seed}} or {nsga2: {population, generations, seed}}"); return new GridStrategy(); }
        kind ??= "";
        var allowed = kind switch
        {
            "grid" => Array.Empty<string>(),
            "random" => new[] { "samples", "seed" },
            "nsga2" => new[] { "population", "generations", "seed" },
            _ => null,
        };
        if (allowed is null) { Error(node, "strategy", $"unknown strategy '{kind}'{Hint(kind, Strategies)}; expected grid, random or nsga2"); return new GridStrategy(); }
        var values = new Dictionary<string, int>();
        bool bad = false;
        foreach (var (k, v) in args?.Children ?? (IEnumerable<KeyValuePair<YamlNode, YamlNode>>)Array.Empty<KeyValuePair<YamlNode, YamlNode>>())
        {
            string n = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(allowed, n) < 0) { Unknown(k, $"strategy.{kind}", n, allowed); continue; }
            string? t = ScalarText(v, $"strategy.{kind}.{n}");
            if (t is null) continue;
            if (!int.TryParse(t.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var iv) || (n != "seed" && iv < 1))
            { Error(v, $"strategy.{kind}.{n}", $"expected {(n == "seed" ? "an integer" : "a positive integer")}, got '{MessageText.Clip(t)}'"); bad = true; continue; }
            if (n != "seed" && iv > MaxSearchPoints)
            { Error(v, $"strategy.{kind}.{n}", $"expected at most {MaxSearchPoints:N0}, got {iv:N0}"); bad = true; continue; }
            values[n] = iv;
        }
        if (bad) return new GridStrategy();
        switch (kind)
        {
            case "random":
                if (!values.ContainsKey("samples")) { Error(node, "strategy.random", "missing 'samples' (how many design points to draw)"); return new GridStrategy(); }
                return new RandomStrategy(values["samples"], values.GetValueOrDefault("seed", 1));
            case "nsga2":
                int pop = values.GetValueOrDefault("population", 40);
                int gens = values.GetValueOrDefault("generations", 20);
                if (pop < 4 || pop % 2 != 0) Error(node, "strategy.nsga2.population", $"expected an even number ≥ 4, got {pop}");
                else if ((long)pop * (gens + 1L) > MaxSearchPoints)
                    Error(node, "strategy.nsga2", $"population × (generations + 1) = {(long)pop * (gens + 1L):N0} design points is more than the {MaxSearchPoints:N0} a sweep evaluates");
                return new Nsga2Strategy(pop, gens, values.GetValueOrDefault("seed", 1));
            default:
                return new GridStrategy();
        }
    }

    /// <summary>Asks the architecture loader whether each parameter value applies to the base file; misspelled keys are reported here.</summary>
    private void CheckParametersAgainstBase(string baseFile, List<(SweepParameter p, YamlNode node)> parameters, List<IReadOnlyList<string>> zip)
    {
        if (_validation.CheckParameter is null) return;
        foreach (var (p, node) in parameters)
        {
            var group = zip.FirstOrDefault(g => g.Contains(p.Path));
            if (group is not null && group[0] != p.Path) continue;
            // a numeric value cannot misspell a key: the ends of a long range are enough
            var indices = p.Numeric && p.Values.Count > 2 ? new[] { 0, p.Values.Count - 1 } : Enumerable.Range(0, p.Values.Count).ToArray();
            foreach (int i in indices)
            {
                var sets = group is null
                    ? new List<KeyValuePair<string, string>> { new(p.Path, p.Values[i]) }
                    : group.Select(g => new KeyValuePair<string, string>(g, parameters.First(x => x.p.Path == g).p.Values[i])).ToList();
                if (_validation.CheckParameter(baseFile, sets) is { } err)
                {
                    var at = node is YamlSequenceNode seq && seq.Children.Count == p.Values.Count ? seq.Children[i] : node;
                    Error(at, "parameters." + p.Path, err);
                    break;
                }
            }
        }
    }

    private string? ScalarText(YamlNode node, string key)
    {
        if (node is YamlScalarNode s && !string.IsNullOrEmpty(s.Value)) return s.Value;
        Error(node, key, node is YamlScalarNode ? "expected a value, found nothing" : $"expected a single value, found a {(node is YamlMappingNode ? "mapping" : "list")}");
        return null;
    }

    private void Unknown(YamlNode at, string parent, string name, IEnumerable<string> valid)
    {
        string key = MessageText.Clip(parent.Length == 0 ? name : $"{parent}.{name}");
        Error(at, key, $"unknown key{Hint(name, valid)}; expected one of {string.Join(", ", valid)}");
    }

    private static string Hint(string name, IEnumerable<string> valid) =>
        NameSuggester.Nearest(name, valid) is { } near ? $"; did you mean '{near}'?" : "";

    private void Error(YamlNode at, string key, string message) =>
        _problems.Add(new SweepDiagnostic(_file, at.Start.Line, at.Start.Column, key, message));
}
