using System.Globalization;
using System.Text.Json;
using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Explorer.Cli;
using Mantissa.Sim.Pe;
using Mantissa.Sim.Quant;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa quant</c>: quantization error (MSE, SQNR, max abs error) of weight formats on a real or synthetic tensor.</summary>
public sealed class QuantCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "quant",
        "Quantization error of number formats on a checkpoint tensor or a synthetic distribution.",
        "mantissa quant SOURCE --format F[,F2...] [--format F3] [--group N] [--json]\n" +
        "       mantissa quant MODEL --all-tensors --format F[,F2...] [--json]\n" +
        "SOURCE: " + TensorSource.Help + "\nMODEL: " + LayerWeights.Help + "\nF: " + QuantFormatSpec.Help,
        new[]
        {
            new OptionSpec("--format", "F", "Weight format, BitMoD type set or recipe preset (repeatable, comma-separated): int4, fp4e2m1, mxfp4, nvfp4, bitmod-w4, w4a16g128, ...; a suffix @tensor, @channel or @gN sets that entry's granularity (int4@g32).", Repeatable: true),
            new OptionSpec("--group", "N", "Group size for per-group scales (default: per channel; bitmod 128). Block formats keep their own blocks and fp16/bf16/fp32 are cast, so they ignore it."),
            new OptionSpec("--granularity", "G", "tensor, channel, group or none (cast without a scale); default depends on the format."),
            new OptionSpec("--scale-format", "F", "Format the scales are stored in (default fp16; 'exact' keeps them unrounded)."),
            new OptionSpec("--seed", "N", "Seed of synthetic sources (default 1)."),
            new OptionSpec("--count", "N", "Values in a synthetic tensor (default 1048576), or the most values read from a file (default: all)."),
            new OptionSpec("--nu", "V", "Degrees of freedom of student-t (default 3)."),
            new OptionSpec("--gemm-tokens", "M", "Also report the output SQNR of Y = X*W^T with M seeded N(0,1) activation rows (K = the tensor's row length)."),
            new OptionSpec("--act-format", "F", "Quantize the GEMM activations too (per token, same scaling rules); default: unquantized."),
            new OptionSpec("--pe", "KIND", "Also run the GEMM through a PE's bit-exact datapath: int_mac, bit_serial, lut, shift_add, posit_mac, minifloat_mac, mx_dot, simd_mac (needs --gemm-tokens)."),
            new OptionSpec("--accumulator", "F", "Accumulator format of the --pe datapath (default: int32 for int_mac/lut, else fp32)."),
            new OptionSpec("--pe-rows", "N", "Output channels evaluated through the PE (default 64)."),
            new OptionSpec("--all-tensors", null, "One row per layer weight of MODEL (ONNX Conv/MatMul/Gemm weights; safetensors tensors of rank >= 2) with the SQNR of every format, then all layers pooled."),
            new OptionSpec("--list", null, "List the tensors of a .safetensors or .onnx SOURCE (name, dtype, shape) and exit."),
            new OptionSpec("--json", null, "Print a JSON array with one object per format."),
            new OptionSpec("--timing", null, "Add a column with the milliseconds each format took (quantize + measure)."),
        },
        "Scaling: absmax onto the format's largest value (integers symmetric; uintN asymmetric with a zero point),\n" +
        "ternary absmean (BitNet b1.58), posits RMS, fp16/bf16/fp32 cast. MX: E8M0 shared exponent per 32;\n" +
        "NVFP4: E4M3 scale per 16 plus one fp32 tensor scale. bits/elem counts every scale and zero point.\n" +
        "SQNR = 10*log10(sum x^2 / sum (x - q)^2). ONNX weights are read as [output channel, input] matrices:\n" +
        "Conv [M, C, kH, kW] -> [M, C*kH*kW]; MatMul/Gemm [K, N] -> [N, K].");

    private const int MaxCount = 1 << 26;

    public int Run(ParsedArgs args, CommandIO io)
    {
        string source = args.Positional(0, "SOURCE (" + TensorSource.Help + ")");
        if (args.Positionals.Count > 1) throw new UsageException($"unexpected argument '{args.Positionals[1]}'");
        if (args.Has("--list")) return List(source, io.Out);
        var formats = args.GetAll("--format").SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (formats.Count == 0) throw new UsageException("option --format is required (e.g. --format int4,mxfp4,nvfp4)");
        int group = args.GetInt("--group", 0);
        if (args.Has("--group") && group <= 0) throw new UsageException($"option --group expects a positive integer, got {group}");
        int count = args.GetInt("--count", 0);
        if (args.Has("--count") && count <= 0) throw new UsageException($"option --count expects a positive integer, got {count}");
        // 2^26 values is 64× a 4096×4096 weight matrix, and 0.5 GiB as doubles: enough to measure SQNR to 0.01 dB.
        if (count > MaxCount) throw new UsageException($"option --count expects at most {MaxCount:N0} values, got {count:N0}");
        long seed = args.GetLong("--seed", 1);
        if (seed < 0) throw new UsageException($"option --seed expects a non-negative integer, got {seed}");
        double nu = args.GetDouble("--nu", 3);
        QuantGranularity? granularity = args.Get("--granularity") is { } g ? ParseGranularity(g) : null;
        string? scaleFormat = args.Get("--scale-format");

        // Resolve every scheme before the (possibly large) tensor is read, so a typo fails fast.
        var schemes = formats.Select(f => QuantFormatSpec.Resolve(f, group, granularity, scaleFormat)).ToList();
        if (args.Has("--all-tensors"))
        {
            foreach (var o in new[] { "--gemm-tokens", "--act-format", "--pe", "--count" })
                if (args.Has(o)) throw new UsageException($"option {o} does not combine with --all-tensors");
            var study = new LayerQuantStudy(schemes, LayerWeights.Load(source));
            if (args.Has("--json")) QuantLayerOutput.WriteJson(io.Out, source, study);
            else QuantLayerOutput.WriteTable(io.Out, source, study);
            return 0;
        }
        int tokens = args.GetInt("--gemm-tokens", 0);
        if (args.Has("--gemm-tokens") && tokens <= 0) throw new UsageException($"option --gemm-tokens expects a positive integer, got {tokens}");
        if (args.Has("--act-format") && tokens == 0) throw new UsageException("option --act-format needs --gemm-tokens M");
        var actScheme = args.Get("--act-format") is { } af ? QuantSchemes.Resolve(af) : null;

        PeKind? peKind = args.Get("--pe") is { } pk ? PeFactory.ParseKind(pk) : null;
        if (peKind is not null && tokens == 0) throw new UsageException("option --pe needs --gemm-tokens M");
        int peRows = args.GetInt("--pe-rows", 64);
        if (peRows <= 0) throw new UsageException($"option --pe-rows expects a positive integer, got {peRows}");
        var accumulator = args.Get("--accumulator") is { } acc ? NumberFormat.Parse(acc) : null;

        var tensor = TensorSource.Load(source, (ulong)seed, count, nu);
        if (tensor.WithoutNonFinite(out int nonFinite) is { } cleaned)
        {
            // One NaN would make every group's scale, and so every statistic, NaN: count them and leave them out.
            io.Error.WriteLine($"warning: {source}: {nonFinite} of {tensor.Count} values are NaN or ±Inf; they are set to 0 " +
                               "before quantizing (0 is exact in every format, so they add no error to the statistics)");
            tensor = cleaned;
        }
        FloatTensor? acts = null;
        double[]? actValues = null;
        if (tokens > 0)
        {
            if ((long)tokens * tensor.Columns > 64L << 20)
                throw new UsageException($"--gemm-tokens {tokens} x K={tensor.Columns} is more than 64M activation values; use fewer tokens");
            acts = GemmSqnr.SampleActivations(tokens, tensor.Columns, (ulong)seed + 1);
            actValues = actScheme is null ? acts.Values.Select(v => (double)v).ToArray() : TensorQuantizer.Quantize(acts, actScheme).Values;
        }
        var reports = new List<QuantReport>();
        var gemm = new List<QuantError?>();
        var millis = new List<double>();
        var pe = new List<PeGemmResult?>();
        var peErrors = new List<string?>();
        foreach (var s in schemes)
        {
            long t0 = System.Diagnostics.Stopwatch.GetTimestamp();
            if (acts is null)
            {
                // the error statistics alone: streamed window by window, no quantized copy of the tensor per format
                reports.Add(TensorQuantizer.Measure(tensor, s));
                millis.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                gemm.Add(null);
            }
            else
            {
                var qt = TensorQuantizer.Quantize(tensor, s);
                reports.Add(new QuantReport(s, qt.BitsPerElement, QuantErrorMetrics.Compute(tensor.Values, qt.Values)));
                millis.Add(System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalMilliseconds);
                gemm.Add(GemmSqnr.Measure(tensor, qt.Values, acts, actValues));
            }
            PeGemmResult? pr = null; string? perr = null;
            if (peKind is { } kind && acts is not null)
            {
                try
                {
                    var actFormat = actScheme?.Format ?? PeGemmEvaluator.DefaultActivation(kind, s.Format);
                    var spec = PeGemmEvaluator.Spec(kind, s.Format, actFormat, accumulator ?? PeGemmEvaluator.DefaultAccumulator(kind, actFormat),
                        s.Granularity == QuantGranularity.PerGroup ? s.GroupSize : 0);
                    pr = PeGemmEvaluator.Measure(spec, tensor, acts, peRows);
                }
                catch (MantissaException e) when (e is not UsageException) { perr = e.Message; }
            }
            pe.Add(pr); peErrors.Add(perr);
        }

        if (args.Has("--json")) WriteJson(io.Out, tensor, reports, gemm, pe, peErrors);
        else
        {
            WriteTable(io.Out, tensor, reports, gemm, args.Has("--timing") ? millis : null, peKind is null ? null : pe);
            for (int i = 0; i < schemes.Count; i++)
            {
                if (pe[i] is { } p)
                    io.Out.WriteLine($"PE {schemes[i].Label}: {p.Pe}; {p.Rows} outputs x {p.Tokens} tokens, {p.Cycles} PE cycles; " +
                                     $"same operands accumulated exactly: {Db(p.Ideal.SqnrDb)} dB");
                if (peErrors[i] is { } msg) io.Out.WriteLine($"PE {schemes[i].Label}: n/a ({msg})");
            }
        }
        return 0;
    }

    private static int List(string path, TextWriter o)
    {
        if (path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase)) return QuantLayerOutput.ListOnnx(path, o);
        if (!path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase))
            throw new UsageException("--list needs a .safetensors or .onnx file");
        var (entries, _) = SafetensorsReader.ReadHeader(path);
        int w = entries.Count == 0 ? 4 : Math.Max(4, entries.Max(e => e.Name.Length));
        o.WriteLine("name".PadRight(w) + "  dtype  shape");
        foreach (var e in entries) o.WriteLine($"{e.Name.PadRight(w)}  {e.DType,-5}  [{string.Join("x", e.Shape)}]");
        return 0;
    }

    private static QuantGranularity ParseGranularity(string g)
    {
        try { return QuantSchemes.ParseGranularity(g); }
        catch (MantissaException e) { throw new UsageException("option --granularity: " + e.Message); }
    }

    private static void WriteTable(TextWriter o, FloatTensor t, IReadOnlyList<QuantReport> reports, IReadOnlyList<QuantError?> gemm, IReadOnlyList<double>? millis, IReadOnlyList<PeGemmResult?>? pe)
    {
        double rms = Math.Sqrt(t.Values.Average(v => (double)v * v));
        double amax = t.Values.Max(v => Math.Abs(v));
        o.WriteLine($"tensor: {t.Name} {t.ShapeText}, {t.Count} values, rms {G(rms)}, max|x| {G(amax)}");
        var rows = reports.Select((r, i) => new[]
        {
            r.Scheme.Label, r.Scheme.GranularityText, r.BitsPerElement.ToString("F3", CultureInfo.InvariantCulture),
            r.Error.Mse.ToString("0.000e+00", CultureInfo.InvariantCulture), Db(r.Error.SqnrDb), r.Error.MaxAbsError.ToString("0.000e+00", CultureInfo.InvariantCulture),
            gemm[i] is { } ge ? Db(ge.SqnrDb) : "",
            pe is null ? "" : pe[i] is { } pr ? Db(pr.Datapath.SqnrDb) : "n/a",
            millis is null ? "" : millis[i].ToString("F0", CultureInfo.InvariantCulture),
        }.Where((_, k) => Keep(k)).ToArray()).ToList();
        bool Keep(int k) => k < 6 || (k == 6 && gemm.Count > 0 && gemm[0] is not null) || (k == 7 && pe is not null) || (k == 8 && millis is not null);
        var header = new[] { "format", "granularity", "bits/elem", "MSE", "SQNR dB", "max abs err", "GEMM SQNR dB", "PE SQNR dB", "ms" }
            .Where((_, k) => Keep(k)).ToArray();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Count == 0 ? 0 : rows.Max(r => r[i].Length))).ToArray();
        string Line(string[] cells) => string.Join("  ", cells.Select((c, i) => i < 2 ? c.PadRight(widths[i]) : c.PadLeft(widths[i]))).TrimEnd();
        o.WriteLine(Line(header));
        foreach (var r in rows) o.WriteLine(Line(r));
    }

    private static void WriteJson(TextWriter o, FloatTensor t, IReadOnlyList<QuantReport> reports, IReadOnlyList<QuantError?> gemm,
        IReadOnlyList<PeGemmResult?> pe, IReadOnlyList<string?> peErrors)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber(OutputSchema.Key, OutputSchema.Version);
            w.WriteStartArray("formats");
            for (int i = 0; i < reports.Count; i++)
            {
                var r = reports[i];
                w.WriteStartObject();
                w.WriteString("format", r.Scheme.Label);
                w.WriteString("element_format", r.Scheme.Format.Name);
                w.WriteString("granularity", r.Scheme.GranularityText);
                w.WriteNumber("group", r.Scheme.GroupSize);
                w.WriteString("scale_format", r.Scheme.ScaleFormat?.Name ?? (r.Scheme.Rule == ScaleRule.None ? "none" : "exact"));
                w.WriteNumber("bits_per_element", r.BitsPerElement);
                // Non-finite weights (NaN/Inf in a checkpoint) make MSE and errors non-finite; JSON writes them as null.
                if (double.IsFinite(r.Error.Mse)) w.WriteNumber("mse", r.Error.Mse); else w.WriteNull("mse");
                // JSON has no infinity: an exact quantization reports sqnr_db null and exact true.
                if (double.IsFinite(r.Error.SqnrDb)) w.WriteNumber("sqnr_db", r.Error.SqnrDb); else w.WriteNull("sqnr_db");
                w.WriteBoolean("exact", r.Error.Mse == 0);
                if (double.IsFinite(r.Error.MaxAbsError)) w.WriteNumber("max_abs_error", r.Error.MaxAbsError); else w.WriteNull("max_abs_error");
                w.WriteString("tensor", t.Name);
                w.WriteNumber("values", t.Count);
                if (gemm[i] is { } ge)
                {
                    if (double.IsFinite(ge.SqnrDb)) w.WriteNumber("gemm_sqnr_db", ge.SqnrDb); else w.WriteNull("gemm_sqnr_db");
                    if (double.IsFinite(ge.Mse)) w.WriteNumber("gemm_mse", ge.Mse); else w.WriteNull("gemm_mse");
                }
                if (pe[i] is { } p)
                {
                    w.WriteString("pe", p.Pe);
                    if (double.IsFinite(p.Datapath.SqnrDb)) w.WriteNumber("pe_gemm_sqnr_db", p.Datapath.SqnrDb); else w.WriteNull("pe_gemm_sqnr_db");
                    if (double.IsFinite(p.Ideal.SqnrDb)) w.WriteNumber("pe_ideal_sqnr_db", p.Ideal.SqnrDb); else w.WriteNull("pe_ideal_sqnr_db");
                    w.WriteNumber("pe_cycles", p.Cycles);
                }
                if (peErrors[i] is { } msg) w.WriteString("pe_error", msg);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        o.WriteLine(System.Text.Encoding.UTF8.GetString(ms.ToArray()));
    }

    private static string Db(double db) => double.IsPositiveInfinity(db) ? "inf" : db.ToString("F2", CultureInfo.InvariantCulture);

    private static string G(double v) => v.ToString("G4", CultureInfo.InvariantCulture);
}
