using System.Globalization;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Explorer.Sweep;
using Mantissa.Sim;

namespace Mantissa.Explorer.Tests;

public class SweepSimulatorTests
{
    [Fact]
    public void RowsCarryTheSimulatorsMetricsAndInvalidDesignsTheLoadersReason()
    {
        using var dir = new TempSweepDir();
        string root = SweepBundledTests.RepoRoot();
        File.Copy(Path.Combine(root, "arch-configs", "sweeps", "edge-npu.yaml"), dir.Sub("edge.yaml"));
        var spec = SweepParser.Load(dir.Sweep("""
            base: edge.yaml
            parameters:
              pe:
                - {kind: int_mac, weights: int8, activations: int8, accumulator: int32}
                - {kind: lut, weights: fp16, activations: fp16, accumulator: fp32}
              array.rows: [16, 32]
            workloads: [{model: gemm-64x256x512}]
            objectives: {latency_s: min, area_mm2: min}
            """), ModelChecks.Validation);
        var result = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub("out"), 2)).Run();
        Assert.Equal(4, result.Rows);
        var t = result.Table;
        foreach (var row in t.Rows.Take(2))
        {
            Assert.Equal("valid", row[t.Column("status")]);
            var sets = new List<KeyValuePair<string, string>> { new("pe", row[t.Column("pe")]), new("array.rows", row[t.Column("array.rows")]) };
            var arch = ArchitectureLoader.Load(dir.Sub("edge.yaml"), sets);
            var metrics = new Simulator(arch, CostModel.Evaluate(arch)).RunGemm(64, 256, 512).Metrics();
            foreach (var m in new[] { "latency_s", "energy_pj", "area_mm2", "cycles", "utilization" })
                Assert.Equal(metrics[MetricCatalog.Find(m)!.Id], double.Parse(row[t.Column(m)], CultureInfo.InvariantCulture));
            Assert.Equal(("int_mac", "int8×int8", $"{row[t.Column("array.rows")]}x32"), (row[t.Column("pe_kind")], row[t.Column("pe_formats")], row[t.Column("array")]));
        }
        foreach (var row in t.Rows.Skip(2))
        {
            Assert.Equal("invalid", row[t.Column("status")]);
            Assert.StartsWith("invalid architecture:", row[t.Column("reason")]);
            Assert.Contains("fp16", row[t.Column("reason")]);
        }
    }

    [Fact]
    public void ACausalPrefillRowCountsFewerMacsThanTheDenseOne()
    {
        using var dir = new TempSweepDir();
        File.Copy(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "edge-npu.yaml"), dir.Sub("edge.yaml"));
        var spec = SweepParser.Load(dir.Sweep("""
            base: edge.yaml
            parameters: {array.rows: [16]}
            workloads: [{model: gpt2, seq: 128, causal: [false, true]}]
            objectives: {latency_s: min}
            """), ModelChecks.Validation);
        var t = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub("out"), 1)).Run().Table;
        Assert.Equal(2, t.Rows.Count);
        double Macs(string label) =>
            double.Parse(t.Rows.Single(r => r[t.Column("workload")] == label)[t.Column("macs")], CultureInfo.InvariantCulture);
        double dense = Macs("gpt2/prefill/b1/s128/fp16"), causal = Macs("gpt2/prefill/b1/s128/fp16/causal");
        // GPT-2 small: 12 layers × 12 heads × 64 dims × 2 attention GEMMs; causal keeps 128·129/2 of the 128² pairs.
        Assert.Equal(12.0 * 12 * 64 * 2 * (128 * 128 - 128 * 129 / 2), dense - causal);
    }

    [Fact]
    public void A_train_workload_row_is_the_training_step_simulate_runs()
    {
        using var dir = new TempSweepDir();
        File.Copy(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "edge-npu.yaml"), dir.Sub("edge.yaml"));
        var spec = SweepParser.Load(dir.Sweep("""
            base: edge.yaml
            parameters: {array.rows: [16]}
            workloads: [{model: gpt2, seq: 128, phase: [prefill, train], precision: fp8-train}]
            objectives: {latency_s: min, tokens_per_s: max}
            """), ModelChecks.Validation);
        Assert.Equal(new[] { "gpt2/prefill/b1/s128/fp8-train", "gpt2/train/b1/s128/fp8-train" }, spec.Workloads.Select(w => w.Label));
        var t = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub("out"), 1)).Run().Table;
        string Cell(string label, string column) => t.Rows.Single(r => r[t.Column("workload")] == label)[t.Column(column)];
        double Num(string label, string column) => double.Parse(Cell(label, column), CultureInfo.InvariantCulture);

        // the same step as `mantissa simulate edge.yaml gpt2 --phase train --seq 128 --precision fp8-train`
        var arch = ArchitectureLoader.Load(dir.Sub("edge.yaml"), new[] { new KeyValuePair<string, string>("array.rows", "16") });
        var step = Mantissa.Workloads.WorkloadCatalog.Build("gpt2", new Mantissa.Workloads.WorkloadOptions(Mantissa.Workloads.Phase.Train, 1, 128, null, "fp8-train"));
        var sim = new Simulator(arch, CostModel.Evaluate(arch)).Run(step);
        const string train = "gpt2/train/b1/s128/fp8-train", fwd = "gpt2/prefill/b1/s128/fp8-train";
        Assert.Equal("valid", Cell(train, "status"));
        Assert.Equal(sim.Macs, Num(train, "macs"));
        Assert.Equal(sim.LatencySeconds, Num(train, "latency_s"));
        Assert.Equal(128 / sim.LatencySeconds, Num(train, "tokens_per_s"), 6);
        // forward + activation-gradient + weight-gradient GEMMs: three times the forward MACs, where training's lm_head
        // scores all 128 positions (768 x 50257 each) and inference prefill only the last one
        Assert.Equal(3 * (Num(fwd, "macs") + 127.0 * 768 * 50257), Num(train, "macs"));
        Assert.Equal("", Cell(train, "ttft_s"));   // serving figures are for inference passes
        Assert.Equal("", Cell(train, "tpot_s"));
        Assert.Equal("", Cell(train, "max_batch"));  // weights + KV cache is not what a training step must fit
    }

    [Fact]
    public void A_no_fusion_row_is_the_layer_by_layer_simulation()
    {
        using var dir = new TempSweepDir();
        string root = SweepBundledTests.RepoRoot();
        var spec = SweepParser.Load(dir.Sweep($"""
            base: {Path.Combine(root, "arch-configs", "tpu-int8.yaml")}
            parameters: {"{"}array.rows: [256]{"}"}
            workloads: [{"{"}model: resnet18, precision: w8a8, fusion: [true, false]{"}"}]
            objectives: {"{"}energy_pj: min{"}"}
            """), ModelChecks.Validation);
        var t = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub("out"), 1)).Run().Table;
        double Energy(string label) =>
            double.Parse(t.Rows.Single(r => r[t.Column("workload")] == label)[t.Column("energy_pj")], CultureInfo.InvariantCulture);
        var arch = ArchitectureLoader.Load(Path.Combine(root, "arch-configs", "tpu-int8.yaml"));
        var w = Mantissa.Workloads.WorkloadCatalog.Build("resnet18", new Mantissa.Workloads.WorkloadOptions(Precision: "w8a8"));
        double Simulated(bool fusion) => new Simulator(arch, CostModel.Evaluate(arch), new SimOptions { Objective = MappingObjective.Energy, Fusion = fusion }).Run(w).EnergyPj;
        Assert.Equal(Simulated(true), Energy("resnet18/prefill/b1/w8a8"));
        Assert.Equal(Simulated(false), Energy("resnet18/prefill/b1/w8a8/no-fusion"));
        Assert.True(Energy("resnet18/prefill/b1/w8a8") < Energy("resnet18/prefill/b1/w8a8/no-fusion"));
    }

    [Fact]
    public void FpgaDesignsThatDoNotFitAreInvalidWithTheResourcesNamed()
    {
        using var dir = new TempSweepDir();
        string root = SweepBundledTests.RepoRoot();
        var spec = SweepParser.Load(dir.Sweep($"""
            base: {Path.Combine(root, "arch-configs", "flightllm-u280.yaml")}
            parameters:
              array.rows: [128, 8192]
            workloads: [{"{"}model: gemm-16x1024x1024{"}"}]
            objectives: {"{"}latency_s: min, fpga_utilization: min{"}"}
            constraints: [fpga_fits]
            """), ModelChecks.Validation);
        var result = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub("out"), 1)).Run();
        var t = result.Table;
        Assert.Equal("valid", t.Rows[0][t.Column("status")]);
        Assert.Equal("1", t.Rows[0][t.Column("fpga_fits")]);
        Assert.InRange(ResultTable.Number(t.Rows[0][t.Column("fpga_utilization")]), 0.01, 1.0);
        Assert.Equal("invalid", t.Rows[1][t.Column("status")]);
        Assert.StartsWith("does not fit u280:", t.Rows[1][t.Column("reason")]);
        Assert.True(ResultTable.Number(t.Rows[1][t.Column("fpga_utilization")]) > 1);
    }

    [Fact]
    public void TheQuickstartGivesIdenticalFilesWithOneAndTwoJobs()
    {
        using var dir = new TempSweepDir();
        string sweep = Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "quickstart.yaml");
        var command = new Commands.SweepCommand();
        foreach (var jobs in new[] { "1", "2" })
        {
            var output = new StringWriter();
            int code = command.Run(Cli.ParsedArgs.Parse(command.Spec, new[] { sweep, "--out", dir.Sub("j" + jobs), "--jobs", jobs }),
                                   new Cli.CommandIO(TextReader.Null, output, TextWriter.Null));
            Assert.Equal(0, code);
            Assert.Contains("36 rows: 36 valid, 0 invalid", output.ToString());
        }
        foreach (var f in new[] { "points.csv", "pareto.csv", "index.html", "plots/gemm-64x4096x4096--roofline.svg", "plots/gemm-64x4096x4096--roofline.png" })
            Assert.Equal(File.ReadAllText(Path.Combine(dir.Sub("j1"), f)), File.ReadAllText(Path.Combine(dir.Sub("j2"), f)));
        var table = PointsCsv.Read(Path.Combine(dir.Sub("j1"), "points.csv"), false, out _);
        // precision: native runs each PE kind at the preset of its own formats, so every row is valid
        var recipes = table.Rows.Where(r => r[table.Column("workload")].StartsWith("llama-2-7b", StringComparison.Ordinal))
                                .Select(r => (kind: r[table.Column("pe_kind")], scheme: r[table.Column("quant_weights")].Split(' ')[0])).Distinct().OrderBy(x => x.kind).ToList();
        Assert.Equal(new[] { ("bit_serial", "w4a16g128"), ("fp_mac", "fp16"), ("int_mac", "w8a8"), ("lut", "w2a16g64"), ("mx_dot", "mxfp4"), ("shift_add", "w4a8g128") }, recipes);
        Assert.Equal(6, table.Rows.Select(r => r[table.Column("pe_kind")]).Distinct().Count());
    }
}

