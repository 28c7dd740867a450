using System.Diagnostics;
using System.Runtime;
using Mantissa.Explorer.Commands;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// Where one worker's time went: design points it finished, its thread's CPU time, the wall time it spent on their row
/// keys, evaluating them, formatting their points.csv lines (outside any lock) and holding the lock that puts rows in
/// order and writes them, and how often it found that lock taken and went back to work instead of waiting
/// (<see cref="Deferred"/>).
/// </summary>
public sealed record WorkerStats(int Points, double CpuMs, double KeysMs, double EvaluateMs, double FormatMs, double HoldMs, int Deferred);

/// <summary>
/// What a run cost besides its results, for <c>sweep --bench</c>: wall and process CPU time (every thread of the
/// process: workers, garbage collection, background JIT), the runtime's count of contended locks
/// (<see cref="Monitor.LockContentionCount"/>, every lock of the process), garbage collections and their pause time, the
/// GC mode, each worker's <see cref="WorkerStats"/>, and the time the JIT spent compiling during the run.
/// </summary>
public sealed record SweepRunStats(double WallMs, double ProcessCpuMs, long LockContentions, int Gen0, int Gen1, int Gen2,
                                   double GcPauseMs, string GcMode, IReadOnlyList<WorkerStats> Workers, double JitMs = 0)
{
    /// <summary>Share of the workers' wall time spent keying and evaluating points (1 = every worker did so all the time).</summary>
    public double EvaluatingShare => Workers.Count == 0 || WallMs <= 0 ? 0 : Workers.Sum(w => w.KeysMs + w.EvaluateMs) / (Workers.Count * WallMs);

    /// <summary>The runtime's GC mode, as configured for this process.</summary>
    public static string CurrentGcMode() =>
        (GCSettings.IsServerGC ? "server" : "workstation") + ", " +
        (GCSettings.LatencyMode == GCLatencyMode.Batch ? "non-concurrent" : "concurrent");
}

/// <summary>Counters read at the start of a run, turned into a <see cref="SweepRunStats"/> at its end.</summary>
internal sealed class SweepRunMeter
{
    private readonly Stopwatch _wall = Stopwatch.StartNew();
    // getrusage(RUSAGE_SELF) on Linux: microseconds, where Process.TotalProcessorTime counts /proc's 10 ms ticks
    private readonly TimeSpan _cpu = Environment.CpuUsage.TotalTime;
    private readonly TimeSpan _jit = System.Runtime.JitInfo.GetCompilationTime();
    private readonly long _contentions = Monitor.LockContentionCount;
    private readonly int _gen0 = GC.CollectionCount(0), _gen1 = GC.CollectionCount(1), _gen2 = GC.CollectionCount(2);
    private readonly TimeSpan _pause = GC.GetTotalPauseDuration();

    public SweepRunStats Stop(IReadOnlyList<WorkerStats> workers) => new(
        _wall.Elapsed.TotalMilliseconds,
        (Environment.CpuUsage.TotalTime - _cpu).TotalMilliseconds,
        Monitor.LockContentionCount - _contentions,
        GC.CollectionCount(0) - _gen0, GC.CollectionCount(1) - _gen1, GC.CollectionCount(2) - _gen2,
        (GC.GetTotalPauseDuration() - _pause).TotalMilliseconds,
        SweepRunStats.CurrentGcMode(),
        workers,
        (System.Runtime.JitInfo.GetCompilationTime() - _jit).TotalMilliseconds);
}

/// <summary>One worker's counters, kept by that worker alone (no sharing, so no locks and no false sharing of a cache line).</summary>
internal sealed class WorkerMeter
{
    private readonly double _cpuStart = ThreadCpuClock.NowMs();
    private int _points, _deferred;
    private long _keys, _evaluate, _format, _hold;

    public void Keyed(long ticks) => _keys += ticks;

    public void Evaluated(long ticks) { _points++; _evaluate += ticks; }

    public void Formatted(long ticks) => _format += ticks;

    public void Held(long ticks) => _hold += ticks;

    public void Deferred() => _deferred++;

    /// <summary>The totals; call on the worker's own thread (its CPU clock is per thread).</summary>
    public WorkerStats Stop() => new(_points, ThreadCpuClock.NowMs() - _cpuStart, Ms(_keys), Ms(_evaluate), Ms(_format), Ms(_hold), _deferred);

    private static double Ms(long ticks) => ticks * 1000.0 / Stopwatch.Frequency;
}
