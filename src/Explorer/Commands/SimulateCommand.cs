using System.Globalization;
using CsvHelper;
using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Explorer.Cli;
using Mantissa.Sim;
using Mantissa.Sim.Results;
using Mantissa.Sim.Serving;
using Mantissa.Explorer.Commands.Simulate;
using Mantissa.Workloads;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa simulate</c>: runs a workload or one GEMM on an architecture and reports time, energy and traffic.</summary>
public sealed class SimulateCommand : ICommand
{
    public CommandSpec Spec { get; } = new("simulate",
        "Simulate a workload or a GEMM on an architecture: cycles, stalls, energy, traffic per memory level.",
        "mantissa simulate ARCH.yaml WORKLOAD [options]\nmantissa simulate ARCH.yaml --gemm M,K,N [options]",
        new[]
        {
            new OptionSpec("--gemm", "M,K,N", "Simulate one GEMM Out[M×N] = In[M×K]·W[K×N] at the PE's formats instead of a workload."),
            new OptionSpec("--phase", "PHASE", "Phase: prefill (default), decode (LLMs) or train (forward, backward and optimizer of one training step)."),
            new OptionSpec("--seq", "N", "Prompt length (prefill tokens)."),
            new OptionSpec("--kv", "N", "Attended context length (decode)."),
            new OptionSpec("--batch", "N", "Batch size (default 1)."),
            new OptionSpec("--allow-long-context", null, "Let a RoPE model run past its max_position_embeddings (context extension), as in 'mantissa workload'."),
            new OptionSpec("--causal", null, "Prefill attention skips its masked half (FlashAttention-style): compute scales by the unmasked fraction, operands still move whole."),
            new OptionSpec("--name", "NAME", "Name the workload is reported under (default: the bundled name, a config.json's _name_or_path or directory, a YAML's name)."),
            new OptionSpec("--precision", "RECIPE", "Precision recipe: a preset name or a recipe YAML (default: the first preset the PE runs, in the order fp16, w8a8, w4a16g128, ...)."),
            new OptionSpec("--serving", null, "LLMs: simulate the prefill and the first decode step at --batch and report TTFT, TPOT, decode tokens/s and the largest batch whose weights + KV cache fit the DRAM."),
            new OptionSpec("--no-fusion", null, "Simulate layer by layer: every activation goes to DRAM and back. Default: layer fusion keeps an activation on chip for its consumers when it fits (see the report's 'Layer fusion' section)."),
            new OptionSpec("--objective", "OBJ", "Mapper objective: latency (default: lowest latency, then lowest energy within 1 % of it), energy (the reverse) or edp."),
            new OptionSpec("--set", "PATH=VALUE", "Override an architecture key, validated like the file (repeatable).", Repeatable: true),
            new OptionSpec("--mapping", "FILE", "Mapping YAML: per memory level a loop order and/or tile extents that every GEMM's mapping must have (the mapper searches the rest; a complete one is evaluated as given)."),
            new OptionSpec("--out", "DIR", "Write layers.csv and summary.json to DIR."),
            new OptionSpec("--json", null, "Print one JSON object instead of the text report."),
            new OptionSpec("--show-mapping", "LAYER", "Print the chosen loop nest of LAYER (a layer name, or 'gemm') and its distance from the traffic and cycle bounds."),
            new OptionSpec("--top", "N", "Layers listed in the per-layer table (default 12)."),
        },
        "WORKLOAD is a bundled model (llama-2-7b, resnet50, ...), a config.json, an ONNX model (.onnx) or a workload YAML.\n" +
        "Reads and writes are counted in words of each memory level (its width_bits).\n" +
        "Mapping constraints (an architecture level's mapping: section, or --mapping FILE) are described in docs/simulate.md.\n" +
        "For an int_mac array whose memories never stall, compute_cycles equals SCALE-Sim v2's \"Total Cycles\"\n" +
        "(folds x cycles-per-fold - 1) for the same array, dataflow and GEMM (SCALE-Sim's GEMM row order is M,N,K).");

