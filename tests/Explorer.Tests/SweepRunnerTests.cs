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
        var result = new SweepRunner(spec, new FakeEvaluator(), new SweepRunOptions(outDir, 2, null, p => { if (p.Done >= 10) cts.Cancel(); }, cts.Token)).Run();
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
