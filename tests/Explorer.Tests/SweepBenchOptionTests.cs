using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>Issue 13: <c>sweep --bench --repeat N</c> times N warm runs in one process, checks each wrote the first run's points.csv, and keeps that file with --out.</summary>
public class SweepBenchOptionTests
{
    private static readonly EvaluatorBackend Fake = new(SweepValidation.None, _ => new FakeEvaluator());

    private static (int Code, string Output) Sweep(EvaluatorBackend backend, params string[] args)
    {
        var command = new SweepCommand(backend);
        var o = new StringWriter();
        int code = command.Run(ParsedArgs.Parse(command.Spec, args), new CommandIO(new StringReader(""), o, new StringWriter()));
        return (code, o.ToString());
    }

    [Theory]
    [InlineData("--repeat 3", "--repeat times warm runs of --bench; add --bench")]
    [InlineData("--bench --repeat 0", "--repeat must be at least 1, got 0")]
    [InlineData("--bench --repeat -2", "option --repeat expects a non-negative integer, got -2")]
    [InlineData("--bench --repeat three", "option --repeat expects an integer, got 'three'")]
    [InlineData("--bench --shard 0/2", "--bench times the whole sweep; drop --shard")]
    public void BadRepeatOrBenchOptionsAreRefused(string options, string message)
    {
        using var dir = new TempSweepDir();
        var args = new[] { dir.Sweep(TempSweepDir.Basic) }.Concat(options.Split(' ')).ToArray();
        var e = Assert.Throws<UsageException>(() => Sweep(Fake, args));
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void RepeatingWritesTheResultsOnceAndTheyEqualAPlainSweeps()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic);
        var (code, output) = Sweep(Fake, sweep, "--bench", "--repeat", "3", "--jobs", "2", "--out", dir.Sub("bench"));
        Assert.Equal(0, code);
        Assert.Contains("bench (warm, 2 jobs): workers ", output);
        Assert.Contains("(median of 3: min ", output);
        Assert.Contains("median of 3 alternating run(s) each", output);
        // every point's row (its strings and arrays) is allocated on the managed heap, so the median cannot be zero
        var allocated = System.Text.RegularExpressions.Regex.Matches(output, @"; ([\d,]+) bytes allocated a design point");
        Assert.Equal(2, allocated.Count);
        Assert.All(allocated, m => Assert.True(long.Parse(m.Groups[1].Value.Replace(",", "")) > 0, m.Value));
        // the median run's per-worker breakdown: every phase named, and the workers' points add up to the sweep's
        int points = int.Parse(System.Text.RegularExpressions.Regex.Match(output, @": (\d+) design points ×").Groups[1].Value);
        foreach (string run in new[] { "bench (warm, 1 job, median run)", "bench (warm, 2 jobs, median run)" })
        {
            string line = output.Split('\n').Single(l => l.StartsWith(run, StringComparison.Ordinal));
            var workers = System.Text.RegularExpressions.Regex.Matches(line,
                @"(\d+) points in [\d.]+ CPU-s \(keys \d+ ms, evaluating \d+ ms, formatting rows \d+ ms, writing rows \d+ ms, lock found taken \d+x\)");
            Assert.Equal(points, workers.Sum(m => int.Parse(m.Groups[1].Value)));
        }
        Assert.Contains("wrote " + SweepCommand.Relative(Path.Combine(dir.Sub("bench"), "points.csv")) + " (the first run's)", output);
        Assert.Equal(["points.csv"], Directory.GetFiles(dir.Sub("bench")).Select(Path.GetFileName));
        Assert.Equal(0, Sweep(Fake, sweep, "--out", dir.Sub("plain"), "--jobs", "1", "--no-report").Code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(dir.Sub("plain"), "points.csv")), File.ReadAllBytes(Path.Combine(dir.Sub("bench"), "points.csv")));
        // the warm runs went to temporary folders of their own, all removed
        Assert.Empty(Directory.GetDirectories(Path.GetTempPath(), $"mantissa-bench-{Environment.ProcessId}-*"));
    }

    [Fact]
    public void ABenchRefusesAFolderWithResults()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic);
        Assert.Equal(0, Sweep(Fake, sweep, "--out", dir.Sub("out"), "--jobs", "1", "--no-report").Code);
        var e = Assert.Throws<UsageException>(() => Sweep(Fake, sweep, "--bench", "--out", dir.Sub("out")));
        Assert.Equal($"--bench --out {dir.Sub("out")}: the folder already holds a points.csv; a benchmark evaluates every point, so give a new folder", e.Message);
    }

    [Fact]
    public void AWarmRunWithOtherResultsFailsTheBench()
    {
        using var dir = new TempSweepDir();
        int created = 0;
        // every evaluator after the first reports one more PE kind label: its rows differ from the first run's
        var drifting = new EvaluatorBackend(SweepValidation.None, _ => Interlocked.Increment(ref created) == 1 ? new FakeEvaluator() : new RenamingEvaluator());
        var e = Assert.Throws<Arch.MantissaException>(() => Sweep(drifting, dir.Sweep(TempSweepDir.Basic), "--bench", "--jobs", "1"));
        Assert.StartsWith("sweep --bench: warm run 1 with 1 job wrote a points.csv that differs from the first run's", e.Message);
    }

    /// <summary>The fake evaluator with its label renamed, so its rows differ.</summary>
    private sealed class RenamingEvaluator : IDesignEvaluator
    {
        private readonly FakeEvaluator _inner = new();

        public IReadOnlyList<Metric> Metrics => _inner.Metrics;
        public IReadOnlyList<string> LabelNames => _inner.LabelNames;
        public string ConfigKey(DesignPoint point) => _inner.ConfigKey(point);
        public DesignDetail? Detail(DesignPoint point, WorkloadSpec workload) => _inner.Detail(point, workload);

        public IReadOnlyList<Evaluation> Evaluate(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads) =>
            _inner.Evaluate(point, workloads).Select(e => e with { Labels = new Dictionary<string, string> { ["pe_kind"] = "renamed" } }).ToList();
    }
}
