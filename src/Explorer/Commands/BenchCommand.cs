using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Explorer.Cli;
using Mantissa.Sim;
using Mantissa.Workloads;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa bench</c>: times the simulator on Llama-2-7B decode and prefill and on single-GEMM design points.</summary>
public sealed class BenchCommand : ICommand
{
    private const string DefaultArch = "arch-configs/tpu-int8.yaml";

    public CommandSpec Spec { get; } = new("bench",
        "Time the simulator: Llama-2-7B decode and 2048-token prefill, and single-GEMM design points per second.",
        "mantissa bench [ARCH.yaml] [--set PATH=VALUE]... [--iterations N] [--seconds S] [--designs DIR] [--json]",
        new[]
        {
            new OptionSpec("--iterations", "N", "Timed runs of each workload after one warm-up run (default 5; the median is reported)."),
            new OptionSpec("--seconds", "S", "Wall time spent on GEMM design points (default 2)."),
            new OptionSpec("--set", "PATH=VALUE", "Override an architecture key (repeatable).", Repeatable: true),
            new OptionSpec("--designs", "DIR", $"Folder of architecture YAMLs whose layer mappings are timed (default {LayerMappingBench.Folder}, skipped when absent)."),
            new OptionSpec("--json", null, "Print one JSON object (times in ms, rates per second) instead of the text."),
        },
        $"ARCH.yaml defaults to {DefaultArch}. Everything runs on one thread; each workload run uses a fresh simulator,\n" +
        "so the mapper runs for every distinct layer shape. Layer mapping maps each distinct GEMM layer of llama-2-7b\n" +
        $"decode and prefill and resnet50 once on a fresh simulator for every design in --designs (default\n" +
        $"{LayerMappingBench.Folder}/, when that folder is in the current directory) and reports the median, 90th percentile and maximum thread CPU time per layer.\n" +
        "Design points vary the array size, dataflow and buffer sizes, cost the design (cost model) and simulate one\n" +
        "512x4096x4096 GEMM.") { MaxPositionals = 1 };

