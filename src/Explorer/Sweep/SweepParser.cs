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

        if (root.Children.Count > 0 && !HasAnyKey(root, TopKeys))
            throw new SweepFileException(new[] { new SweepDiagnostic(_file, Math.Max(1, root.Start.Line), Math.Max(1, root.Start.Column), "",
                $"not a sweep file: none of its top-level keys is one of {string.Join(", ", TopKeys)}") });
        var keys = new Dictionary<string, YamlNode>();
        foreach (var (k, v) in root.Children)
        {
            string name = (k as YamlScalarNode)?.Value ?? "";
            if (Array.IndexOf(TopKeys, name) < 0) { Unknown(k, "", name, TopKeys); continue; }
            keys[name] = v;
        }

        string name0 = Path.GetFileNameWithoutExtension(_file);
        string sweepName = keys.TryGetValue("name", out var nm) ? ScalarText(nm, "name") ?? name0 : name0;
        if (!SweepNamePattern().IsMatch(sweepName))
        {
            Error(keys["name"], "name", $"expected a name made of letters, digits, '.', '_' or '-' (it names the output folder); got '{sweepName}'");
            sweepName = name0;
        }

        string baseFile = "";
        if (!keys.TryGetValue("base", out var b)) Error(root, "base", "missing: the architecture YAML the sweep starts from (relative to the sweep file)");
        else if (ScalarText(b, "base") is { } rel)
        {
            baseFile = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(Path.GetFullPath(_file)) ?? ".", rel));
            if (!File.Exists(baseFile)) { Error(b, "base", $"architecture file '{rel}' not found (looked for {baseFile})"); baseFile = ""; }
        }

        var parameters = new List<SweptAt>();
        if (!keys.TryGetValue("parameters", out var ps)) Error(root, "parameters", "missing: a mapping from dotted architecture keys to the values to sweep");
        else ParseParameters(ps, parameters);

        var zip = keys.TryGetValue("zip", out var z) ? ParseZip(z, parameters) : new List<IReadOnlyList<string>>();
        foreach (var (p, node) in parameters)
        {
            var group = zip.FirstOrDefault(g => g.Contains(p.Path));
            if (group is null && HasDuplicate(p.Values)) Error(node, "parameters." + p.Path, "lists the same value more than once");
            if (group is not null && group[0] == p.Path && HasDuplicate(ZippedCombinations(group, parameters)))
                Error(node, "parameters." + p.Path, $"the zip group [{string.Join(", ", group)}] repeats a combination of values");
        }

        var workloads = new List<WorkloadSpec>();
        if (!keys.TryGetValue("workloads", out var ws)) Error(root, "workloads", "missing: a list of workloads such as {model: llama-2-7b, phase: decode, kv: 2048, precision: w4a16g128}");
        else ParseWorkloads(ws, workloads);

        var objectives = new List<Objective>();
        if (!keys.TryGetValue("objectives", out var os)) Error(root, "objectives", "missing: the metrics to optimise, e.g. {latency_s: min, energy_pj: min}");
        else ParseObjectives(os, objectives);

        var constraints = keys.TryGetValue("constraints", out var cs) ? ParseConstraints(cs) : new List<Constraint>();
        StrategySpec strategy = keys.TryGetValue("strategy", out var st) ? ParseStrategy(st) : new GridStrategy();
        if (strategy is Nsga2Strategy && parameters.Count == 0 && keys.ContainsKey("parameters"))
            Error(st!, "strategy", "nsga2 needs at least one parameter to vary");

        string colorBy = ResultLabels.PeKind;
        if (keys.TryGetValue("color_by", out var cb) && ScalarText(cb, "color_by") is { } c)
        {
            var allowed = parameters.Select(p => p.Parameter.Path).Concat(_validation.ColorLabels ?? ResultLabels.All).ToList();
            if (!allowed.Contains(c)) Error(cb, "color_by", $"'{c}' is neither a swept parameter nor a result label{Hint(c, allowed)}; expected one of {string.Join(", ", allowed)}");
            else colorBy = c;
        }

        var quant = keys.TryGetValue("quant", out var q) ? ParseQuant(q) : null;

        if (_problems.Count == 0 && baseFile.Length > 0) CheckParametersAgainstBase(baseFile, parameters, zip);
        if (_problems.Count > 0) throw new SweepFileException(_problems.OrderBy(p => p.Line).ThenBy(p => p.Column).ToList());

        return new SweepSpec(sweepName, Path.GetFullPath(_file), baseFile, parameters.Select(p => p.Parameter).ToList(), zip,
            workloads, objectives, constraints, strategy, colorBy, quant);
    }

    private void ParseParameters(YamlNode node, List<SweptAt> output)
    {
        if (node is not YamlMappingNode map) { Error(node, "parameters", "expected a mapping from dotted keys (e.g. array.rows) to a list of values or a range {from, to, step|factor}"); return; }
        foreach (var (k, v) in map.Children)
        {
            string path = (k as YamlScalarNode)?.Value ?? "";
            string key = "parameters." + path;
            if (!ParameterPathPattern().IsMatch(path))
            {
                Error(k, key, "expected a dotted architecture key such as array.rows, memory.1.capacity_kib or memory.sram.banks");
                continue;
            }
            var values = ParseValues(v, key);
            if (values is null) continue;
            bool numeric = values.All(x => double.TryParse(x, NumberStyles.Float, CultureInfo.InvariantCulture, out _));
            output.Add(new SweptAt(new SweepParameter(path, values, numeric), v));
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

    private List<IReadOnlyList<string>> ParseZip(YamlNode node, List<SweptAt> parameters)
    {
        var result = new List<IReadOnlyList<string>>();
        if (node is not YamlSequenceNode groups) { Error(node, "zip", "expected a list of groups, each a list of parameter keys that move together"); return result; }
        var used = new HashSet<string>();
        var names = parameters.Select(p => p.Parameter.Path).ToList();
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
                int c = parameters[i].Parameter.Values.Count;
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
            var f = new Dictionary<string, WorkloadField>();
            foreach (var (k, v) in m.Children)
            {
                string n = (k as YamlScalarNode)?.Value ?? "";
                if (Array.IndexOf(WorkloadKeys, n) < 0) { Unknown(k, key, n, WorkloadKeys); continue; }
                var vals = v is YamlSequenceNode list ? list.Children.Select(x => ScalarText(x, $"{key}.{n}")).ToList()
                                                       : new List<string?> { ScalarText(v, $"{key}.{n}") };
                if (vals.Count == 0) { Error(v, $"{key}.{n}", "the list of values is empty"); continue; }
                if (vals.Any(x => x is null)) continue;
                f[n] = new WorkloadField(v, vals.Select(x => x!).ToList());
            }
            if (!f.ContainsKey("model")) { Error(m, key, "missing 'model' (a catalog model such as llama-2-7b, or gemm-MxKxN)"); continue; }
            if (f["model"].Values.Any(v => v.StartsWith("gemm-", StringComparison.OrdinalIgnoreCase)))
                foreach (var n in new[] { "precision", "phase", "seq", "kv", "causal", "name", "fusion" })
                    if (f.TryGetValue(n, out var given))
                        Error(given.Node, $"{key}.{n}", $"does not apply to a gemm-MxKxN workload, which runs at each PE's own formats; list the GEMM as its own workload without '{n}'");
            var phases = Get(f, "phase", "prefill");
            bool badPhase = false;
            foreach (var ph in phases)
                if (Array.IndexOf(Phases, ph) < 0) { Error(f["phase"].Node, $"{key}.phase", $"expected prefill, decode or train, got '{ph}'{Hint(ph, Phases)}"); badPhase = true; }
            var batch = Ints(f, "batch", key, 1, 1);
            var seqs = f.ContainsKey("seq") ? Optional(Ints(f, "seq", key, 0, 1)) : new int?[] { null };
            var kvs = f.ContainsKey("kv") ? Optional(Ints(f, "kv", key, 0, 0)) : new int?[] { null };
            var precisions = Get(f, "precision", "fp16");
            var causals = Bools(f, "causal", key);
            var fusions = Bools(f, "fusion", key, true);
            string? name = null;
            if (f.TryGetValue("name", out var names))
            {
                if (names.Values.Count != 1 || names.Node is YamlSequenceNode) { Error(names.Node, $"{key}.name", "expected one name (a workload entry with several models cannot share one)"); continue; }
                if (f["model"].Values.Count > 1) { Error(names.Node, $"{key}.name", "names one model, but this entry lists several; give each model its own entry"); continue; }
                name = names.Values[0];
            }
            if (causals is not null && AnyTrue(causals) && phases.Contains("decode"))
            {
                Error(f["causal"].Node, $"{key}.causal", "does not apply to decode, which attends one new token to the whole KV cache (no masked pairs); list the decode workload separately without 'causal'");
                continue;
            }
            if (badPhase || batch is null || seqs is null || kvs is null || causals is null || fusions is null) continue;
            foreach (var model in f["model"].Values)
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

    /// <summary>A workload key's node and its value or values.</summary>
    private sealed record WorkloadField(YamlNode Node, List<string> Values);

    private static List<string> Get(Dictionary<string, WorkloadField> f, string name, string fallback) =>
        f.TryGetValue(name, out var x) ? x.Values : new List<string> { fallback };

    // arrays, not lists, of booleans and optional integers: each list of a value type is generic code compiled at start-up
    private bool[]? Bools(Dictionary<string, WorkloadField> f, string name, string key, bool fallback = false)
    {
        if (!f.TryGetValue(name, out var x)) return [fallback];
        var result = new bool[x.Values.Count];
        for (int i = 0; i < result.Length; i++)
        {
            string s = x.Values[i];
            if (s is "true" or "false") result[i] = s == "true";
            else { Error(x.Node, $"{key}.{name}", $"expected true or false, got '{s}'"); return null; }
        }
        return result;
    }

    private List<int>? Ints(Dictionary<string, WorkloadField> f, string name, string key, int fallback, int min)
    {
        if (!f.TryGetValue(name, out var x)) return new List<int> { fallback };
        var result = new List<int>();
        foreach (var s in x.Values)
        {
            if (int.TryParse(s.Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) && v >= min) result.Add(v);
            else { Error(x.Node, $"{key}.{name}", $"expected an integer ≥ {min}, got '{s}'"); return null; }
        }
        return result;
    }

    private static bool AnyTrue(bool[] flags)
    {
        foreach (bool f in flags) if (f) return true;
        return false;
    }

    private static int?[]? Optional(List<int>? values)
    {
        if (values is null) return null;
        var result = new int?[values.Count];
        for (int i = 0; i < result.Length; i++) result[i] = values[i];
        return result;
    }

    private void ParseObjectives(YamlNode node, List<Objective> output)
    {
        var pairs = new List<KeyedNode>();
        if (node is YamlMappingNode m)
            foreach (var (k, v) in m.Children) pairs.Add(new KeyedNode(k, v));
        else if (node is YamlSequenceNode s)
        {
            foreach (var item in s.Children)
            {
                if (item is YamlMappingNode im && im.Children.Count == 1) pairs.Add(new KeyedNode(im.Children[0].Key, im.Children[0].Value));
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

    private static readonly IDictionary<YamlNode, YamlNode> NoSettings = new YamlMappingNode().Children;

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
        foreach (var (k, v) in args?.Children ?? NoSettings)
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
    private void CheckParametersAgainstBase(string baseFile, List<SweptAt> parameters, List<IReadOnlyList<string>> zip)
    {
        if (_validation.CheckParameter is null) return;
        foreach (var (p, node) in parameters)
        {
            var group = zip.FirstOrDefault(g => g.Contains(p.Path));
            if (group is not null && group[0] != p.Path) continue;
            // a numeric value cannot misspell a key: the ends of a long range are enough
            var indices = p.Numeric && p.Values.Count > 2 ? [0, p.Values.Count - 1] : Indices(p.Values.Count);
            foreach (int i in indices)
            {
                var sets = new List<KeyValuePair<string, string>>();
                if (group is null) sets.Add(new(p.Path, p.Values[i]));
                else foreach (var g in group) sets.Add(new(g, Find(parameters, g).Values[i]));
                if (_validation.CheckParameter(baseFile, sets) is { } err)
                {
                    var at = node is YamlSequenceNode seq && seq.Children.Count == p.Values.Count ? seq.Children[i] : node;
                    Error(at, "parameters." + p.Path, err);
                    break;
                }
            }
        }
    }

    /// <summary>A swept parameter and the node that gave its values (for messages).</summary>
    private sealed record SweptAt(SweepParameter Parameter, YamlNode Node);

    /// <summary>A key of a mapping and its value.</summary>
    private sealed record KeyedNode(YamlNode Key, YamlNode Value);

    // (loops, not LINQ: LINQ over tuples, key-value pairs and value types is generic code compiled at every start-up)

    private static bool HasAnyKey(YamlMappingNode map, string[] names)
    {
        foreach (var (k, _) in map.Children)
            if (Array.IndexOf(names, (k as YamlScalarNode)?.Value ?? "") >= 0) return true;
        return false;
    }

    private static bool HasDuplicate(IReadOnlyList<string> values)
    {
        var seen = new HashSet<string>();
        foreach (var v in values) if (!seen.Add(v)) return true;
        return false;
    }

    private static SweepParameter Find(List<SweptAt> parameters, string path)
    {
        foreach (var p in parameters) if (p.Parameter.Path == path) return p.Parameter;
        throw new InvalidOperationException($"no parameter {path}");
    }

    /// <summary>Each combination of values a zip group takes, as one string.</summary>
    private static List<string> ZippedCombinations(IReadOnlyList<string> group, List<SweptAt> parameters)
    {
        var members = new List<IReadOnlyList<string>>();
        foreach (var g in group) members.Add(Find(parameters, g).Values);
        var combinations = new List<string>();
        for (int i = 0; i < members[0].Count; i++)
        {
            var values = new string[members.Count];
            for (int m = 0; m < values.Length; m++) values[m] = members[m][i];
            combinations.Add(string.Join("\u0001", values));
        }
        return combinations;
    }

    private static int[] Indices(int count)
    {
        var indices = new int[count];
        for (int i = 0; i < count; i++) indices[i] = i;
        return indices;
    }

    [GeneratedRegex("^[A-Za-z0-9._-]+$")]
    private static partial Regex SweepNamePattern();

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z0-9_-]+)*$")]
    private static partial Regex ParameterPathPattern();

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
