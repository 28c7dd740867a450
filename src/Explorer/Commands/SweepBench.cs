using System.Globalization;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Commands;

/// <summary>
/// <c>sweep --bench</c>: after the first (cold) run, a warm run with the same jobs, and with more than one job a warm run
/// with one, so the printed speed-up of N jobs over 1 is measured (wall clock, with the load average it ran under), not
/// the N-job rate divided by N. Each warm run's worker, lock and GC figures say whether a shortfall is the program's.
/// </summary>
internal static class SweepBench
{
    public static void Run(SweepSpec spec, EvaluatorBackend backend, int jobs, SweepRunResult cold, string outDir, TextWriter o, CancellationToken cancel)
    {
        string before = LoadAverage();
        // the first run includes JIT compilation; a second, identical run into a fresh folder shows the steady state
        var warm = Fresh(spec, backend, jobs, outDir, cancel);
        foreach (var (what, r) in new[] { ("cold", cold), ("warm", warm) })
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench ({what}): {RateText.Of(Rate(r))} design points/s, {RateText.Of(Rate(r) * spec.Workloads.Count)} (point, workload) evaluations/s " +
                             $"with {jobs} job(s) = {RateText.Of(Rate(r) * spec.Workloads.Count / jobs)} per job"));
        if (jobs == 1 || warm.Interrupted) return;
        var single = Fresh(spec, backend, 1, outDir, cancel);
        if (single.Interrupted) return;
        string after = LoadAverage();
        double speedup = Rate(single) > 0 ? Rate(warm) / Rate(single) : 0;
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench (warm, 1 job): {RateText.Of(Rate(single))} design points/s; {jobs} jobs ran {speedup:F2}x as fast as 1 by the wall clock " +
                         $"({Environment.ProcessorCount} cores; load average {before} before the warm runs, {after} after: other work on the cores shows here)"));
        foreach (var (what, r) in new[] { ($"{jobs} jobs", warm), ("1 job", single) })
            if (r.Stats is { } s) o.WriteLine($"bench (warm, {what}): {Describe(s, r)}");
    }

    /// <summary>One line: how busy the workers were and with what, what they waited for, CPU against wall time, garbage collection.</summary>
    internal static string Describe(SweepRunStats s, SweepRunResult r) => string.Create(CultureInfo.InvariantCulture,
        $"workers busy {100 * s.EvaluatingShare:F0} % of the wall time; " +
        $"{string.Join("; ", s.Workers.Select(w => $"{w.Points} points in {w.CpuMs / 1e3:F2} CPU-s (keys {w.KeysMs:F0} ms, evaluating {w.EvaluateMs:F0} ms, writing rows {w.HoldMs:F0} ms, lock found taken {w.Deferred}x)"))}; " +
        $"{s.LockContentions} contended lock(s) in the process; {s.ProcessCpuMs / 1e3:F2} CPU-s in {s.WallMs / 1e3:F2} s, " +
        $"{(r.Evaluated > 0 ? s.ProcessCpuMs * 1e3 / r.Evaluated : 0):F0} CPU-us a point; " +
        $"{s.Gen0 + s.Gen1 + s.Gen2} GCs (gen 0/1/2 {s.Gen0}/{s.Gen1}/{s.Gen2}), {s.GcPauseMs:F0} ms paused ({s.GcMode} GC)");

    private static SweepRunResult Fresh(SweepSpec spec, EvaluatorBackend backend, int jobs, string outDir, CancellationToken cancel)
    {
        var r = new SweepRunner(spec, backend.Create(spec), new SweepRunOptions(outDir, jobs, null, null, cancel)).Run();
        Directory.Delete(outDir, recursive: true);
        return r;
    }

    private static double Rate(SweepRunResult r) => r.Elapsed.TotalSeconds > 0 ? r.Evaluated / r.Elapsed.TotalSeconds : 0;

    /// <summary>The 1-minute load average (Linux), or "unknown".</summary>
    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "unknown"; }
    }
}
