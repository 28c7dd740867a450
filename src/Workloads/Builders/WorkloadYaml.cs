using Mantissa.Arch;
using Mantissa.Arch.Numerics;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Workloads;

/// <summary>
/// Hand-written workload graphs in YAML: graph inputs with shapes, then operators in order, each reading graph inputs
/// or earlier operators by name. Shapes are inferred and checked; all problems are reported with file, line, column and key.
/// </summary>
internal static class WorkloadYaml
{
    private static readonly string[] TopKeys = { "name", "phase", "batch", "tokens", "inputs", "ops" };
    private static readonly string[] InputKeys = { "name", "shape", "role" };
    private static readonly string[] Activations = { "relu", "relu6", "gelu", "silu", "tanh", "sigmoid" };

    /// <summary>Operator kinds and the keys each accepts (besides name and op).</summary>
    private static readonly Dictionary<string, string[]> OpKeys = new()
    {
        ["linear"] = new[] { "input", "out_features", "bias" },
        ["conv2d"] = new[] { "input", "out_channels", "kernel", "stride", "padding", "dilation", "groups", "bias" },
        ["matmul"] = new[] { "inputs" },
        ["attention"] = new[] { "inputs" },
        ["softmax"] = new[] { "input" },
        ["layernorm"] = new[] { "input" },
        ["rmsnorm"] = new[] { "input" },
        ["batchnorm"] = new[] { "input" },
        ["add"] = new[] { "inputs" },
        ["mul"] = new[] { "inputs" },
        ["maxpool"] = new[] { "input", "kernel", "stride", "padding" },
        ["avgpool"] = new[] { "input", "kernel", "stride", "padding" },
        ["embedding"] = new[] { "input", "rows", "dim" },
        ["relu"] = new[] { "input" }, ["relu6"] = new[] { "input" }, ["gelu"] = new[] { "input" },
        ["silu"] = new[] { "input" }, ["tanh"] = new[] { "input" }, ["sigmoid"] = new[] { "input" },
    };

    /// <summary>The workload's <c>name</c> key, else the file name (a YAML that does not parse is named after its file).</summary>
    public static string NameOf(string file, string text)
    {
        try
        {
            var y = new YamlProblems(file);
            var root = y.Root(text, "a workload with 'inputs' and 'ops'");
            return y.Str(root, "name") ?? Path.GetFileNameWithoutExtension(file);
        }
        catch (MantissaException) { return Path.GetFileNameWithoutExtension(file); }
    }

    public static Workload Load(string path, string text, WorkloadOptions o, PrecisionRecipe recipe)
    {
        if (o.Seq is not null || o.Kv is not null || o.Batch != 1)
            throw new MantissaException($"{path}: a workload YAML fixes its own shapes; --seq, --kv and --batch do not apply");
        return Parse(text, path, recipe);
    }

