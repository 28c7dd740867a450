using System.Diagnostics;
using System.Globalization;
using Mantissa.Arch;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Report;
using Mantissa.Explorer.Sweep;
using Spectre.Console;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa sweep</c>: evaluates a sweep file's design points in parallel, resumably, and writes the frontier, plots and report.</summary>
public sealed class SweepCommand : ICommand
{
    private readonly EvaluatorBackend _backend;

    public SweepCommand() : this(EvaluatorBackend.Default) { }

    public SweepCommand(EvaluatorBackend backend) => _backend = backend;

    public CommandSpec Spec { get; } = new("sweep", "Explore a design space: evaluate a sweep file's points, find the Pareto front, plot it.",
        "mantissa sweep SWEEP.yaml [--out DIR] [--jobs N] [--shard I/N] [--format png,svg,parquet] [--size column|page|WxH]\nmantissa sweep SWEEP.yaml --bench [--jobs N] [--repeat N] [--out DIR]",
        new[]
        {
            new OptionSpec("--out", "DIR", "Results folder (default results/<sweep name>/, or results/<name>/shard-I when sharded)."),
            new OptionSpec("--jobs", "N", "Design points evaluated in parallel (default: all cores). Results do not depend on it."),
            new OptionSpec("--shard", "I/N", "Evaluate only shard I of N (0-based; point index mod N = I). Join shards with 'mantissa merge'."),
            new OptionSpec("--bench", null, "Time fresh runs in temporary folders (cold: with JIT compilation; then warm) and print design points per second and CPU time a run; keeps nothing unless --out."),
            new OptionSpec("--repeat", "N", "With --bench: time N warm runs (default 1) and print the median CPU time a run, its min, max and spread; each run's points.csv must equal the first's."),
            new OptionSpec("--no-report", null, "Write points.csv only (no pareto.csv, plots or index.html)."),
            new OptionSpec("--format", "LIST", "Files to write, comma-separated: png and svg figures (default png,svg; PNG at 300 dpi), parquet (points.parquet beside points.csv)."),
            new OptionSpec("--size", "SIZE", "Figure size: column (3.3x2.5 in, default), page (6.9x3.6 in) or WxH in inches; fonts are 7-9 pt at that size."),
        },
        """
        Rerunning the same command skips every design point already in DIR/points.csv, so an interrupted sweep
        (Ctrl-C, a killed job) resumes where it stopped. The sweep file format is described in docs/sweep.md;
        bundled examples are in arch-configs/sweeps/.

        Output: DIR/points.csv (one row per design point and workload, invalid points with their reason),
        DIR/pareto.csv, DIR/plots/*.png and *.svg, DIR/index.html (report showing the plots), DIR/sweep.json.
        """);