    public int Run(ParsedArgs args, CommandIO io)
    {
        string path = args.Positionals.Count > 0 ? args.Positionals[0] : DefaultArch;
        if (args.Positionals.Count == 0 && !File.Exists(path))
            throw new UsageException($"no ARCH.yaml given and the default '{DefaultArch}' is not in the current directory");
        var arch = ArchitectureLoader.Load(path, SimulateCommand.ParseSets(args.GetAll("--set")));
        int iterations = args.GetInt("--iterations", 5);
        if (iterations < 1 || iterations > 1000) throw new UsageException($"option --iterations expects a positive integer of at most 1000, got {iterations}");
        double seconds = args.GetDouble("--seconds", 2);
        if (seconds <= 0 || seconds > 3600) throw new UsageException($"option --seconds expects a positive number of at most 3600, got {seconds}");
        var cost = CostModel.Evaluate(arch);
        bool json = args.Has("--json");
        var o = json ? TextWriter.Null : io.Out;
        var timings = new List<Timing>();
        var rates = new List<Throughput>();
        o.WriteLine($"mantissa bench on {arch.Name} ({arch.Array.Rows}x{arch.Array.Cols} {arch.Array.DataflowText}, " +
                    $"{arch.Memory.Count} memory levels), 1 thread, {Environment.ProcessorCount} logical CPUs, .NET {Environment.Version}");
        o.WriteLine();

        var sw = Stopwatch.StartNew();
        string? recipe = FormatFit.DefaultRecipe(arch.Pe); // a precision the PE runs (w8a8 on the TPU)
        var decode = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 2048, recipe));
        var prefill = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Prefill, 1, 2048, null, recipe));
        double buildMs = sw.Elapsed.TotalMilliseconds;
        o.WriteLine($"  workload build (decode + prefill graphs)  {Ms(buildMs)}");
        timings.Add(Time(o, "llama-2-7b decode, kv 2048, all layers", iterations, 20, () => new Simulator(arch, cost).Run(decode).Cycles, decode.Graph.Operators.Count));
        timings.Add(Time(o, "llama-2-7b prefill, 2048 tokens", iterations, 100, () => new Simulator(arch, cost).Run(prefill).Cycles, prefill.Graph.Operators.Count));
        LayerMapping? layerMapping = null;
        string designs = args.Get("--designs") ?? LayerMappingBench.Folder;
        if (Directory.Exists(designs)) layerMapping = LayerMappings(o, designs);
        else if (args.Has("--designs")) throw new UsageException($"option --designs: folder '{designs}' does not exist");
        else o.WriteLine($"  layer mapping: skipped (no {designs}/ folder in the current directory)");

        var points = DesignPoints(arch).ToList();
        foreach (var p in points.Take(3)) Point(p); // warm-up
        long n = 0;
        double cpu0 = CpuMs();
        sw.Restart();
        while (sw.Elapsed.TotalSeconds < seconds) Point(points[(int)(n++ % points.Count)]);
        rates.Add(Rate(o, "GEMM design points (cost + map + simulate)", n, sw.Elapsed.TotalSeconds, (CpuMs() - cpu0) / 1000));
        // each point maps a large GEMM afresh on a changed design; the explorer's sweep-rate targets are bench/run.sh's
        o.WriteLine($"    ({n} points over {points.Count} designs, each mapping a 512x4096x4096 GEMM afresh)");
        var costs = points.Select(CostModel.Evaluate).ToArray();
        n = 0;
        cpu0 = CpuMs();
        sw.Restart();
        while (sw.Elapsed.TotalSeconds < seconds / 2)
        {
            int i = (int)(n++ % points.Count);
            try { new Simulator(points[i], costs[i]).RunGemm(512, 4096, 4096); }
            catch (MantissaException) { }
        }
        rates.Add(Rate(o, "GEMM design points (map + simulate only)", n, sw.Elapsed.TotalSeconds, (CpuMs() - cpu0) / 1000));
        if (json) io.Out.Write(Json(arch, buildMs, timings, layerMapping, rates));
        return 0;
    }

    /// <summary>Median wall and CPU time of one workload run.</summary>
    private sealed record Timing(string What, int Operators, double WallMs, double CpuMs, double TargetMs);

    /// <summary>CPU time per layer mapping over the bundled designs: median, 90th percentile, maximum and the slowest layer.</summary>
    private sealed record LayerMapping(int Designs, int Layers, double MedianMs, double P90Ms, double MaxMs, string Slowest, double TargetMs);

    private static LayerMapping LayerMappings(TextWriter o, string folder)
    {
        var designs = LayerMappingBench.Layers(folder).ToList();
        if (designs.Count == 0) throw new UsageException($"option --designs: folder '{folder}' has no *.yaml architecture");
        var samples = LayerMappingBench.Run(designs);
        if (samples.Count == 0) throw new UsageException($"option --designs: no design in '{folder}' runs any of the timed workloads");
        var ms = samples.Select(s => s.CpuMs).Order().ToArray();
        var slowest = samples.MaxBy(s => s.CpuMs)!;
        var r = new LayerMapping(designs.Count, ms.Length, ms[ms.Length / 2], ms[(int)(0.9 * (ms.Length - 1))], ms[^1],
            $"{slowest.Design} M={slowest.Problem.M} K={slowest.Problem.K} N={slowest.Problem.N}", 2);
        o.WriteLine($"  {"layer mapping, median of " + r.Layers + " layers",-42} {r.MedianMs.ToString("0.00", CultureInfo.InvariantCulture).PadLeft(8)} ms cpu{(ThreadCpuClock.PerThread ? "" : " (process)")}  " +
                    $"(p90 {r.P90Ms:0.00} ms, max {r.MaxMs:0.00} ms; target <= {r.TargetMs} ms)");
        o.WriteLine($"    (distinct GEMM layers of llama-2-7b decode and prefill and resnet50 on {r.Designs} designs in {folder}/;");
        o.WriteLine($"     slowest: {r.Slowest})");
        return r;
    }

    /// <summary>Design points evaluated per second of wall and CPU time.</summary>
    private sealed record Throughput(string What, long Points, double PerWallSecond, double PerCpuSecond);

    private static string Json(ArchitectureSpec arch, double buildMs, IReadOnlyList<Timing> timings, LayerMapping? layers, IReadOnlyList<Throughput> rates)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            w.WriteStartObject();
            w.WriteNumber(OutputSchema.Key, OutputSchema.Version);
            w.WriteString("architecture", arch.Name);
            w.WriteNumber("threads", 1);
            w.WriteNumber("logical_cpus", Environment.ProcessorCount);
            w.WriteString("dotnet", Environment.Version.ToString());
            w.WriteNumber("workload_build_ms", buildMs);
            w.WriteStartArray("workloads");
            foreach (var t in timings)
            {
                w.WriteStartObject();
                w.WriteString("name", t.What);
                w.WriteNumber("operators", t.Operators);
                w.WriteNumber("wall_ms", t.WallMs);
                w.WriteNumber("cpu_ms", t.CpuMs);
                w.WriteNumber("target_ms", t.TargetMs);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            if (layers is not null)
            {
                w.WriteStartObject("layer_mapping");
                w.WriteNumber("designs", layers.Designs);
                w.WriteNumber("layers", layers.Layers);
                w.WriteNumber("median_cpu_ms", layers.MedianMs);
                w.WriteNumber("p90_cpu_ms", layers.P90Ms);
                w.WriteNumber("max_cpu_ms", layers.MaxMs);
                w.WriteString("slowest", layers.Slowest);
                w.WriteNumber("target_median_ms", layers.TargetMs);
                w.WriteEndObject();
            }
            w.WriteStartArray("rates");
            foreach (var r in rates)
            {
                w.WriteStartObject();
                w.WriteString("name", r.What);
                w.WriteNumber("points", r.Points);
                w.WriteNumber("per_wall_second", r.PerWallSecond);
                w.WriteNumber("per_cpu_second", r.PerCpuSecond);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    // a design whose buffers cannot hold the GEMM is an infeasible point, as in a sweep
    private static double Point(ArchitectureSpec a)
    {
        try { return new Simulator(a, CostModel.Evaluate(a)).RunGemm(512, 4096, 4096).Cycles; }
        catch (MantissaException) { return double.NaN; }
    }

    private static Timing Time(TextWriter o, string what, int iterations, double targetMs, Func<double> run, int ops)
    {
        double check = run(); // warm-up (JIT, tiering)
        var times = new double[iterations];
        var cpu = new double[iterations];
        for (int i = 0; i < iterations; i++)
        {
            var c0 = CpuMs();
            var sw = Stopwatch.StartNew();
            double c = run();
            times[i] = sw.Elapsed.TotalMilliseconds;
            cpu[i] = CpuMs() - c0;
            if (c != check) throw new MantissaException("bench: repeated runs disagree (nondeterminism)");
        }
        Array.Sort(times);
        Array.Sort(cpu);
        o.WriteLine($"  {what,-42} {Ms(times[iterations / 2])} wall {Ms(cpu[iterations / 2])} cpu  ({ops} operators; target <= {targetMs} ms)");
        return new Timing(what, ops, times[iterations / 2], cpu[iterations / 2], targetMs);
    }

    private static IEnumerable<ArchitectureSpec> DesignPoints(ArchitectureSpec arch)
    {
        foreach (int size in new[] { 16, 32, 64, 128, 256 })
        foreach (var df in new[] { Dataflow.WS, Dataflow.OS, Dataflow.IS })
        foreach (double scale in new[] { 0.5, 1.0, 2.0 })
        {
            var memory = arch.Memory.Select(m => m.Kind == MemoryKind.Dram || m.PerPe ? m : m with { CapacityBytes = (long)(m.CapacityBytes * scale) }).ToArray();
            yield return arch with { Array = new ArraySpec(size, size, df), Memory = memory };
        }
    }

    private static Throughput Rate(TextWriter o, string what, long n, double wall, double cpu)
    {
        var r = new Throughput(what, n, n / wall, n / Math.Max(cpu, 1e-9));
        o.WriteLine($"  {what,-42} {RateText.Of(r.PerWallSecond),8} /s wall {RateText.Of(r.PerCpuSecond),8} /s cpu");
        return r;
    }

    // Process CPU time: on a shared machine it, unlike wall time, does not count time spent waiting for a core.
    private static double CpuMs() => Process.GetCurrentProcess().TotalProcessorTime.TotalMilliseconds;

    private static string Ms(double ms) => ms.ToString("0.0", CultureInfo.InvariantCulture).PadLeft(8) + " ms";
}
