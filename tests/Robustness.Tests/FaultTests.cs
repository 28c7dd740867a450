using System.Diagnostics;

namespace Mantissa.Robustness.Tests;

/// <summary>
/// Issue 14's fault tests: a sweep killed with SIGKILL at random moments (during evaluation and during report
/// writing), or stopped by a full disk or a read-only folder, ends — once rerun — byte-identical to an uninterrupted run.
/// </summary>
public sealed class FaultTests : IDisposable
{
    private static readonly string Sweep = Path.Combine(MantissaProcess.RepoRoot, "arch-configs", "sweeps", "quickstart.yaml");
    private readonly string _dir = Directory.CreateTempSubdirectory("mantissa-faults-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static string[] Args(string outDir) => ["sweep", Sweep, "--out", outDir, "--jobs", "1"];

    private string Reference()
    {
        string dir = Path.Combine(_dir, "reference");
        var r = MantissaProcess.Run(Args(dir));
        Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
        return dir;
    }

    /// <summary>Every artifact a sweep writes, by relative path (the lock is gone after a finished run).</summary>
    private static SortedDictionary<string, byte[]> Files(string dir) =>
        new(Directory.GetFiles(dir, "*", SearchOption.AllDirectories)
                     .ToDictionary(f => Path.GetRelativePath(dir, f), File.ReadAllBytes), StringComparer.Ordinal);

    private static void AssertSame(string expected, string actual)
    {
        var a = Files(expected);
        var b = Files(actual);
        Assert.Equal(a.Keys, b.Keys);
        foreach (var (name, bytes) in a) Assert.True(bytes.AsSpan().SequenceEqual(b[name]), $"{name} differs after the faults");
    }

    /// <summary>Starts a sweep and kills it with SIGKILL after <paramref name="delay"/>, or as soon as it prints "done:" (report writing).</summary>
    private static bool KillDuring(string outDir, TimeSpan delay, bool atReport)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = MantissaProcess.RepoRoot };
        psi.ArgumentList.Add(MantissaProcess.Dll);
        foreach (var a in Args(outDir)) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        p.ErrorDataReceived += (_, _) => { };
        p.BeginErrorReadLine();
        var reportStarted = new ManualResetEventSlim();
        p.OutputDataReceived += (_, e) => { if (e.Data?.StartsWith("done:", StringComparison.Ordinal) == true) reportStarted.Set(); };
        p.BeginOutputReadLine();
        if (atReport) reportStarted.Wait(TimeSpan.FromSeconds(120));
        else Thread.Sleep(delay);
        bool killed = !p.HasExited;
        if (killed) p.Kill(entireProcessTree: true); // SIGKILL on Unix
        p.WaitForExit();
        return killed;
    }

    [Fact]
    public void KillNineDuringTheSweepAndDuringReportWritingLosesNothing()
    {
        string reference = Reference();
        var rng = new Random(14);
        int kills = 0;
        for (int trial = 0; trial < 3; trial++)
        {
            string dir = Path.Combine(_dir, $"killed-{trial}");
            // first kills land at random moments of the evaluation; the last one in the report phase
            for (int k = 0; k < 2; k++)
                if (KillDuring(dir, TimeSpan.FromMilliseconds(rng.Next(300, 2500)), atReport: trial == 2 && k == 1)) kills++;
            var r = MantissaProcess.Run(Args(dir));
            Assert.True(r.ExitCode == 0, r.Stderr + r.Stdout);
            AssertSame(reference, dir);
        }
        Assert.True(kills >= 2, $"only {kills} runs were killed before finishing; the machine is too fast for these delays");
    }

    [Fact]
    public void AFullDiskIsACleanErrorAndTheRerunIsIdentical()
    {
        if (!File.Exists("/dev/full")) return; // Linux only: writes to /dev/full fail with ENOSPC
        string reference = Reference();
        string dir = Path.Combine(_dir, "full");
        Directory.CreateDirectory(dir);
        // the report is written after every row: a full disk there must keep points.csv and fail cleanly
        string points = Path.Combine(dir, "index.html");
        File.CreateSymbolicLink(points, "/dev/full");
        var r = MantissaProcess.Run(Args(dir));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error: ", r.Stderr);
        Assert.Contains("No space left on device", r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
        Assert.Equal(File.ReadAllBytes(Path.Combine(reference, "points.csv")), File.ReadAllBytes(Path.Combine(dir, "points.csv")));
        File.Delete(points);
        var again = MantissaProcess.Run(Args(dir));
        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        AssertSame(reference, dir);
    }

    [Fact]
    public void AReadOnlyFolderIsACleanErrorAndTheRerunIsIdentical()
    {
        string reference = Reference();
        string dir = Path.Combine(_dir, "readonly");
        Directory.CreateDirectory(dir);
        // root ignores permission bits; a regular file where the plots folder belongs is read-only for everyone
        string blocker = Path.Combine(dir, "plots");
        bool root = Environment.UserName == "root";
        if (root) File.WriteAllText(blocker, "");
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        var r = MantissaProcess.Run(Args(dir));
        Assert.Equal(1, r.ExitCode);
        Assert.Contains("error: ", r.Stderr);
        Assert.Contains(dir, r.Stderr);
        Assert.DoesNotContain("internal error", r.Stderr);
        if (root) File.Delete(blocker);
        else if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var again = MantissaProcess.Run(Args(dir));
        Assert.True(again.ExitCode == 0, again.Stderr + again.Stdout);
        AssertSame(reference, dir);
    }
}
