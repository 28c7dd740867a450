using System.Globalization;
using System.Threading;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>A deterministic stand-in for the simulator: metrics are closed-form functions of the swept parameters.</summary>
internal sealed class FakeEvaluator : IDesignEvaluator
{
    private int _evaluations;

    public int Evaluations => Volatile.Read(ref _evaluations);

    public IReadOnlyList<Metric> Metrics { get; } = new[] { Metric.LatencyS, Metric.EnergyPj, Metric.AreaMm2, Metric.Edp, Metric.TokensPerS, Metric.Utilization };
    public IReadOnlyList<string> LabelNames { get; } = new[] { "pe_kind" };

    public string ConfigKey(DesignPoint point) => "fake-base\n" + string.Join("\n", point.Sets.Select(s => $"{s.Key}={s.Value}"));

    /// <summary>Points from this index on wait until <see cref="Hold"/> is cancelled before they are evaluated, so a test can stop a run mid-way whatever the machine's speed.</summary>
    public int HoldFrom { get; init; } = int.MaxValue;

    /// <summary>What held points wait for (see <see cref="HoldFrom"/>).</summary>
    public CancellationToken Hold { get; init; }

    public IReadOnlyList<Evaluation> Evaluate(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads)
    {
        if (point.Index >= HoldFrom) Hold.WaitHandle.WaitOne();
        Interlocked.Increment(ref _evaluations);
        string kind = Get(point, "pe.kind", "int_mac");
        double rows = Num(point, "array.rows", 32), cols = Num(point, "array.cols", 32), clock = Num(point, "clock_mhz", 1000);
        double areaFactor = kind switch { "lut" => 0.6, "bit_serial" => 0.4, _ => 1.0 };
        double speed = kind switch { "lut" => 0.8, "bit_serial" => 0.25, _ => 1.0 };
        var labels = new Dictionary<string, string> { ["pe_kind"] = kind };
        return workloads.Select(w =>
        {
            if (kind == "bit_serial" && rows * cols > 4096) return Evaluation.Invalid("does not fit: bit_serial arrays are limited to 4096 PEs", labels);
            double ops = ((w.Seq ?? 2048) + (w.Kv ?? 2048)) * (double)w.Batch * 1e6;
            double area = rows * cols * 0.0005 * areaFactor + 0.5;
            double latency = ops / (rows * cols * clock * 1e6 * speed);
            double energy = ops * 0.5 * areaFactor + area * latency * 1e9;
            var m = MetricValues.Empty().With(Metric.LatencyS, latency).With(Metric.EnergyPj, energy).With(Metric.AreaMm2, area)
                .With(Metric.Edp, energy * latency).With(Metric.TokensPerS, w.Batch / latency).With(Metric.Utilization, speed);
            return new Evaluation(m, labels, null);
        }).ToList();
    }

    public DesignDetail? Detail(DesignPoint point, WorkloadSpec workload) =>
        new("fake", new[]
        {
            new BreakdownItem("qkv", "pe", 10, 1e-3), new BreakdownItem("qkv", "sram", 5, 2e-4),
            new BreakdownItem("ffn", "pe", 30, 3e-3), new BreakdownItem("ffn", "dram", 20, 1e-3),
        }, new RooflineData(1e12, 1e10, new[] { new RooflinePoint("qkv", 2, 2e10), new RooflinePoint("ffn", 500, 8e11) }));

    private static string Get(DesignPoint p, string path, string fallback) => p.Sets.FirstOrDefault(s => s.Key == path).Value ?? fallback;

    private static double Num(DesignPoint p, string path, double fallback) =>
        double.Parse(Get(p, path, fallback.ToString(CultureInfo.InvariantCulture)), CultureInfo.InvariantCulture);
}

/// <summary>A temporary folder with a base architecture file, removed on dispose.</summary>
internal sealed class TempSweepDir : IDisposable
{
    public TempSweepDir()
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), "mantissa-test-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(Path);
        File.WriteAllText(System.IO.Path.Combine(Path, "base.yaml"), "name: fake\n");
    }

    public string Path { get; }

    /// <summary>Writes a sweep file and returns its path.</summary>
    public string Sweep(string text, string name = "sweep.yaml")
    {
        string p = System.IO.Path.Combine(Path, name);
        File.WriteAllText(p, text);
        return p;
    }

    public string Sub(string name) => System.IO.Path.Combine(Path, name);

    public void Dispose()
    {
        try { Directory.Delete(Path, recursive: true); } catch (IOException) { }
    }

    public const string Basic = """
        name: t
        base: base.yaml
        parameters:
          pe.kind: [int_mac, lut, bit_serial]
          array.rows: {from: 16, to: 128, factor: 2}
          array.cols: [16, 32, 64, 128]
        workloads:
          - {model: gemm-1x4096x4096}
          - {model: llama-2-7b, phase: decode, kv: 2048, precision: w4a16g128}
        objectives: {latency_s: min, energy_pj: min, area_mm2: min}
        constraints: ['area_mm2 <= 6']
        """;
}

/// <summary>An evaluator with a bug on one design, to check a sweep survives it.</summary>
internal sealed class FlakyEvaluator : IDesignEvaluator
{
    private readonly FakeEvaluator _inner = new();
    public IReadOnlyList<Metric> Metrics => _inner.Metrics;
    public IReadOnlyList<string> LabelNames => _inner.LabelNames;
    public string ConfigKey(DesignPoint point) => _inner.ConfigKey(point);

    public IReadOnlyList<Evaluation> Evaluate(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads) =>
        point.Index == 5 ? throw new IndexOutOfRangeException("boom") : _inner.Evaluate(point, workloads);

    public DesignDetail? Detail(DesignPoint point, WorkloadSpec workload) => null;
}
