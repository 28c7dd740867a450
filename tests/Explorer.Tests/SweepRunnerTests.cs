using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

public class SweepRunnerTests
{
    private static readonly EvaluatorBackend Fake = new(SweepValidation.None, _ => new FakeEvaluator());

    private static (int code, string output, string error) Sweep(params string[] args) => RunCommand(new SweepCommand(Fake), args);

    private static (int code, string output, string error) RunCommand(ICommand command, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = command.Run(ParsedArgs.Parse(command.Spec, args), new CommandIO(new StringReader(""), o, e));
        return (code, o.ToString(), e.ToString());
    }

    private static string Read(string dir, string file) => File.ReadAllText(Path.Combine(dir, file));

    [Fact]
    public void WritesOneRowPerPointAndWorkloadWithInvalidReasons()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic);
        var (code, output, _) = Sweep(sweep, "--out", dir.Sub("out"), "--jobs", "2");
        Assert.Equal(0, code);
        var table = PointsCsv.Read(Path.Combine(dir.Sub("out"), "points.csv"), false, out _);
        Assert.Equal(new[] { "point", "workload", "key", "status", "reason", "pe.kind", "array.rows", "array.cols", "pe_kind",
                             "latency_s", "energy_pj", "area_mm2", "edp", "tokens_per_s", "utilization" }, table.Header);
        Assert.Equal(96, table.Rows.Count);
        Assert.Equal(96, table.Rows.Select(r => r[2]).Distinct().Count());
        var tooBig = table.Rows.Where(r => r[5] == "bit_serial" && int.Parse(r[6]) * int.Parse(r[7]) > 4096).ToList();
        Assert.NotEmpty(tooBig);
        Assert.All(tooBig, r => Assert.Equal(("invalid", "does not fit: bit_serial arrays are limited to 4096 PEs"), (r[3], r[4])));
        var overArea = table.Rows.Where(r => r[3] == "invalid" && r[4].StartsWith("violates 'area_mm2 <= 6'")).ToList();
        Assert.NotEmpty(overArea);
        Assert.All(overArea, r => Assert.True(ResultTable.Number(r[11]) > 6));
        Assert.All(table.Rows.Where(r => r[3] == "valid"), r => Assert.True(ResultTable.Number(r[11]) <= 6));
        Assert.Contains("done: 48 design points (48 evaluated, 0 reused)", output);
        foreach (var f in new[] { "pareto.csv", "index.html", "sweep.json" }) Assert.True(File.Exists(Path.Combine(dir.Sub("out"), f)), f);
    }

    [Fact]
    public void ResultsDoNotDependOnTheNumberOfJobs()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic);
        Assert.Equal(0, Sweep(sweep, "--out", dir.Sub("j1"), "--jobs", "1").code);
        Assert.Equal(0, Sweep(sweep, "--out", dir.Sub("j2"), "--jobs", "2").code);
        foreach (var f in new[] { "points.csv", "pareto.csv", "index.html" })
            Assert.Equal(Read(dir.Sub("j1"), f), Read(dir.Sub("j2"), f));
        var svgs = Directory.GetFiles(Path.Combine(dir.Sub("j1"), "plots")).Select(Path.GetFileName).Order().ToList();
        Assert.Equal(svgs, Directory.GetFiles(Path.Combine(dir.Sub("j2"), "plots")).Select(Path.GetFileName).Order());
        foreach (var s in svgs) Assert.Equal(Read(dir.Sub("j1"), "plots/" + s), Read(dir.Sub("j2"), "plots/" + s));
    }

    [Fact]
    public void ResumeAfterATruncatedRowLosesAndDuplicatesNothing()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic);
        string outDir = dir.Sub("out");
        Assert.Equal(0, Sweep(sweep, "--out", outDir, "--jobs", "2").code);
        string full = Read(outDir, "points.csv");

        // simulate a kill: keep the header and 31 rows, then half of the 32nd row
        var lines = full.Split('\n');
        string cut = string.Join("\n", lines.Take(32)) + "\n" + lines[32][..(lines[32].Length / 2)];
        File.WriteAllText(Path.Combine(outDir, "points.csv"), cut);
        var evaluator = new FakeEvaluator();
        var (code, output, _) = RunCommand(new SweepCommand(new EvaluatorBackend(SweepValidation.None, _ => evaluator)), sweep, "--out", outDir, "--jobs", "2");
        Assert.Equal(0, code);
        Assert.Contains("dropped 1 incomplete row", output);
        Assert.Equal(full, Read(outDir, "points.csv"));
        // rows 1..31 cover points 0..14 fully and half of point 15: 15 points are reused, 33 evaluated again
        Assert.Equal(48 - 15, evaluator.Evaluations);
        Assert.Contains("(33 evaluated, 15 reused)", output);

        // a complete file: nothing is evaluated again
        var again = new FakeEvaluator();
        RunCommand(new SweepCommand(new EvaluatorBackend(SweepValidation.None, _ => again)), sweep, "--out", outDir);
        Assert.Equal(0, again.Evaluations);
        Assert.Equal(full, Read(outDir, "points.csv"));
    }

    [Fact]
    public void CancellationKeepsAValidFileAndTheRerunCompletesIt()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(dir.Sweep(TempSweepDir.Basic));
        string outDir = dir.Sub("out");
        using var cts = new CancellationTokenSource();
        // points from 12 on wait for the cancellation, so the run stops part-way however fast the two workers are (without
        // the hold, a fast machine could finish all 48 points before the workers saw the cancellation)
        var held = new FakeEvaluator { HoldFrom = 12, Hold = cts.Token };
        var result = new SweepRunner(spec, held, new SweepRunOptions(outDir, 2, null, p => { if (p.Done >= 10) cts.Cancel(); }, cts.Token)).Run();
        Assert.True(result.Interrupted);
        var partial = PointsCsv.Read(SweepRunner.PointsPath(outDir), false, out _);
        Assert.InRange(partial.Rows.Count, 20, 95);
        var evaluator = new FakeEvaluator();
        var rest = new SweepRunner(spec, evaluator, new SweepRunOptions(outDir, 2)).Run();
        Assert.False(rest.Interrupted);
        Assert.Equal(96, rest.Rows);
        Assert.Equal(48 - partial.Rows.Count / 2, evaluator.Evaluations);

        var clean = new SweepRunner(spec, new FakeEvaluator(), new SweepRunOptions(dir.Sub("clean"), 1)).Run();
        Assert.Equal(Read(dir.Sub("clean"), "points.csv"), Read(outDir, "points.csv"));
        Assert.Equal(96, clean.Rows);
    }

    [Fact]
    public void ShardsMergedEqualTheUnshardedRun()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic);
        Assert.Equal(0, Sweep(sweep, "--out", dir.Sub("whole"), "--jobs", "2").code);
        var shardDirs = new List<string>();
        for (int i = 0; i < 3; i++)
        {
            shardDirs.Add(dir.Sub($"shard-{i}"));
            var (code, output, _) = Sweep(sweep, "--out", shardDirs[^1], "--shard", $"{i}/3", "--jobs", "1", "--no-report");
            Assert.Equal(0, code);
            Assert.Contains("done: 16 design points", output);
        }
        var (mc, mout, merr) = RunCommand(new MergeCommand(Fake), shardDirs.Append("--out").Append(dir.Sub("merged")).ToArray());
        Assert.Equal(0, mc);
        Assert.Equal("", merr);
        Assert.Contains("merged 3 folder(s): 96 rows", mout);
        foreach (var f in new[] { "points.csv", "pareto.csv", "index.html" })
            Assert.Equal(Read(dir.Sub("whole"), f), Read(dir.Sub("merged"), f));

        var (_, _, warn) = RunCommand(new MergeCommand(Fake), shardDirs[0], shardDirs[2], "--out", dir.Sub("partial"));
        Assert.Contains("shard(s) 1/3 not among the folders", warn);
    }

    [Fact]
    public void AChangedSweepInTheSameFolderIsRefused()
    {
        using var dir = new TempSweepDir();
        Assert.Equal(0, Sweep(dir.Sweep(TempSweepDir.Basic), "--out", dir.Sub("out")).code);
        string other = dir.Sweep(TempSweepDir.Basic.Replace("array.cols: [16, 32, 64, 128]", "clock_mhz: [500, 1000]"), "other.yaml");
        var e = Assert.Throws<Arch.MantissaException>(() => Sweep(other, "--out", dir.Sub("out")));
        Assert.Contains("not of sweep 't' (" + other + "); resuming would mix the two", e.Message);
    }

    [Fact]
    public void Nsga2RunsAreDeterministicAndResumable()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic + "\nstrategy: {nsga2: {population: 8, generations: 4, seed: 2}}\n");
        Assert.Equal(0, Sweep(sweep, "--out", dir.Sub("a"), "--jobs", "1").code);
        Assert.Equal(0, Sweep(sweep, "--out", dir.Sub("b"), "--jobs", "2").code);
        Assert.Equal(Read(dir.Sub("a"), "points.csv"), Read(dir.Sub("b"), "points.csv"));
        var evaluator = new FakeEvaluator();
        RunCommand(new SweepCommand(new EvaluatorBackend(SweepValidation.None, _ => evaluator)), sweep, "--out", dir.Sub("a"));
        Assert.Equal(0, evaluator.Evaluations);
        Assert.Equal(Read(dir.Sub("b"), "points.csv"), Read(dir.Sub("a"), "points.csv"));
        var e = Assert.Throws<Arch.MantissaException>(() => Sweep(sweep, "--out", dir.Sub("c"), "--shard", "0/2"));
        Assert.Contains("--shard needs a grid or random strategy", e.Message);
    }

    [Fact]
    public void AnEvaluatorBugOnOneDesignBecomesAnInvalidRow()
    {
        using var dir = new TempSweepDir();
        var spec = SweepParser.Load(dir.Sweep(TempSweepDir.Basic));
        var result = new SweepRunner(spec, new FlakyEvaluator(), new SweepRunOptions(dir.Sub("out"), 2)).Run();
        Assert.Equal(96, result.Rows);
        var bad = result.Table.Rows.Where(r => r[0] == "5").ToList();
        Assert.Equal(2, bad.Count);
        Assert.All(bad, r => Assert.Equal("internal error (IndexOutOfRangeException: boom); this is a bug in mantissa, please report it", r[4]));
    }
}

