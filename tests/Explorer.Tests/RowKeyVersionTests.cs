using System.Text.RegularExpressions;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>Issue 13: the key scheme is versioned; a folder keyed by another scheme is refused for resume and merge.</summary>
public class RowKeyVersionTests
{
    private static readonly EvaluatorBackend Fake = new(SweepValidation.None, _ => new FakeEvaluator());

    private static (int code, string output, string error) Run(ICommand command, params string[] args)
    {
        var o = new StringWriter();
        var e = new StringWriter();
        try
        {
            int code = command.Run(ParsedArgs.Parse(command.Spec, args), new CommandIO(new StringReader(""), o, e));
            return (code, o.ToString(), e.ToString());
        }
        catch (Arch.MantissaException ex) { return (1, o.ToString(), ex.Message); }
    }

    // what a folder written before key versions were recorded looks like: neither file has key_version
    private static void MakeVersion1(string dir)
    {
        foreach (var f in new[] { SweepIdentity.FileName, SweepSummary.FileName })
        {
            string path = Path.Combine(dir, f);
            string json = File.ReadAllText(path);
            Assert.Contains("\"key_version\": 2", json);
            File.WriteAllText(path, Regex.Replace(json, @",\s*""key_version"": 2", ""));
        }
    }

    [Fact]
    public void BothFilesRecordTheKeyVersion()
    {
        using var dir = new TempSweepDir();
        Assert.Equal(0, Run(new SweepCommand(Fake), dir.Sweep(TempSweepDir.Basic), "--out", dir.Sub("out"), "--jobs", "1", "--no-report").code);
        Assert.Equal(2, RowKeyVersion.Current);
        Assert.Equal(2, SweepIdentity.Read(dir.Sub("out")).Identity!.KeyVersion);
        Assert.Equal(2, SweepSummary.Load(dir.Sub("out")).KeyVersion);
    }

    [Fact]
    public void ResumingAVersion1FolderIsRefusedNamingTheFolderAndFile()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic), outDir = dir.Sub("out");
        Assert.Equal(0, Run(new SweepCommand(Fake), sweep, "--out", outDir, "--jobs", "1", "--no-report").code);
        MakeVersion1(outDir);
        string before = File.ReadAllText(Path.Combine(outDir, "points.csv"));
        var (code, _, err) = Run(new SweepCommand(Fake), sweep, "--out", outDir, "--jobs", "1", "--no-report");
        Assert.Equal(1, code);
        Assert.Equal($"{outDir} was written with row keys of version 1 (per its sweep-id.json, which records none); this mantissa writes " +
                     "version 2 (keys from the resolved design), so its rows cannot be resumed: give the sweep another --out folder, " +
                     $"or delete {Path.Combine(outDir, "points.csv")} to evaluate every point again", err);
        Assert.Equal(before, File.ReadAllText(Path.Combine(outDir, "points.csv")));
        // with only its sweep.json (a folder older than sweep-id.json), the message names that file
        File.Delete(Path.Combine(outDir, SweepIdentity.FileName));
        (code, _, err) = Run(new SweepCommand(Fake), sweep, "--out", outDir, "--jobs", "1", "--no-report");
        Assert.Equal(1, code);
        Assert.StartsWith($"{outDir} was written with row keys of version 1 (per its sweep.json, which records none);", err);
        // deleting points.csv, as the message says, evaluates everything again into the same folder
        File.Delete(Path.Combine(outDir, "points.csv"));
        var (again, output, _) = Run(new SweepCommand(Fake), sweep, "--out", outDir, "--jobs", "1", "--no-report");
        Assert.Equal(0, again);
        Assert.Contains("(48 evaluated, 0 reused)", output);
        Assert.Equal(before, File.ReadAllText(Path.Combine(outDir, "points.csv")));
    }

    [Fact]
    public void MergingAVersion1ShardIsRefusedNamingIt()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep(TempSweepDir.Basic);
        Assert.Equal(0, Run(new SweepCommand(Fake), sweep, "--out", dir.Sub("s0"), "--shard", "0/2", "--jobs", "1", "--no-report").code);
        Assert.Equal(0, Run(new SweepCommand(Fake), sweep, "--out", dir.Sub("s1"), "--shard", "1/2", "--jobs", "1", "--no-report").code);
        MakeVersion1(dir.Sub("s1"));
        var (code, _, err) = Run(new MergeCommand(Fake), dir.Sub("s0"), dir.Sub("s1"), "--out", dir.Sub("m"));
        Assert.Equal(1, code);
        Assert.Equal($"{dir.Sub("s1")} was written with row keys of version 1 (per its sweep.json, which records none); this mantissa writes " +
                     "version 2 (keys from the resolved design), so its rows cannot be merged with rows of this version: " +
                     "run the sweep (or its shards) again into new folders and merge those", err);
        Assert.False(Directory.Exists(dir.Sub("m")));
    }
}