    public int Run(ParsedArgs args, CommandIO io)
    {
        string archPath = args.Positional(0, "architecture file (ARCH.yaml)");
        var sets = ParseSets(args.GetAll("--set"));
        var arch = ArchitectureLoader.Load(archPath, sets);
        if (args.Get("--mapping") is { } mappingPath) arch = MappingFile.Apply(arch, mappingPath);
        var objective = args.GetChoice("--objective", "latency", "latency", "energy", "edp") switch
        {
            "energy" => MappingObjective.Energy,
            "edp" => MappingObjective.Edp,
            _ => MappingObjective.Latency,
        };
        var sim = new Simulator(arch, CostModel.Evaluate(arch), new SimOptions { Objective = objective, Fusion = !args.Has("--no-fusion") });
        SimResult result;
        ServingFigures? serving = null;
        string what;
        // a plain dictionary, sorted only when written: a SortedDictionary costs ~20 JIT-compiled methods at every start-up
        var context = new Dictionary<string, string>(StringComparer.Ordinal);
        if (args.Get("--gemm") is { } gemm)
        {
            if (args.Positionals.Count > 1) throw new UsageException("give either a WORKLOAD or --gemm M,K,N, not both");
            foreach (var o in new[] { "--phase", "--seq", "--kv", "--precision", "--causal", "--name", "--serving", "--allow-long-context", "--no-fusion" })
                if (args.Has(o)) throw new UsageException($"option {o} applies to workloads, not to --gemm");
            var (m, k, n) = ParseGemm(gemm);
            if (args.Get("--show-mapping") is { } only) CheckLayer(only, new[] { ("gemm", OpKind.Gemm, true) });
            long batch = args.GetLong("--batch", 1);
            if (batch < 1) throw new UsageException($"option --batch expects a positive integer, got {batch}");
            result = sim.RunGemm(m, k, n, batch);
            what = $"GEMM M={m} K={k} N={n}" + (batch > 1 ? $" ×{batch}" : "");
            context["workload"] = $"gemm {m},{k},{n}";
        }
        else
        {
            if (args.Positionals.Count < 2) throw new UsageException("missing WORKLOAD (a model name, config.json or workload YAML) or --gemm M,K,N");
            if (args.Positionals.Count > 2) throw new UsageException($"unexpected argument '{args.Positionals[2]}'");
            var phase = args.GetChoice("--phase", "prefill", "prefill", "decode", "train") switch { "decode" => Phase.Decode, "train" => Phase.Train, _ => Phase.Prefill };
            int batch = args.GetInt("--batch", 1);
            int? seq = args.Has("--seq") ? Positive(args, "--seq") : null;
            int? kv = args.Has("--kv") ? Positive(args, "--kv") : null;
            var options = new WorkloadOptions(phase, batch, seq, kv,
                args.Get("--precision") ?? FormatFit.DefaultRecipe(arch.Pe), Causal: args.Has("--causal"),
                AllowLongContext: args.Has("--allow-long-context"), Name: args.Get("--name"));
            var w = WorkloadCatalog.Build(args.Positionals[1], options);
            // a misspelt layer fails now, not after simulating the whole model
            if (args.Get("--show-mapping") is { } only)
                CheckLayer(only, w.Graph.Operators.Select(o => (o.Name, o.Kind, o.Gemm is not null)));
            if (args.Has("--serving"))
            {
                serving = ServingFigures.Run(sim, args.Positionals[1], options);
                result = w.Phase == Phase.Decode ? serving.Decode : serving.Prefill;
            }
            else result = sim.Run(w);
            what = $"{w.Model} {w.Phase.ToString().ToLowerInvariant()} (batch {w.Batch}" +
                   (w.Seq > 0 ? $", seq {w.Seq}" : "") + (w.Phase == Phase.Decode ? $", kv {w.Kv}" : "") + (w.Causal ? ", causal" : "") + $", {w.Recipe.Name})";
            context["workload"] = w.Model;
            context["phase"] = w.Phase.ToString().ToLowerInvariant();
        }
        context["objective"] = objective.ToString().ToLowerInvariant();
        if (args.Get("--mapping") is { } mappingFile) context["mapping"] = mappingFile;

        if (args.Get("--out") is { } outDir) WriteOutputs(outDir, result, new SortedDictionary<string, string>(context, StringComparer.Ordinal));
        if (args.Has("--json")) io.Out.Write(SimResultJson.Write(result, new SortedDictionary<string, string>(context, StringComparer.Ordinal), serving is null ? null : j => ServingReport.WriteJson(j, serving)));
        else
        {
            SimResultText.Write(io.Out, what, result, args.GetInt("--top", 12));
            if (serving is not null) ServingReport.WriteText(io.Out, serving);
        }
        if (args.Get("--show-mapping") is { } layerName)
        {
            var layer = FindLayer(result, layerName);
            var text = layer.Mapping!.ToLoopNest(layer.Gemm!.Value);
            (args.Has("--json") ? io.Error : io.Out).Write($"\nMapping of {layer.Name}:\n{text}bounds: {layer.Bounds}\n");
        }
        return 0;
    }

    private static LayerResult FindLayer(SimResult r, string name)
    {
        CheckLayer(name, r.Layers.Select(l => (l.Name, l.Kind, l.Mapping is not null)));
        return r.Layers.First(l => l.Name == name);
    }