/// <summary>The streaming runner: rows on disk as they finish, the final order rebuilt from the file's own records.</summary>
public class SweepStreamingTests
{
    private static SweepSpec Spec(TempSweepDir dir, string rows, string name = "sweep.yaml") => SweepParser.Load(dir.Sweep($$"""
        name: t
        base: base.yaml
        parameters:
          array.rows: {{rows}}
          clock_mhz: [500, 1000]
        workloads: [{model: gemm-1x64x64}, {model: llama-2-7b, phase: decode}]
        objectives: {latency_s: min, area_mm2: min}
        """, name), SweepValidation.None);

    private static string[] Lines(string dir) => File.ReadAllLines(Path.Combine(dir, "points.csv"));

    [Fact]
    public void AResumeWithOtherRowsPutsThisRunsRowsFirstWithTheirNewIndexThenTheOthersInTheirOldOrder()
    {
        using var dir = new TempSweepDir();
        string outDir = dir.Sub("out");
        new SweepRunner(Spec(dir, "[16, 32, 64]"), new FakeEvaluator(), new SweepRunOptions(outDir, 2)).Run();
        var first = Lines(outDir);
        Assert.Equal(1 + 3 * 2 * 2, first.Length);
        var evaluator = new FakeEvaluator();
        var r = new SweepRunner(Spec(dir, "[32, 128]", "b.yaml"), evaluator, new SweepRunOptions(outDir, 2)).Run();
        var second = Lines(outDir);
        Assert.Equal(2, evaluator.Evaluations); // rows=128 at two clocks; rows=32 is reused
        Assert.Equal((2, 2), (r.Evaluated, r.Reused));
        Assert.Equal(first[0], second[0]);
        // this run: points 0..3 = (32, 500), (32, 1000), (128, 500), (128, 1000), two workloads each
        string Tail(string line) => line[line.IndexOf(',')..];
        Assert.Equal(new[] { "0", "0", "1", "1", "2", "2", "3", "3" }, second.Skip(1).Take(8).Select(l => l[..l.IndexOf(',')]));
        Assert.Equal(first.Skip(1 + 4).Take(4).Select(Tail), second.Skip(1).Take(4).Select(Tail)); // the rows=32 rows, reused
        // then the earlier run's rows=16 and rows=64 rows, unchanged and in their old order
        Assert.Equal(first.Skip(1).Take(4).Concat(first.Skip(9).Take(4)), second.Skip(9));
        Assert.Equal(16, r.Rows);
        Assert.Equal(16, r.Table.Rows.Count);
        Assert.Equal(r.Valid, r.Table.Rows.Count(x => x[ResultSchema.StatusCol] == "valid"));
    }

