using System.Globalization;
using System.Text;
using System.Text.Json;
using CsvHelper;
using Mantissa.Arch;
using Mantissa.Explorer.Cli;
using Mantissa.Workloads;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa workload list|show</c>: bundled models, totals and the per-layer table of a workload.</summary>
public sealed class WorkloadCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "workload",
        "List bundled models; show a workload's totals and per-layer table.",
        "mantissa workload list\nmantissa workload show MODEL [--phase prefill|decode|train] [--seq N] [--kv N] [--batch N]\n" +
        "                       [--causal] [--allow-long-context] [--image N] [--precision RECIPE]\n" +
        "                       [--name NAME] [--layers GLOB] [--csv FILE] [--dot FILE] [--json]",
        new[]
        {
            new OptionSpec("--phase", "PHASE", "prefill (default), decode (one new token per sequence) or train (forward, backward and Adam update of one step)."),
            new OptionSpec("--seq", "N", "Prompt tokens per sequence for prefill (default 2048; BERT 128)."),
            new OptionSpec("--kv", "N", "Context length attended to, including the new tokens (default: --seq, or 2048 for decode)."),
            new OptionSpec("--batch", "N", "Sequences or images per pass (default 1)."),
            new OptionSpec("--causal", null, "Count only the unmasked half of prefill attention (FlashAttention-style); default: the full square."),
            new OptionSpec("--allow-long-context", null, "Let a RoPE model run past its max_position_embeddings (context extension)."),
            new OptionSpec("--image", "N", "Input image side for CNNs and ViT (default 224)."),
            new OptionSpec("--precision", "RECIPE", "Preset (fp16, w8a8, w4a16g128, ...) or a recipe YAML path (default fp16)."),
            new OptionSpec("--name", "NAME", "Name to show the model under (default: the bundled name, a config.json's _name_or_path or directory, a YAML's name)."),
            new OptionSpec("--layers", "GLOB", "Only list operators whose name matches (e.g. 'model.layers.0.*', '*down_proj'); totals stay whole-model."),
            new OptionSpec("--csv", "FILE", "Also write the per-layer table as CSV."),
            new OptionSpec("--dot", "FILE", "Also write the operator graph as Graphviz DOT."),
            new OptionSpec("--json", null, "Print one JSON object (totals and layers) instead of the table."),
        },
        "MODEL is a bundled model name (see 'mantissa workload list'), a Hugging Face config.json\n" +
        "(llama, mistral, qwen2, mixtral, opt, gpt2, phi3, gemma2, gemma3_text, qwen2_moe, qwen3, qwen3_moe,\n" +
        "deepseek_v2, deepseek_v3) or a directory holding one, an ONNX model (.onnx; weights may be external or\n" +
        "absent) or a workload YAML file. See docs/workload.md.");

    public int Run(ParsedArgs args, CommandIO io)
    {
        string sub = args.Positional(0, "sub-command (list or show)");
        switch (sub)
        {
            case "list":
                if (args.Positionals.Count > 1) throw new UsageException($"'workload list' takes no arguments, got '{args.Positionals[1]}'");
                List(io.Out);
                return 0;
            case "show":
                if (args.Positionals.Count > 2) throw new UsageException($"'workload show' takes one MODEL, got '{args.Positionals[2]}' too");
                return Show(args, io);
            default:
                string? near = NameSuggester.Nearest(sub, new[] { "list", "show" });
                throw new UsageException($"unknown sub-command '{sub}'; expected list or show" + (near is null ? "" : $" (did you mean '{near}'?)"));
        }
    }

    private static void List(TextWriter w)
    {
        w.WriteLine("Bundled models:");
        int width = WorkloadCatalog.Names.Max(n => n.Length) + 2;
        foreach (var n in WorkloadCatalog.Names)
        {
            var (kind, desc) = WorkloadCatalog.Describe(n);
            w.WriteLine($"  {n.PadRight(width)}{kind.Name(),-8} {desc}");
        }
        w.WriteLine();
        w.WriteLine("Precision presets (--precision NAME, or a recipe YAML path):");
        width = RecipePresets.Names.Max(n => n.Length) + 2;
        foreach (var n in RecipePresets.Names) w.WriteLine($"  {n.PadRight(width)}{RecipePresets.Describe(n)}");
    }

    private static int Show(ParsedArgs args, CommandIO io)
    {
        string model = args.Positional(1, "MODEL (a bundled name, config.json or workload YAML)");
        var phase = args.GetChoice("--phase", "prefill", "prefill", "decode", "train") switch { "decode" => Phase.Decode, "train" => Phase.Train, _ => Phase.Prefill };
        int? seq = args.Has("--seq") ? Positive(args, "--seq") : null;
        int? kv = args.Has("--kv") ? Positive(args, "--kv") : null;
        int batch = args.Has("--batch") ? Positive(args, "--batch") : 1;
        int image = args.Has("--image") ? Positive(args, "--image") : 224;
        var w = WorkloadCatalog.Build(model, new WorkloadOptions(phase, batch, seq, kv, args.Get("--precision"), image,
            args.Has("--causal"), args.Has("--allow-long-context"), args.Get("--name")));
        var rows = WorkloadTable.Rows(w);
        if (args.Get("--layers") is { } glob)
        {
            rows = rows.Where(r => Glob.IsMatch(glob, r.Name)).ToList();
            if (rows.Count == 0) throw new MantissaException($"no operator of {w.Model} matches --layers '{glob}' (names look like '{w.Graph.Operators[w.Graph.Operators.Count / 2].Name}')");
        }
        if (args.Get("--csv") is { } csv) WriteCsv(csv, rows);
        if (args.Get("--dot") is { } dot) Write(dot, DotExport.ToDot(w.Graph, w.Model));
        if (args.Has("--json")) io.Out.WriteLine(Json(w, rows));
        else PrintTable(io.Out, w, rows);
        return 0;
    }

    private static int Positive(ParsedArgs args, string name)
    {
        int v = args.GetInt(name, 0);
        return v >= 1 ? v : throw new UsageException($"option {name} expects a positive integer, got {v}");
    }

    private static void Write(string path, string text)
    {
        try { File.WriteAllText(path, text); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MantissaException($"cannot write {path}: {e.Message}"); }
    }

    private static void WriteCsv(string path, IReadOnlyList<OperatorRow> rows)
    {
        var sw = new StringWriter(CultureInfo.InvariantCulture);
        using (var csv = CsvWriter.Create(sw, new CsvWriterOptions(), true))
        {
            csv.WriteRecord(new[] { "name", "op", "shape", "detail", "macs", "weight_params", "weight_bytes", "bytes_read", "bytes_written", "formats" });
            var ci = CultureInfo.InvariantCulture;
            foreach (var r in rows)
                csv.WriteRecord(CsvCell.Neutralise(new[]
                {
                    r.Name, r.Op, r.Shape, r.Detail, r.Macs.ToString(ci), r.WeightParams.ToString(ci), r.WeightBytes.ToString("R", ci),
                    r.BytesRead.ToString("R", ci), r.BytesWritten.ToString("R", ci), r.Formats,
                }));
        }
        Write(path, sw.ToString());
    }

    private static string Json(Workload w, IReadOnlyList<OperatorRow> rows)
    {
        using var ms = new MemoryStream();
        using (var j = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            j.WriteStartObject();
            j.WriteNumber(OutputSchema.Key, OutputSchema.Version);
            j.WriteString("model", w.Model);
            j.WriteString("family", w.Family);
            j.WriteString("phase", w.Phase.ToString().ToLowerInvariant());
            j.WriteNumber("batch", w.Batch);
            j.WriteNumber("seq", w.Seq);
            j.WriteNumber("kv", w.Kv);
            j.WriteNumber("tokens", w.TokensProduced);
            j.WriteString("precision", w.Recipe.Name);
            j.WriteBoolean("causal", w.Causal);
            j.WriteNumber("parameters", w.Parameters);
            j.WriteNumber("active_parameters", w.ActiveParameters);
            j.WriteNumber("macs", w.Macs);
            j.WriteNumber("weight_bytes", w.WeightBytes);
            j.WriteNumber("pass_weight_bytes", w.Graph.WeightBytes);
            j.WriteNumber("operators", w.Graph.Operators.Count);
            if (w.Training is { } t)
            {
                j.WriteNumber("saved_activation_bytes", t.SavedActivationBytes);
                j.WriteNumber("optimizer_state_bytes", t.OptimizerStateBytes);
            }
            j.WriteStartArray("layers");
            foreach (var r in rows)
            {
                j.WriteStartObject();
                j.WriteString("name", r.Name);
                j.WriteString("op", r.Op);
                j.WriteString("shape", r.Shape);
                j.WriteString("detail", r.Detail);
                j.WriteNumber("macs", r.Macs);
                j.WriteNumber("weight_params", r.WeightParams);
                j.WriteNumber("weight_bytes", r.WeightBytes);
                j.WriteNumber("bytes_read", r.BytesRead);
                j.WriteNumber("bytes_written", r.BytesWritten);
                j.WriteString("formats", r.Formats);
                j.WriteEndObject();
            }
            j.WriteEndArray();
            j.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray());
    }

    private static void PrintTable(TextWriter o, Workload w, IReadOnlyList<OperatorRow> rows)
    {
        var ci = CultureInfo.InvariantCulture;
        string lengths = w.Kind switch
        {
            WorkloadKind.Cnn or WorkloadKind.Vision or WorkloadKind.Custom => "",
            WorkloadKind.Encoder => $"  seq {w.Seq}",
            _ => (w.Phase == Phase.Prefill ? $"  seq {w.Seq}  kv {w.Kv}" : w.Phase == Phase.Train ? $"  seq {w.Seq}" : $"  kv {w.Kv}") + (w.Causal ? "  causal" : ""),
        };
        o.WriteLine($"{w.Model}  {w.Phase.ToString().ToLowerInvariant()}  batch {w.Batch}{lengths}  precision {w.Recipe.Name}");
        o.WriteLine($"  parameters          {w.Parameters.ToString("N0", ci)} ({Count(w.Parameters)})");
        if (w.ActiveParameters != w.Parameters)
            o.WriteLine($"  active per token    {w.ActiveParameters.ToString("N0", ci)} ({Count(w.ActiveParameters)})");
        o.WriteLine($"  weight bytes        {w.WeightBytes.ToString("N0", ci)} ({Bytes(w.WeightBytes)}, {8 * w.WeightBytes / w.Parameters:F3} bits/param incl. scales)");
        if (Math.Abs(w.Graph.WeightBytes - w.WeightBytes) > 0.5)
            o.WriteLine($"  weights read/pass   {w.Graph.WeightBytes.ToString("N0", ci)} ({Bytes(w.Graph.WeightBytes)})");
        o.WriteLine($"  MACs per pass       {w.Macs.ToString("N0", ci)} ({Si(w.Macs)})");
        o.WriteLine($"  tokens per pass     {w.TokensProduced.ToString("N0", ci)}" + (w.TokensProduced > 0 ? $"  ({Si(w.Macs / (double)w.TokensProduced)} MACs each)" : ""));
        o.WriteLine($"  operators           {w.Graph.Operators.Count} ({w.Graph.Operators.Count(x => x.Gemm is not null)} GEMM-like)");
        if (w.Training is { } t)
            o.WriteLine($"  kept for backward   {Bytes(t.SavedActivationBytes)}; master weights + Adam moments {Bytes(t.OptimizerStateBytes)}");
        o.WriteLine();
        PrintKinds(o, w);
        o.WriteLine();
        string[] head = { "layer", "op", "shape (BxMxKxN)", "MACs", "weights", "weight bytes", "formats" };
        var cells = rows.Select(r => new[]
        {
            r.Name, r.Op, r.Shape, r.Macs == 0 ? "-" : Si(r.Macs), r.WeightParams == 0 ? "-" : Si(r.WeightParams),
            r.WeightBytes == 0 ? "-" : Bytes(r.WeightBytes), r.Formats,
        }).ToList();
        PrintColumns(o, head, cells, new[] { false, false, true, true, true, true, false });
    }

    private static void PrintKinds(TextWriter o, Workload w)
    {
        var kinds = WorkloadTable.ByKind(w);
        double total = Math.Max(1, w.Macs);
        string[] head = { "op", "count", "MACs", "share", "weight bytes", "bytes read", "bytes written" };
        var cells = kinds.Select(k => new[]
        {
            k.Op, k.Count.ToString(CultureInfo.InvariantCulture), k.Macs == 0 ? "-" : Si(k.Macs),
            k.Macs == 0 ? "-" : (k.Macs / total).ToString("P1", CultureInfo.InvariantCulture),
            k.WeightBytes == 0 ? "-" : Bytes(k.WeightBytes), Bytes(k.BytesRead), Bytes(k.BytesWritten),
        }).ToList();
        PrintColumns(o, head, cells, new[] { false, true, true, true, true, true, true });
    }

    private static void PrintColumns(TextWriter o, string[] head, List<string[]> cells, bool[] right)
    {
        var widths = head.Select((h, i) => Math.Max(h.Length, cells.Count == 0 ? 0 : cells.Max(c => c[i].Length))).ToArray();
        string Line(string[] c) => string.Join("  ", c.Select((x, i) => right[i] ? x.PadLeft(widths[i]) : x.PadRight(widths[i]))).TrimEnd();
        o.WriteLine(Line(head));
        foreach (var c in cells) o.WriteLine(Line(c));
    }

    private static string Si(double v)
    {
        var ci = CultureInfo.InvariantCulture;
        double a = Math.Abs(v);
        return a >= 1e12 ? (v / 1e12).ToString("0.00", ci) + " T" : a >= 1e9 ? (v / 1e9).ToString("0.00", ci) + " G"
             : a >= 1e6 ? (v / 1e6).ToString("0.00", ci) + " M" : a >= 1e3 ? (v / 1e3).ToString("0.00", ci) + " k" : v.ToString("0", ci);
    }

    /// <summary>Parameter counts in the units model cards use (M, B).</summary>
    private static string Count(long v)
    {
        var ci = CultureInfo.InvariantCulture;
        return v >= 1e9 ? (v / 1e9).ToString("0.00", ci) + " B" : v >= 1e6 ? (v / 1e6).ToString("0.00", ci) + " M" : v.ToString("N0", ci);
    }

    private static string Bytes(double b)
    {
        var ci = CultureInfo.InvariantCulture;
        return b >= 1 << 30 ? (b / (1 << 30)).ToString("0.00", ci) + " GiB" : b >= 1 << 20 ? (b / (1 << 20)).ToString("0.00", ci) + " MiB"
             : b >= 1 << 10 ? (b / (1 << 10)).ToString("0.00", ci) + " KiB" : b.ToString("0", ci) + " B";
    }
}