    private static void CheckLayer(string name, IEnumerable<(string Name, OpKind Kind, bool IsGemm)> layers)
    {
        var all = layers.ToList();
        var layer = all.FirstOrDefault(l => l.Name == name);
        if (layer.Name is not null && layer.IsGemm) return;
        if (layer.Name is not null) throw new UsageException($"layer '{name}' is a {layer.Kind.Name()} operator, not a GEMM: it has no mapping");
        var gemms = all.Where(l => l.IsGemm).Select(l => l.Name).Distinct().ToList();
        string? near = NameSuggester.Nearest(name, gemms);
        throw new UsageException($"no layer named '{name}'" + (near is null ? "" : $"; did you mean '{near}'?") +
                                 $" (GEMM layers: {string.Join(", ", gemms.Take(8))}{(gemms.Count > 8 ? ", ..." : "")})");
    }

    private static int Positive(ParsedArgs args, string name)
    {
        int v = args.GetInt(name, 0);
        if (v < 1) throw new UsageException($"option {name} expects a positive integer, got {v}");
        return v;
    }

    internal static List<KeyValuePair<string, string>> ParseSets(IReadOnlyList<string> sets)
    {
        var list = new List<KeyValuePair<string, string>>();
        foreach (var s in sets)
        {
            int eq = s.IndexOf('=');
            if (eq <= 0) throw new UsageException($"option --set expects PATH=VALUE (e.g. array.rows=64), got '{s}'");
            list.Add(new(s[..eq].Trim(), s[(eq + 1)..].Trim()));
        }
        return list;
    }

    internal static (long M, long K, long N) ParseGemm(string s)
    {
        var parts = s.Split(',', 'x', 'X');
        var v = new long[3];
        if (parts.Length != 3) throw new UsageException($"option --gemm expects M,K,N (three positive integers), got '{s}'");
        for (int i = 0; i < 3; i++)
            if (!long.TryParse(parts[i].Trim().Replace("_", ""), NumberStyles.Integer, CultureInfo.InvariantCulture, out v[i]) || v[i] < 1)
                throw new UsageException($"option --gemm expects M,K,N (three positive integers), got '{s}'");
        return (v[0], v[1], v[2]);
    }

    private static void WriteOutputs(string dir, SimResult r, IReadOnlyDictionary<string, string> context)
    {
        try
        {
            Directory.CreateDirectory(dir);
            File.WriteAllText(Path.Combine(dir, "summary.json"), SimResultJson.Write(r, context));
            using var stream = new StreamWriter(Path.Combine(dir, "layers.csv"), false, new System.Text.UTF8Encoding(false));
            using var csv = CsvWriter.Create(stream, new CsvWriterOptions { NewLine = "\n", HasHeader = false, FormatProvider = CultureInfo.InvariantCulture });
            csv.WriteRecord(LayerColumns);
            foreach (var l in r.Layers) csv.WriteRecord(CsvCell.Neutralise(LayerRow(l)));
            csv.Flush();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new MantissaException($"cannot write results to '{dir}': {e.Message}");
        }
    }

    private static readonly string[] LayerColumns =
    {
        "layer", "kind", "batch", "m", "k", "n", "macs", "compute_cycles", "cycles", "stall_cycles", "utilization", "bound",
        "energy_pj", "dram_read_bytes", "dram_write_bytes", "compulsory_dram_bytes", "min_cycles", "mapping", "fusion_group",
    };

    private static string[] LayerRow(LayerResult l)
    {
        static string F(double v) => v.ToString("R", CultureInfo.InvariantCulture);
        static string C(double cycles) => F(SimResult.WholeCycles(cycles)); // as in summary.json
        var g = l.Gemm;
        return new[]
        {
            l.Name, l.Kind.Name(), F(g?.Batch ?? 0), F(g?.M ?? 0), F(g?.K ?? 0), F(g?.N ?? 0), F(l.Macs), C(l.ComputeCycles), C(l.Cycles),
            F(Math.Max(0, SimResult.WholeCycles(l.Cycles) - SimResult.WholeCycles(l.ComputeCycles))), F(l.Utilization), l.Bound.ToString().ToLowerInvariant(), F(l.Energy.TotalPj),
            F(l.Traffic[0].ReadBytes), F(l.Traffic[0].WriteBytes),
            l.Bounds is { } b ? F(b.CompulsoryDramBytes) : "", l.Bounds is { } c ? F(c.MinCycles) : "",
            l.Mapping is null ? "" : string.Join(" ", l.Mapping.Levels.Skip(1).Select(t => $"{t.LevelName}:{t.M}x{t.K}x{t.N}")),
            l.FusionGroup is { } fg ? F(fg) : "",
        };
    }
}
