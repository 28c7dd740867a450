using System.Globalization;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Commands;

/// <summary>
/// <c>sweep --bench</c>: after the first (cold) run, <c>repeat</c> warm runs with the same jobs, and with more than one
/// job as many warm runs with one, alternating, so the printed speed-up of N jobs over 1 is measured (wall clock, with
/// the load average it ran under), not the N-job rate divided by N. The figure to compare builds by is each warm run's
/// CPU time on the workers' threads (<see cref="SweepBenchSeries"/>; the process's, with GC and background JIT, is
/// printed beside it), as a median with its spread: the cold
/// run compiles the code and is reported alone, then untimed warm-up runs go on until one spends under 1 % of its CPU
/// time compiling (tiering up; at most 5 runs or 3 s), and JIT time left inside the timed runs is printed. Every warm
/// run writes a points.csv of its own, which must equal the cold run's byte for byte. Each warm median run's worker,
/// lock and GC figures say whether a shortfall is the program's.
/// </summary>
internal static class SweepBench
{
    /// <summary>Most untimed warm runs before the timed ones, however much the JIT still compiles.</summary>
    private const int MaxWarmups = 5;

    /// <summary>Warm-up stops once its runs have taken this long (ms of wall time): a long run has tiered up in its first.</summary>
    private const double MaxWarmupMs = 3000;

    public static void Run(SweepSpec spec, EvaluatorBackend backend, int jobs, int repeat, SweepRunResult cold, TextWriter o, CancellationToken cancel)
    {
        string before = LoadAverage();
        byte[] expected = Hash(cold.PointsFile);
        var warm = new SweepBenchSeries(jobs);
        var single = new SweepBenchSeries(1);
        // warm-up: tiered compilation replaces the cold run's code with optimised code during the first warm runs; they
        // are run but not timed until one spends under 1 % of its CPU time in the JIT (at most MaxWarmups runs or MaxWarmupMs)
        var warmup = new SweepBenchSeries(jobs);
        do
        {
            if (!Fresh(spec, backend, warmup, expected, cancel)) return;
        } while (warmup.Last.Stats is { } w && w.JitMs > 0.01 * w.ProcessCpuMs && warmup.Count < MaxWarmups && warmup.TotalWallMs < MaxWarmupMs);
        for (int i = 0; i < repeat; i++)
        {
            // the cold run included JIT compilation; identical runs into fresh folders show the steady state
            if (!Fresh(spec, backend, warm, expected, cancel)) return;
            if (jobs > 1 && !Fresh(spec, backend, single, expected, cancel)) return;
        }
        // the details first; the cold and warm rates, the lines a reader compares, end the output
        o.WriteLine($"bench (warm, {Jobs(jobs)}): {warm.Describe()}; {warmup.Count} untimed warm-up run(s) before");
        if (jobs > 1)
        {
            string after = LoadAverage();
            double speedup = single.WallMs > 0 && warm.WallMs > 0 ? single.WallMs / warm.WallMs : 0;
            o.WriteLine($"bench (warm, 1 job): {single.Describe()}");
            o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench (warm, 1 job): {RateText.Of(single.Rate)} design points/s; {jobs} jobs ran {speedup:F2}x as fast as 1 by the wall clock " +
                             $"(median of {repeat} alternating run(s) each; {Environment.ProcessorCount} cores; load average {before} before the warm runs, {after} after: other work on the cores shows here)"));
        }
        foreach (var series in jobs > 1 ? new[] { warm, single } : new[] { warm })
            if (series.MedianRun.Stats is { } s) o.WriteLine($"bench (warm, {Jobs(series.Jobs)}, median run): {Describe(s, series.MedianRun)}");
        double coldRate = Rate(cold);
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench (cold): {RateText.Of(coldRate)} design points/s, {RateText.Of(coldRate * spec.Workloads.Count)} (point, workload) evaluations/s " +
                         $"with {jobs} job(s) = {RateText.Of(coldRate * spec.Workloads.Count / jobs)} per job"));
        o.WriteLine(string.Create(CultureInfo.InvariantCulture, $"bench (warm): {RateText.Of(warm.Rate)} design points/s, {RateText.Of(warm.Rate * spec.Workloads.Count)} (point, workload) evaluations/s " +
                         $"with {jobs} job(s) = {RateText.Of(warm.Rate * spec.Workloads.Count / jobs)} per job"));
    }

    private static string Jobs(int jobs) => jobs == 1 ? "1 job" : $"{jobs} jobs";

    /// <summary>One line: how busy the workers were and with what, what they waited for, CPU against wall time, garbage collection.</summary>
    internal static string Describe(SweepRunStats s, SweepRunResult r) => string.Create(CultureInfo.InvariantCulture,
        $"workers busy {100 * s.EvaluatingShare:F0} % of the wall time; " +
        $"{string.Join("; ", s.Workers.Select(w => $"{w.Points} points in {w.CpuMs / 1e3:F2} CPU-s (keys {w.KeysMs:F0} ms, evaluating {w.EvaluateMs:F0} ms, formatting rows {w.FormatMs:F0} ms, writing rows {w.HoldMs:F0} ms, lock found taken {w.Deferred}x)"))}; " +
        $"{s.LockContentions} contended lock(s) in the process; {s.ProcessCpuMs / 1e3:F2} CPU-s in {s.WallMs / 1e3:F2} s, " +
        $"{(r.Evaluated > 0 ? s.ProcessCpuMs * 1e3 / r.Evaluated : 0):F0} CPU-us a point; " +
        $"{s.Gen0 + s.Gen1 + s.Gen2} GCs (gen 0/1/2 {s.Gen0}/{s.Gen1}/{s.Gen2}), {s.GcPauseMs:F0} ms paused ({s.GcMode} GC)");

    /// <summary>One warm run into a fresh temporary folder, added to <paramref name="series"/>; false when it was interrupted. Throws when its points.csv differs from the cold run's.</summary>
    private static bool Fresh(SweepSpec spec, EvaluatorBackend backend, SweepBenchSeries series, byte[] expected, CancellationToken cancel)
    {
        string dir = TempFolder();
        try
        {
            // precise: the total includes every thread's current allocation context, so the difference is this run's bytes
            long allocated = GC.GetTotalAllocatedBytes(precise: true);
            var r = new SweepRunner(spec, backend.Create(spec), new SweepRunOptions(dir, series.Jobs, null, null, cancel)).Run();
            allocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
            if (r.Interrupted) return false;
            if (!Hash(r.PointsFile).AsSpan().SequenceEqual(expected))
                throw new Arch.MantissaException($"sweep --bench: warm run {series.Count + 1} with {Jobs(series.Jobs)} wrote a points.csv that differs from the first run's; " +
                                                 "the sweep's results depend on something other than its file (please report this)");
            series.Add(r, allocated);
            return true;
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
        }
    }

    /// <summary>A folder name for one benchmark run under the system's temporary folder (not created).</summary>
    internal static string TempFolder() => Path.Combine(Path.GetTempPath(), $"mantissa-bench-{Environment.ProcessId}-{Guid.NewGuid():N}");

    private static byte[] Hash(string file)
    {
        using var stream = File.OpenRead(file);
        return System.Security.Cryptography.SHA256.HashData(stream);
    }

    private static double Rate(SweepRunResult r) => r.Elapsed.TotalSeconds > 0 ? r.Evaluated / r.Elapsed.TotalSeconds : 0;

    /// <summary>The 1-minute load average (Linux), or "unknown".</summary>
    private static string LoadAverage()
    {
        try { return File.ReadAllText("/proc/loadavg").Split(' ')[0]; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return "unknown"; }
    }
}