    public static Workload Parse(string text, string file, PrecisionRecipe recipe)
    {
        var y = new YamlProblems(file);
        var root = y.Root(text, "a workload with 'inputs' and 'ops'");
        y.CheckKeys(root, "a workload", TopKeys);
        string name = y.Str(root, "name") ?? Path.GetFileNameWithoutExtension(file);
        var phase = Phase.Prefill;
        if (y.Str(root, "phase") is { } ph)
        {
            if (!Enum.TryParse(ph, ignoreCase: true, out phase)) y.Add(YamlProblems.Get(root, "phase")!, "phase", $"expected prefill or decode, got '{ph}'");
        }
        long batch = y.Long(root, "batch", 1) ?? 1;
        long? tokens = y.Long(root, "tokens", 1);

        var g = new GraphBuilder(recipe);
        var known = new Dictionary<string, TensorSpec>(StringComparer.Ordinal);
        var failed = new HashSet<string>(StringComparer.Ordinal);
        var allOpNames = new HashSet<string>(StringComparer.Ordinal);

        if (YamlProblems.Get(root, "inputs") is not YamlSequenceNode inputs)
        {
            if (YamlProblems.Get(root, "inputs") is { } bad) y.Add(bad, "inputs", "expected a list of {name, shape} entries");
            else y.Add(root, "inputs", "missing: list the graph inputs as {name: x, shape: [1, 128, 768]}");
            inputs = new YamlSequenceNode();
        }
        foreach (var item in inputs.Children)
        {
            if (item is not YamlMappingNode m) { y.Add(item, "inputs", "each input must be a mapping with 'name' and 'shape'"); continue; }
            y.CheckKeys(m, "an input", InputKeys);
            var n = y.Str(m, "name", required: true);
            var shape = y.Shape(m, "shape", required: true);
            var role = TensorRole.Activation;
            if (y.Str(m, "role") is { } r)
            {
                if (r == "kv_cache") role = TensorRole.KvCache;
                else if (r != "activation") y.Add(YamlProblems.Get(m, "role")!, "role", $"expected activation or kv_cache, got '{r}'");
            }
            if (n is null || shape is null) { if (n is not null) failed.Add(n); continue; }
            if (known.ContainsKey(n)) { y.Add(YamlProblems.Get(m, "name")!, "name", $"duplicate input name '{n}'"); continue; }
            var lp = recipe.For(n);
            var t = role == TensorRole.KvCache ? lp.Kv(n, shape) : lp.Activation(n, shape);
            g.AddInput(t);
            known[n] = t;
        }

        if (YamlProblems.Get(root, "ops") is not YamlSequenceNode ops || ops.Children.Count == 0)
        {
            y.Add(YamlProblems.Get(root, "ops") ?? root, "ops", "expected a non-empty list of operators ({name, op, input(s), ...})");
            ops = new YamlSequenceNode();
        }
        foreach (var item in ops.Children)
            if (item is YamlMappingNode m && YamlProblems.Get(m, "name") is YamlScalarNode s && s.Value is { } v) allOpNames.Add(v);

        foreach (var item in ops.Children)
        {
            if (item is not YamlMappingNode m) { y.Add(item, "ops", "each operator must be a mapping with 'name' and 'op'"); continue; }
            var opName = y.Str(m, "name", required: true);
            var kind = y.Str(m, "op", required: true);
            if (opName is null || kind is null) { if (opName is not null) failed.Add(opName); continue; }
            if (known.ContainsKey(opName) || failed.Contains(opName)) { y.Add(YamlProblems.Get(m, "name")!, "name", $"'{opName}' is already defined"); continue; }
            if (!OpKeys.TryGetValue(kind, out var keys))
            {
                y.Add(YamlProblems.Get(m, "op")!, "op", $"unknown operator '{kind}'; expected one of {string.Join(", ", OpKeys.Keys)}");
                failed.Add(opName);
                continue;
            }
            y.CheckKeys(m, $"a '{kind}' operator", keys.Prepend("op").Prepend("name").ToArray());
            var ins = Inputs(y, m, keys.Contains("inputs") ? "inputs" : "input", known, failed, allOpNames, opName, out bool upstreamFailed);
            if (ins is null || upstreamFailed) { failed.Add(opName); continue; }
            try
            {
                var outT = BuildOp(y, g, m, opName, kind, ins);
                if (outT is null) failed.Add(opName);
                else known[opName] = outT;
            }
            catch (MantissaException e)
            {
                y.Add(YamlProblems.Get(m, "op")!, "op", e.Message);
                failed.Add(opName);
            }
        }
        y.ThrowIfAny("workload");
        var graph = g.Build();
        return new Workload(name, WorkloadKind.Custom, phase, (int)batch, 0, 0, tokens ?? batch, recipe, graph, g.StoredWeights);
    }

    private static List<TensorSpec>? Inputs(YamlProblems y, YamlMappingNode m, string key, Dictionary<string, TensorSpec> known,
                                            HashSet<string> failed, HashSet<string> allOps, string self, out bool upstreamFailed)
    {
        upstreamFailed = false;
        var node = YamlProblems.Get(m, key);
        if (node is null) { y.Add(m, key, $"missing: name the {(key == "inputs" ? "operands" : "operand")} (a graph input or an earlier op)"); return null; }
        var refs = node switch
        {
            YamlScalarNode s when key == "input" => new List<YamlScalarNode> { s },
            YamlSequenceNode seq when key == "inputs" && seq.Children.All(c => c is YamlScalarNode) => seq.Children.Cast<YamlScalarNode>().ToList(),
            _ => null,
        };
        if (refs is null) { y.Add(node, key, key == "input" ? "expected one name" : "expected a list of names such as [a, b]"); return null; }
        var result = new List<TensorSpec>();
        foreach (var r in refs)
        {
            string n = r.Value ?? "";
            if (known.TryGetValue(n, out var t)) result.Add(t);
            else if (failed.Contains(n)) upstreamFailed = true;
            else if (n == self) y.Add(r, key, $"'{n}' reads its own output (a cycle)");
            else if (allOps.Contains(n)) y.Add(r, key, $"'{n}' is defined later; list operators in dependency order (a graph cannot have cycles)");
            else y.Add(r, key, $"'{n}' is neither a graph input nor an earlier operator (dangling edge)");
        }
        return result.Count == refs.Count ? result : null;
    }

