using System.Globalization;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Commands;

/// <summary>
/// The warm runs of <c>sweep --bench</c> at one job count, each measured by two CPU clocks: the workers' threads
/// (loading, costing, mapping, simulating and writing every point; the figure to compare builds by) and the whole
/// process (adding the runtime's own threads: background JIT tier-up, background GC, the finalizer). Each is
/// summarised by the median run, the extremes and the spread (half the interquartile range as a share of the median),
/// which says how far the median can be trusted on a loaded machine.
/// </summary>
internal sealed class SweepBenchSeries
{
    private readonly List<SweepRunResult> _runs = new();
    private readonly List<long> _allocated = new();

    public SweepBenchSeries(int jobs) => Jobs = jobs;

    public int Jobs { get; }

    public int Count => _runs.Count;

    /// <summary>Adds a run and the bytes the process allocated on the managed heap during it.</summary>
    public void Add(SweepRunResult run, long allocatedBytes)
    {
        _runs.Add(run);
        _allocated.Add(allocatedBytes);
    }

    /// <summary>Median of the runs' managed-heap bytes allocated per design point evaluated (every thread of the process).</summary>
    public double AllocatedPerPoint => Median(_runs.Select((r, i) => r.Evaluated > 0 ? (double)_allocated[i] / r.Evaluated : 0));

    /// <summary>The run added last.</summary>
    public SweepRunResult Last => _runs[^1];

    /// <summary>Median of the runs' worker CPU time, in milliseconds.</summary>
    public double WorkerCpuMs => Median(_runs.Select(WorkerCpu));

    /// <summary>Median of the runs' process CPU time, in milliseconds.</summary>
    public double ProcessCpuMs => Median(_runs.Select(ProcessCpu));

    /// <summary>The runs' wall time added up, in milliseconds.</summary>
    public double TotalWallMs => _runs.Sum(r => r.Elapsed.TotalMilliseconds);

    /// <summary>Median of the runs' wall time, in milliseconds.</summary>
    public double WallMs => Median(_runs.Select(r => r.Elapsed.TotalMilliseconds));

    /// <summary>The run whose worker CPU time is the median (the lower middle one for an even count), for its worker and GC figures.</summary>
    public SweepRunResult MedianRun => _runs.OrderBy(WorkerCpu).ElementAt((_runs.Count - 1) / 2);

    /// <summary>Design points per second of wall time, from the median wall time.</summary>
    public double Rate => WallMs > 0 ? MedianRun.Evaluated / (WallMs / 1e3) : 0;

    /// <summary>One line: median worker and process CPU time of a run, their extremes and spread, CPU per design point, wall time, JIT time inside the timed runs, bytes allocated per design point.</summary>
    public string Describe()
    {
        double perPoint = MedianRun.Evaluated > 0 ? WorkerCpuMs * 1e3 / MedianRun.Evaluated : 0;
        double jit = _runs.Sum(r => r.Stats?.JitMs ?? 0);
        return string.Create(CultureInfo.InvariantCulture,
            $"workers {Ms(WorkerCpuMs)} cpu a run ({Range(WorkerCpu)}), {perPoint:F0} CPU-us a design point; " +
            $"process {Ms(ProcessCpuMs)} cpu a run ({Range(ProcessCpu)}), {Ms(WallMs)} wall; JIT {jit:F0} ms in the timed runs; " +
            $"{AllocatedPerPoint:#,0} bytes allocated a design point");
    }

    private string Range(Func<SweepRunResult, double> clock)
    {
        if (Count == 1) return "1 run";
        var v = _runs.Select(clock).ToList();
        return string.Create(CultureInfo.InvariantCulture, $"median of {Count}: min {Ms(v.Min())} cpu, max {Ms(v.Max())} cpu, spread ±{100 * SpreadOf(v):F1} % (interquartile)");
    }

    private static double WorkerCpu(SweepRunResult r) => r.Stats?.Workers.Sum(w => w.CpuMs) ?? 0;

    private static double ProcessCpu(SweepRunResult r) => r.Stats?.ProcessCpuMs ?? 0;

    private static double SpreadOf(IReadOnlyList<double> v) => Median(v) is var m && m > 0 ? (Quantile(v, 0.75) - Quantile(v, 0.25)) / 2 / m : 0;

    /// <summary>The q-quantile by linear interpolation between order statistics (R's type 7).</summary>
    internal static double Quantile(IEnumerable<double> values, double q)
    {
        var v = values.Order().ToArray();
        if (v.Length == 0) return 0;
        double h = (v.Length - 1) * q;
        int lo = (int)Math.Floor(h);
        return lo + 1 < v.Length ? v[lo] + (h - lo) * (v[lo + 1] - v[lo]) : v[lo];
    }

    /// <summary>Milliseconds, whole above 100 and with one decimal below, e.g. "87.4 ms", "1,620 ms".</summary>
    internal static string Ms(double ms) => (ms >= 100 ? ms.ToString("#,0", CultureInfo.InvariantCulture) : ms.ToString("0.0", CultureInfo.InvariantCulture)) + " ms";

    internal static double Median(IEnumerable<double> values) => Quantile(values, 0.5);
}