public class SweepMappingCacheTests
{
    [Fact]
    public void ASweepWritesTheSameBytesWithAndWithoutSharedMappingsAndReusesThemAcrossBatchesAndJobs()
    {
        using var dir = new TempSweepDir();
        File.Copy(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "edge-npu.yaml"), dir.Sub("edge.yaml"));
        var spec = SweepParser.Load(dir.Sweep("""
            base: edge.yaml
            parameters:
              clock_mhz: [500, 1000]
              memory.dram.bandwidth_gbps: [6.4, 51.2]
              memory.dram.type: [lpddr5, ddr4]
              memory.global_buffer.capacity_kib: [64, 1024]
              array.rows: [16, 32]
            workloads: [{model: gemm-64x512x1024, batch: [1, 4, 16]}, {model: llama-2-7b, phase: decode, kv: 512, precision: w8a8}]
            objectives: {latency_s: min, energy_pj: min}
            """), ModelChecks.Validation);
        byte[] Run(string name, bool share, int jobs, out SimulatorEvaluator evaluator)
        {
            evaluator = new SimulatorEvaluator(spec, shareMappings: share);
            new SweepRunner(spec, evaluator, new SweepRunOptions(dir.Sub(name), jobs)).Run();
            return File.ReadAllBytes(Path.Combine(dir.Sub(name), "points.csv"));
        }
        var fresh = Run("fresh", false, 1, out _);
        Assert.Equal(fresh, Run("shared1", true, 1, out var one));
        Assert.Equal(fresh, Run("shared2", true, 2, out _));
        // 32 designs: the three batch sizes of the GEMM share one mapping (one lookup key); designs
        // that differ only in clock and DRAM bandwidth re-score a front (MappingFront): of the 4 designs of each group,
        // two search (the second records the front) and two re-score, for every shape
        // Only searched results are kept per design: the GEMM's three batch sizes hit twice on each of the 2 searched
        // designs of the 8 groups (2 x 2 x 8); the re-scored designs re-score every lookup. The 2 re-scored designs of a
        // group run the same workloads as its 2 searched ones, so they look up as often: their first lookups match the
        // searches one for one, their repeats the hits.
        // (The lookups of the two halves no longer match one for one: a design's fused GEMMs that differ only in the bytes
        // reserved beside them share one plain search when it holds for both (Simulator.ReusesAcrossReservedBytes), and
        // a search that records a front or a re-scored answer carries no such window, so those designs look up each.)
        var m = one.Mappings!;
        Assert.Equal(2 * 2 * 8, m.Hits);
        Assert.True(m.Misses > 0);
        Assert.True(m.Rescored > 0);
        Assert.Equal(1 + 32 * 4, fresh.Count(b => b == '\n')); // header + 32 designs x 4 workloads
    }
}

