using Mantissa.Arch.Config;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>Issue 13: a point's key comes from the design it resolves to, not from how its sets spell it.</summary>
public class DesignKeyTests
{
    private static string EdgeNpu => Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "sweeps", "edge-npu.yaml");

    /// <summary>A sweep on edge-npu.yaml (fp16 fp_mac, 32×32, 1000 MHz, LPDDR5 at 51.2 GB/s, 1 MiB buffer) with one small GEMM.</summary>
    internal static string SweepOn(TempSweepDir dir, string parameters, string name = "keys") => dir.Sweep($"""
        name: {name}
        base: {EdgeNpu}
        parameters:
        {parameters}
        workloads:
          - {"{"}model: gemm-16x64x64{"}"}
        objectives: {"{"}latency_s: min, energy_pj: min{"}"}
        """, name + ".yaml");

    private static string Key(SimulatorEvaluator e, params (string Path, string Value)[] sets) =>
        e.ConfigKey(new DesignPoint(0, [], sets.Select(s => KeyValuePair.Create(s.Path, s.Value)).ToList()));

    private static SimulatorEvaluator Evaluator(TempSweepDir dir) =>
        new(SweepParser.Load(SweepOn(dir, "  clock_mhz: [1000]"), ModelChecks.Validation));

    [Fact]
    public void SpellingsOfTheSameDesignShareOneKey()
    {
        using var dir = new TempSweepDir();
        var e = Evaluator(dir);
        string @base = Key(e);
        // the clock as written in the base, as 1e3, 1000.0 and 1000: the base design itself
        Assert.Equal(@base, Key(e, ("clock_mhz", "1e3")));
        Assert.Equal(@base, Key(e, ("clock_mhz", "1000.0")));
        Assert.Equal(@base, Key(e, ("clock_mhz", "1000"), ("array.rows", "32"), ("memory.dram.bandwidth_gbps", "51.2")));
        // a level by index instead of by name, set to the value it has
        Assert.Equal(@base, Key(e, ("memory.1.banks", "8")));
        // the same sets in either order
        Assert.Equal(Key(e, ("array.rows", "64"), ("clock_mhz", "800")), Key(e, ("clock_mhz", "8e2"), ("array.rows", "64")));
        // a pe: block spelling the defaults (accumulator int32, dot_width 1, pipeline_depth 1) or leaving them out
        Assert.Equal(Key(e, ("pe", "{kind: int_mac, weights: int8, activations: int8}")),
                     Key(e, ("pe", "{kind: int_mac, weights: int8, activations: int8, accumulator: int32, dot_width: 1, pipeline_depth: 1}")));
        // the base's own pe block written out as a set
        Assert.Equal(@base, Key(e, ("pe", "{kind: fp_mac, weights: fp16, activations: fp16, accumulator: fp32, dot_width: 1}")));
        Assert.Equal(@base, Key(e, ("pe.weights", "fp16")));
        Assert.StartsWith("design ", @base);
        Assert.DoesNotContain("\n@", @base); // nothing differs from the base
        Assert.Equal("design ".Length + 64 + 1, @base.Length);
    }

    [Fact]
    public void DifferentDesignsGetDifferentKeys()
    {
        using var dir = new TempSweepDir();
        var e = Evaluator(dir);
        const string lut = "{kind: lut, weights: int2, activations: fp16, accumulator: fp32, g: 4, lut_entries: fp16}";
        var keys = new[]
        {
            Key(e),
            Key(e, ("clock_mhz", "1001")),
            Key(e, ("clock_mhz", "1000.0001")),
            Key(e, ("array.rows", "64")),
            Key(e, ("array.cols", "64")),
            Key(e, ("memory.global_buffer.capacity_kib", "2048")),
            Key(e, ("memory.global_buffer.double_buffered", "false")),
            Key(e, ("memory.dram.bandwidth_gbps", "51.3")),
            Key(e, ("pe", "{kind: int_mac, weights: int8, activations: int8}")),
            Key(e, ("pe", "{kind: int_mac, weights: int8, activations: int8, dot_width: 2}")),
            Key(e, ("pe", "{kind: int_mac, weights: int8, activations: int8, pipeline_depth: 3}")),
            // only a key inside the pe: item tells these apart
            Key(e, ("pe", lut)),
            Key(e, ("pe", lut.Replace("lut_entries: fp16", "lut_entries: int8"))),
            Key(e, ("pe", lut.Replace("g: 4", "g: 8"))),
            Key(e, ("pe", lut.Replace("}", ", lut_precompute: per_pe}"))),
        };
        Assert.Equal(keys.Length, keys.Distinct().Count());
        // the clock changes the header and, through GB/s → bytes per cycle, the DRAM level
        Assert.Contains("clock_mhz=1001;", keys[1]);
        Assert.Contains("lut_entries=", keys[12]);
    }

    [Fact]
    public void APointThatDoesNotLoadKeysOnItsSetsAsWritten()
    {
        using var dir = new TempSweepDir();
        var e = Evaluator(dir);
        string bad = Key(e, ("pe", "{kind: lut, weights: int8, activations: fp16}"));
        Assert.StartsWith("invalid ", bad);
        Assert.EndsWith("\n--set pe={kind: lut, weights: int8, activations: fp16}", bad);
        Assert.NotEqual(bad, Key(e, ("pe", "{kind: lut, weights: int8, activations: fp16, accumulator: fp32}")));
    }

    [Fact]
    public void ASweepEvaluatesEachDesignOnceAndWritesItsFirstPoint()
    {
        using var dir = new TempSweepDir();
        // 1000 is the base clock; 1e3 and 1000.0 spell it again: 2 designs among 4 points
        var spec = SweepParser.Load(SweepOn(dir, "  clock_mhz: [1000, 1e3, 2000, 1000.0]"), ModelChecks.Validation);
        byte[] Run(string name, int jobs, out SweepRunResult r)
        {
            r = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub(name), jobs)).Run();
            return File.ReadAllBytes(Path.Combine(dir.Sub(name), "points.csv"));
        }
        var one = Run("j1", 1, out var r1);
        Assert.Equal((4, 2, 2, 2), (r1.Points, r1.Evaluated, r1.Reused, r1.Rows));
        Assert.Equal(new[] { "0", "2" }, r1.Table.Rows.Select(row => row[ResultSchema.PointCol]));
        Assert.Equal(one, Run("j2", 2, out var r2));
        Assert.Equal(2, r2.Rows);
        // a rerun reuses every point, the spellings included
        Assert.Equal(one, Run("j1", 1, out var again));
        Assert.Equal((0, 4), (again.Evaluated, again.Reused));
    }
}
