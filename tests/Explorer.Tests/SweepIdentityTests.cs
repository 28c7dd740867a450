using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>Issue 14 item 4: one results folder never mixes two sweeps, and two runs never write one folder at once.</summary>
public class SweepIdentityTests
{
    private static readonly EvaluatorBackend Fake = new(SweepValidation.None, _ => new FakeEvaluator());

    private static (int code, string output, string error) Run(ICommand command, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        int code = command.Run(ParsedArgs.Parse(command.Spec, args), new CommandIO(new StringReader(""), o, e));
        return (code, o.ToString(), e.ToString());
    }

    private static (int code, string output, string error) Sweep(params string[] args)
    {
        try { return Run(new SweepCommand(Fake), args); }
        catch (Arch.MantissaException e) { return (1, "", e.Message); }
    }

    [Fact]
    public void AFolderOfAnotherSweepIsRefusedNamingBoth()
    {
        using var dir = new TempSweepDir();
        string a = dir.Sweep(TempSweepDir.Basic, "a.yaml");
        string b = dir.Sweep(TempSweepDir.Basic.Replace("name: t", "name: other"), "b.yaml");
        Assert.Equal(0, Sweep(a, "--out", dir.Sub("out"), "--jobs", "1", "--no-report").code);
        string before = File.ReadAllText(Path.Combine(dir.Sub("out"), "points.csv"));
        var (code, _, err) = Sweep(b, "--out", dir.Sub("out"), "--jobs", "1", "--no-report");
        Assert.Equal(1, code);
        Assert.Equal($"{dir.Sub("out")} holds results of sweep 't' ({a}, per its sweep-id.json), not of sweep 'other' ({b}); " +
                     "resuming would mix the two: use another --out folder", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(dir.Sub("out"), "points.csv")));
    }

    [Fact]
    public void TheSameSweepFileExtendedStillResumesAndRecordsItsHash()
    {
        using var dir = new TempSweepDir();
        string a = dir.Sweep(TempSweepDir.Basic, "a.yaml");
        Assert.Equal(0, Sweep(a, "--out", dir.Sub("out"), "--jobs", "1", "--no-report").code);
        File.WriteAllText(a, TempSweepDir.Basic.Replace("[16, 32, 64, 128]", "[16, 32, 64, 128, 256]"));
        var (code, output, _) = Sweep(a, "--out", dir.Sub("out"), "--jobs", "1", "--no-report");
        Assert.Equal(0, code);
        Assert.Contains("reused", output);
        Assert.Contains($"\"sweep_sha256\": \"{SweepIdentity.HashFile(a)}\"", File.ReadAllText(Path.Combine(dir.Sub("out"), "sweep.json")));
    }

    [Fact]
    public void RowsWithNoRecordOfTheirSweepAreNotMixedIn()
    {
        using var dir = new TempSweepDir();
        Directory.CreateDirectory(dir.Sub("out"));
        File.WriteAllText(Path.Combine(dir.Sub("out"), "points.csv"), "point,key\n0,abc\n");
        var (code, _, err) = Sweep(dir.Sweep(TempSweepDir.Basic), "--out", dir.Sub("out"), "--jobs", "1");
        Assert.Equal(1, code);
        Assert.Contains("holds a points.csv with no record of the sweep that wrote it", err);
    }

    [Fact]
    public void ASecondSweepIntoALockedFolderIsRefused()
    {
        using var dir = new TempSweepDir();
        Directory.CreateDirectory(dir.Sub("out"));
        using (SweepLock.Acquire(dir.Sub("out"), "t"))
        {
            var (code, _, err) = Sweep(dir.Sweep(TempSweepDir.Basic), "--out", dir.Sub("out"), "--jobs", "1");
            Assert.Equal(1, code);
            Assert.StartsWith($"{dir.Sub("out")} is being written by another sweep right now", err);
            Assert.False(File.Exists(Path.Combine(dir.Sub("out"), "points.csv")));
        }
        Assert.False(File.Exists(Path.Combine(dir.Sub("out"), SweepLock.FileName)));
        Assert.Equal(0, Sweep(dir.Sweep(TempSweepDir.Basic), "--out", dir.Sub("out"), "--jobs", "1", "--no-report").code);
    }

    [Fact]
    public void AStaleLockOfAKilledRunIsTakenOver()
    {
        using var dir = new TempSweepDir();
        Directory.CreateDirectory(dir.Sub("out"));
        File.WriteAllText(Path.Combine(dir.Sub("out"), SweepLock.FileName), "sweep t, pid 999999 on host, started 2026-01-01T00:00:00Z\n");
        var (code, output, _) = Sweep(dir.Sweep(TempSweepDir.Basic), "--out", dir.Sub("out"), "--jobs", "1", "--no-report");
        Assert.Equal(0, code);
        Assert.Contains("took over the lock left by an interrupted run (sweep t, pid 999999 on host, started 2026-01-01T00:00:00Z)", output);
        Assert.False(File.Exists(Path.Combine(dir.Sub("out"), SweepLock.FileName)));
    }

    [Fact]
    public void MergeRefusesShardsOfDifferentSweepFiles()
    {
        using var dir = new TempSweepDir();
        string a = dir.Sweep(TempSweepDir.Basic, "a.yaml");
        Assert.Equal(0, Sweep(a, "--out", dir.Sub("s0"), "--shard", "0/2", "--jobs", "1", "--no-report").code);
        File.WriteAllText(a, TempSweepDir.Basic.Replace("area_mm2 <= 6", "area_mm2 <= 7"));
        Assert.Equal(0, Sweep(a, "--out", dir.Sub("s1"), "--shard", "1/2", "--jobs", "1", "--no-report").code);
        var e = Assert.Throws<Arch.MantissaException>(() => Run(new MergeCommand(Fake), dir.Sub("s0"), dir.Sub("s1"), "--out", dir.Sub("m")));
        Assert.Contains($"{dir.Sub("s1")} and {dir.Sub("s0")} come from different versions of sweep 't'", e.Message);
    }
}