public class ScaleSimSetSweepTests
{
    // SCALE-Sim v2's cycle model (scalesim/compute/systolic_compute_{os,ws,is}.py; /work/shared/research/anchors-scalesim-llm.md):
    // os folds ⌈M/R⌉·⌈N/C⌉ of K + R + C − 2 cycles; ws ⌈K/R⌉·⌈N/C⌉ of 2R + C + M − 2; is ⌈K/R⌉·⌈M/C⌉ of 2R + C + N − 2;
    // Total Cycles = folds · per fold − 1.
    private static long ScaleSimTotalCycles(string dataflow, long r, long c, long m, long k, long n)
    {
        static long Div(long a, long b) => (a + b - 1) / b;
        return dataflow switch
        {
            "os" => Div(m, r) * Div(n, c) * (k + r + c - 2),
            "ws" => Div(k, r) * Div(n, c) * (2 * r + c + m - 2),
            _ => Div(k, r) * Div(m, c) * (2 * r + c + n - 2),
        } - 1;
    }

    [Fact]
    public void TheBundledScaleSimSetGivesScaleSimsTotalCyclesForEveryLayerArrayAndDataflow()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "scalesim-66.yaml"), ModelChecks.Validation);
        var t = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub("out"), 2)).Run().Table;
        Assert.Equal(9 * 13, t.Rows.Count);
        var seen = new HashSet<(string, string)>();
        foreach (var row in t.Rows)
        {
            Assert.Equal("valid", row[t.Column("status")]);
            var mkn = row[t.Column("workload")]["gemm-".Length..].Split('x').Select(long.Parse).ToArray();
            long r = long.Parse(row[t.Column("array.rows")]), c = long.Parse(row[t.Column("array.cols")]);
            string df = row[t.Column("array.dataflow")];
            long expected = ScaleSimTotalCycles(df, r, c, mkn[0], mkn[1], mkn[2]);
            Assert.Equal(expected, long.Parse(row[t.Column("compute_cycles")], CultureInfo.InvariantCulture));
            Assert.Equal(expected, long.Parse(row[t.Column("cycles")], CultureInfo.InvariantCulture)); // memories never stall
            seen.Add(($"{r}x{c}", df));
        }
        Assert.Equal(9, seen.Count);
    }
}