    private static TensorSpec? BuildOp(YamlProblems y, GraphBuilder g, YamlMappingNode m, string name, string kind, List<TensorSpec> ins)
    {
        TensorSpec Need(int count)
        {
            if (ins.Count != count) throw new MantissaException($"'{kind}' takes {count} operand(s), got {ins.Count}");
            return ins[0];
        }
        switch (kind)
        {
            case "linear":
            {
                var x = Need(1);
                long? outF = y.Long(m, "out_features", 1, required: true);
                bool bias = y.Bool(m, "bias") ?? false;
                return outF is null ? null : g.Linear(name, x, outF.Value, bias);
            }
            case "conv2d":
            {
                var x = Need(1);
                long? outC = y.Long(m, "out_channels", 1, required: true);
                var (kh, kw) = Kernel(y, m, required: true);
                int stride = (int)(y.Long(m, "stride", 1) ?? 1), pad = (int)(y.Long(m, "padding", 0) ?? 0);
                int dil = (int)(y.Long(m, "dilation", 1) ?? 1), groups = (int)(y.Long(m, "groups", 1) ?? 1);
                bool bias = y.Bool(m, "bias") ?? false;
                if (outC is null || kh == 0) return null;
                return g.Conv2d(name, x, outC.Value, kh, stride, pad, dil, groups, bias, kw);
            }
            case "matmul":
                Need(2);
                return g.MatMul(name, ins[0], ins[1]);
            case "attention":
            {
                Need(3);
                TensorSpec q = ins[0], k = ins[1], v = ins[2];
                if (q.Shape.Length != 4 || k.Shape.Length != 4 || v.Shape.Length != 4)
                    throw new MantissaException($"attention needs q [B, heads, T, d], k and v [B, kv_heads, L, d]; got [{q.ShapeText}], [{k.ShapeText}], [{v.ShapeText}]");
                if (k.Shape[0] != q.Shape[0] || k.Shape[3] != q.Shape[3] || !k.Shape.SequenceEqual(v.Shape))
                    throw new MantissaException($"attention shapes disagree: q [{q.ShapeText}], k [{k.ShapeText}], v [{v.ShapeText}] (batch and head_dim must match; k and v must have one shape)");
                if (q.Shape[1] % k.Shape[1] != 0)
                    throw new MantissaException($"attention: {k.Shape[1]} KV heads must divide {q.Shape[1]} query heads");
                long heads = q.Shape[1];
                var s = g.AttentionScores(name + ".qk", q, k, heads);
                var p = g.Softmax(name + ".softmax", s);
                return g.AttentionContext(name + ".pv", p, v, heads);
            }
            case "softmax": return g.Softmax(name, Need(1));
            case "layernorm": return g.Norm(name, Need(1), rms: false);
            case "rmsnorm": return g.Norm(name, Need(1), rms: true);
            case "batchnorm":
            {
                var x = Need(1);
                if (x.Shape.Length != 4) throw new MantissaException($"batchnorm needs an NCHW input, got [{x.ShapeText}]");
                return g.BatchNorm(name, x);
            }
            case "add" or "mul":
            {
                Need(2);
                if (!ins[0].Shape.SequenceEqual(ins[1].Shape))
                    throw new MantissaException($"'{kind}' operands differ in shape: [{ins[0].ShapeText}] and [{ins[1].ShapeText}]");
                return g.Binary(name, ins[0], ins[1], kind);
            }
            case "maxpool" or "avgpool":
            {
                var x = Need(1);
                if (x.Shape.Length != 4) throw new MantissaException($"{kind} needs an NCHW input, got [{x.ShapeText}]");
                var (k, _) = Kernel(y, m, required: false);
                int stride = (int)(y.Long(m, "stride", 1) ?? Math.Max(k, 1)), pad = (int)(y.Long(m, "padding", 0) ?? 0);
                return g.Pool(name, x, k, stride, pad, kind[..3]);
            }
            case "embedding":
            {
                var ids = Need(1);
                long? rows = y.Long(m, "rows", 1, required: true), dim = y.Long(m, "dim", 1, required: true);
                if (rows is null || dim is null) return null;
                return g.Embedding(name, g.Retype(ids, new IntFormat(32, true)), rows.Value, dim.Value);
            }
            default:
                return g.Activation(name, Need(1), kind);
        }
    }

    private static (int H, int W) Kernel(YamlProblems y, YamlMappingNode m, bool required)
    {
        var node = YamlProblems.Get(m, "kernel");
        if (node is null)
        {
            if (required) y.Add(m, "kernel", "missing: give a kernel size such as 3 or [3, 1]");
            return (0, 0);
        }
        if (node is YamlScalarNode s && int.TryParse(s.Value, out int k) && k > 0) return (k, k);
        if (node is YamlSequenceNode seq && seq.Children.Count == 2 && seq.Children.All(c => c is YamlScalarNode cs && int.TryParse(cs.Value, out int v) && v > 0))
            return (int.Parse(((YamlScalarNode)seq[0]).Value!), int.Parse(((YamlScalarNode)seq[1]).Value!));
        y.Add(node, "kernel", $"expected a positive integer or [height, width], got {YamlProblems.Describe(node)}");
        return (0, 0);
    }
}