    [Fact]
    public void PointsThatResolveToOneDesignGiveOneRowUnderTheLowestIndexWhateverTheJobs()
    {
        using var dir = new TempSweepDir();
        var spec = Spec(dir, "[16, 32, 64]");
        byte[] Run(string name, int jobs)
        {
            var r = new SweepRunner(spec, new ClockBlindEvaluator(), new SweepRunOptions(dir.Sub(name), jobs)).Run();
            Assert.Equal(3 * 2, r.Rows);
            return File.ReadAllBytes(Path.Combine(dir.Sub(name), "points.csv"));
        }
        var one = Run("j1", 1);
        Assert.Equal(one, Run("j2", 2));
        var lines = System.Text.Encoding.UTF8.GetString(one).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        // the clock does not enter the key: points 0, 2, 4 (clock 500) own the three designs
        Assert.Equal(new[] { "0", "0", "2", "2", "4", "4" }, lines.Skip(1).Select(l => l[..l.IndexOf(',')]));
    }

    [Fact]
    public void AQuotedCellWithANewlineInAnEarlierRunIsOneRecord()
    {
        using var dir = new TempSweepDir();
        string outDir = dir.Sub("out");
        var spec = Spec(dir, "[16]");
        new SweepRunner(spec, new FakeEvaluator(), new SweepRunOptions(outDir, 1)).Run();
        // a row of another sweep whose reason cell holds a quoted newline and a comma
        var lines = Lines(outDir).ToList();
        var cells = PointsCsv.ParseRecord(lines[1]);
        cells[ResultSchema.KeyCol] = "other";
        cells[ResultSchema.StatusCol] = "invalid";
        cells[ResultSchema.ReasonCol] = "two\nlines, one comma";
        string odd = string.Join(",", cells.Select((c, i) => i == ResultSchema.ReasonCol ? "\"" + c + "\"" : c));
        File.AppendAllText(Path.Combine(outDir, "points.csv"), odd + "\n");
        var r = new SweepRunner(spec, new FakeEvaluator(), new SweepRunOptions(outDir, 1)).Run();
        Assert.Equal(0, r.Evaluated);
        Assert.Equal(5, r.Rows);
        Assert.Equal("two\nlines, one comma", r.Table.Rows[^1][ResultSchema.ReasonCol]);
    }

    /// <summary>The fake evaluator with a key that ignores the clock, so designs repeat across points.</summary>
    private sealed class ClockBlindEvaluator : IDesignEvaluator
    {
        private readonly FakeEvaluator _inner = new();
        public IReadOnlyList<Metric> Metrics => _inner.Metrics;
        public IReadOnlyList<string> LabelNames => _inner.LabelNames;
        public string ConfigKey(DesignPoint point) => _inner.ConfigKey(point with { Sets = point.Sets.Where(s => s.Key != "clock_mhz").ToList() });
        public IReadOnlyList<Evaluation> Evaluate(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads) => _inner.Evaluate(point, workloads);
        public DesignDetail? Detail(DesignPoint point, WorkloadSpec workload) => null;
    }
}