    public int Run(ParsedArgs args, CommandIO io)
    {
        string file = args.Positional(0, "the sweep file (e.g. arch-configs/sweeps/quickstart.yaml)");
        if (args.Positionals.Count > 1) throw new UsageException($"unexpected argument '{args.Positionals[1]}'");
        int jobs = args.GetInt("--jobs", Environment.ProcessorCount);
        if (jobs < 1) throw new UsageException("--jobs must be at least 1");
        var shard = args.Get("--shard") is { } s ? ShardSpec.Parse(s) : null;
        var figures = Figures(args);
        bool bench = args.Has("--bench");
        int repeat = BenchRepeat(args);
        if (bench && shard is not null) throw new UsageException("--bench times the whole sweep; drop --shard");

        var spec = SweepParser.Load(file, _backend.Validation);
        var evaluator = _backend.Create(spec);
        string outDir = args.Get("--out") ?? (bench ? SweepBench.TempFolder() : Path.Combine("results", spec.Name, shard is null ? "" : $"shard-{shard.Index}"));
        outDir = Path.GetFullPath(outDir);
        bool keep = !bench || args.Has("--out");
        if (bench && File.Exists(SweepRunner.PointsPath(outDir)))
            throw new UsageException($"--bench --out {args.Get("--out")}: the folder already holds a points.csv; a benchmark evaluates every point, so give a new folder");

        long designs = spec.Strategy switch
        {
            Nsga2Strategy n => (long)n.Population * (n.Generations + 1L),
            RandomStrategy r => (long)Math.Min(r.Samples, (double)new DesignSpace(spec).Size),
            _ => (long)Math.Min(long.MaxValue, (double)new DesignSpace(spec).Size),
        };
        io.Out.WriteLine($"sweep {spec.Name}: {(spec.Strategy is Nsga2Strategy ? "up to " : "")}{designs} design points × {spec.Workloads.Count} workload{(spec.Workloads.Count == 1 ? "" : "s")}, " +
                         $"{spec.Strategy.Describe()}{(shard is null ? "" : $", shard {shard}")}, {jobs} job{(jobs == 1 ? "" : "s")} → {(keep ? Relative(outDir) : "(temporary folder)")}");

        using var cts = new CancellationTokenSource();
        ConsoleCancelEventHandler? onCancel = null;
        bool console = ReferenceEquals(io.Out, Console.Out);
        if (console)
        {
            onCancel = (_, e) =>
            {
                if (cts.IsCancellationRequested) return; // a second Ctrl-C stops at once
                e.Cancel = true;
                cts.Cancel();
            };
            Console.CancelKeyPress += onCancel;
        }
        SweepIdentity? identity = null;
        SweepLock? folderLock = null;
        try
        {
            if (!bench)
            {
                Directory.CreateDirectory(outDir);
                folderLock = SweepLock.Acquire(outDir, spec.Name);
                if (folderLock.StaleOwner is { } stale) io.Out.WriteLine($"took over the lock left by an interrupted run ({stale})");
                identity = SweepIdentity.Of(spec);
                identity.ClaimFolder(outDir);
            }
            var result = RunWithProgress(spec, evaluator, new SweepRunOptions(outDir, jobs, shard, null, cts.Token), io, console && !Console.IsOutputRedirected);
            double perSecond = result.Elapsed.TotalSeconds > 0 ? (result.Evaluated + result.Reused) / result.Elapsed.TotalSeconds : 0;
            if (result.Repaired > 0) io.Out.WriteLine($"resumed: dropped {result.Repaired} incomplete row(s) left by an interruption");
            io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{(result.Interrupted ? $"interrupted after {result.Evaluated + result.Reused} of" : "done:")} {result.Points} design points ({result.Evaluated} evaluated, {result.Reused} reused) in {result.Elapsed.TotalSeconds:F1} s, " +
                $"{RateText.Of(perSecond)} points/s; {result.Rows} rows: {result.Valid} valid, {result.Invalid} invalid"));
            if (bench)
            {
                try
                {
                    if (result.Interrupted) return 130;
                    SweepBench.Run(spec, _backend, jobs, repeat, result, io.Out, cts.Token);
                    if (keep) io.Out.WriteLine($"wrote {Relative(SweepRunner.PointsPath(outDir))} (the first run's)");
                    return 0;
                }
                finally
                {
                    if (!keep) Directory.Delete(outDir, recursive: true);
                }
            }
            if (WantsParquet(args)) PointsParquet.Write(Path.Combine(outDir, PointsParquet.FileName), SweepRunner.PointsPath(outDir));
            var summary = SweepSummary.From(spec, result.Schema, shard) with { SweepSha256 = identity?.SweepSha256 };
            summary.Save(outDir);
            if (result.Interrupted)
            {
                io.Out.WriteLine($"partial results are in {Relative(SweepRunner.PointsPath(outDir))}; run the same command again to resume");
                return 130;
            }
            if (!args.Has("--no-report")) WriteArtifacts(outDir, summary, SweepRunner.PointsPath(outDir), spec, evaluator, io, figures);
            else io.Out.WriteLine($"wrote {Relative(SweepRunner.PointsPath(outDir))}");
            return 0;
        }
        finally
        {
            folderLock?.Dispose();
            if (onCancel is not null) Console.CancelKeyPress -= onCancel;
        }
    }

    /// <summary>The --repeat count (1 when absent); only with --bench, at least 1.</summary>
    internal static int BenchRepeat(ParsedArgs args)
    {
        if (!args.Has("--repeat")) return 1;
        if (!args.Has("--bench")) throw new UsageException("--repeat times warm runs of --bench; add --bench");
        int repeat = args.GetInt("--repeat", 1);
        return repeat >= 1 ? repeat : throw new UsageException($"--repeat must be at least 1, got {repeat}");
    }

    /// <summary>Writes pareto.csv, plots and index.html from the results file <paramref name="pointsCsv"/> (streamed: only the columns they need are kept), and prints the fronts.</summary>
    internal static void WriteArtifacts(string outDir, SweepSummary summary, string pointsCsv, SweepSpec? spec, IDesignEvaluator? evaluator, CommandIO io,
                                        FigureOptions? figures = null)
    {
        using var table = SweepArtifacts.Columns(pointsCsv, summary);
        Func<string[], DesignDetail?>? detail = null;
        if (spec is not null && evaluator is not null)
            detail = row =>
            {
                var workload = spec.Workloads.FirstOrDefault(w => w.Label == row[ResultSchema.WorkloadCol]);
                if (workload is null) return null;
                try
                {
                    return evaluator.Detail(PointOf(row, table, summary), workload);
                }
                catch (MantissaException e)
                {
                    io.Error.WriteLine($"warning: no breakdown for point {row[ResultSchema.PointCol]} on {workload.Label}: {e.Message}");
                    return null;
                }
            };
        var (fronts, plots) = SweepArtifacts.Write(outDir, summary, table, detail, figures);
        foreach (var f in fronts)
            io.Out.WriteLine($"pareto {f.Workload}: {f.Members.Count} of {f.ValidRows} valid designs on the front" +
                (f.Hypervolume is { } hv && f.Members.Count > 0 ? ", normalised hypervolume " + hv.ToString("F4", CultureInfo.InvariantCulture) : "") +
                (f.Unreported.Count > 0 ? $" ({string.Join(", ", f.Unreported)} not reported for some designs of this workload; they are left out)" : ""));
        int files = plots.Sum(p => p.Files.Count);
        io.Out.WriteLine($"wrote {Relative(outDir)}/: points.csv, pareto.csv, index.html, {plots.Count} plot{(plots.Count == 1 ? "" : "s")} ({files} files) in plots/");
    }

    /// <summary>The --format and --size options shared by sweep, merge and pareto.</summary>
    internal static FigureOptions Figures(ParsedArgs args) => new(
        args.Get("--size") is { } size ? FigureSize.Parse(size) : FigureSize.Column,
        args.Get("--format") is { } f ? ImageFormatList.Parse(f, "parquet") : ImageFormats.Png | ImageFormats.Svg);

    /// <summary>Whether --format asks for points.parquet.</summary>
    internal static bool WantsParquet(ParsedArgs args) =>
        args.Get("--format") is { } f && f.Split(',', StringSplitOptions.TrimEntries).Any(x => x.Equals("parquet", StringComparison.OrdinalIgnoreCase));

    /// <summary>Rebuilds the design point of a results row from its parameter columns.</summary>
    internal static DesignPoint PointOf(string[] row, PointsColumns table, SweepSummary summary) =>
        new(int.Parse(row[ResultSchema.PointCol], CultureInfo.InvariantCulture), Array.Empty<int>(),
            summary.Parameters.Select(p => new KeyValuePair<string, string>(p, row[table.Column(p)])).ToList());

    private static SweepRunResult RunWithProgress(SweepSpec spec, IDesignEvaluator evaluator, SweepRunOptions options, CommandIO io, bool terminal)
    {
        if (terminal)
        {
            SweepRunResult? result = null;
            AnsiConsole.Progress()
                .AutoClear(false)
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new RemainingTimeColumn(), new SpinnerColumn())
                .Start(ctx =>
                {
                    var task = ctx.AddTask(spec.Name, maxValue: 1);
                    long last = 0;
                    result = new SweepRunner(spec, evaluator, options with
                    {
                        Progress = p =>
                        {
                            task.MaxValue = p.Total;
                            task.Value = p.Done;
                            long now = Environment.TickCount64;
                            if (now - last < 250 && p.Done < p.Total) return;
                            last = now;
                            double rate = p.Elapsed.TotalSeconds > 0 ? p.Done / p.Elapsed.TotalSeconds : 0;
                            task.Description = string.Create(CultureInfo.InvariantCulture, $"{spec.Name} {p.Done}/{p.Total} points, {RateText.Of(rate)}/s");
                        },
                    }).Run();
                });
            return result!;
        }
        var clock = Stopwatch.StartNew();
        long lastLine = 0;
        var plain = options with
        {
            Progress = p =>
            {
                long now = clock.ElapsedMilliseconds;
                if (now - lastLine < 2000 && p.Done < p.Total) return;
                if (p.Done >= p.Total && lastLine < 0) return;
                lastLine = p.Done >= p.Total ? -1 : now;
                double rate = p.Elapsed.TotalSeconds > 0 ? p.Done / p.Elapsed.TotalSeconds : 0;
                double eta = rate > 0 ? (p.Total - p.Done) / rate : 0;
                io.Out.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"progress: {p.Done}/{p.Total} points ({100.0 * p.Done / Math.Max(1, p.Total):F0}%), {RateText.Of(rate)} points/s, ETA {RateText.Of(eta)} s"));
            },
        };
        return new SweepRunner(spec, evaluator, plain).Run();
    }

    internal static string Relative(string path)
    {
        string rel = Path.GetRelativePath(Environment.CurrentDirectory, path);
        return rel.StartsWith("..", StringComparison.Ordinal) ? path : rel;
    }
}
