using System.Diagnostics;

namespace Mantissa.Robustness.Tests;

/// <summary>What one run of the mantissa CLI did: exit code (null when it was killed for taking too long) and its output.</summary>
internal sealed record RunResult(int? ExitCode, string Stdout, string Stderr, TimeSpan Elapsed);

/// <summary>Runs the built mantissa.dll as a separate process, with a wall-time limit and a managed-heap limit.</summary>
internal static class MantissaProcess
{
    /// <summary>Managed heap cap of every run (DOTNET_GCHeapHardLimit): an input that allocates without bound fails here, not on the machine.</summary>
    public const long HeapLimitBytes = 1L << 30;

    public static readonly TimeSpan TimeLimit = TimeSpan.FromSeconds(60);

    public static string RepoRoot { get; } = FindRoot();

    /// <summary>The CLI built by the same configuration as this test assembly (the project reference builds it first).</summary>
    public static string Dll { get; } = FindDll();

    private static string FindRoot()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Sim.sln"))) return d.FullName;
        throw new InvalidOperationException("Sim.sln not found above " + AppContext.BaseDirectory);
    }

    private static string FindDll()
    {
        // The test output folder holds mantissa.dll (project reference) but its runtimeconfig only when copied;
        // the Explorer project's own output always has both.
        string config = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}") ? "Release" : "Debug";
        string own = Path.Combine(RepoRoot, "src", "Explorer", "bin", config, "net10.0", "mantissa.dll");
        if (File.Exists(own)) return own;
        string local = Path.Combine(AppContext.BaseDirectory, "mantissa.dll");
        if (File.Exists(local) && File.Exists(Path.Combine(AppContext.BaseDirectory, "mantissa.runtimeconfig.json"))) return local;
        throw new InvalidOperationException($"mantissa.dll not found at {own}; build src/Explorer first");
    }

    public static RunResult Run(IReadOnlyList<string> args, string? stdin = null, string? workDir = null, TimeSpan? limit = null)
    {
        var psi = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workDir ?? RepoRoot,
        };
        psi.ArgumentList.Add(Dll);
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["DOTNET_GCHeapHardLimit"] = "0x" + HeapLimitBytes.ToString("X");
        psi.Environment["DOTNET_gcServer"] = "0";
        psi.Environment["DOTNET_TieredPGO"] = "0";
        psi.Environment.Remove("MANTISSA_DEBUG");
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try
        {
            if (stdin is not null) p.StandardInput.Write(stdin);
            p.StandardInput.Close();
        }
        catch (IOException) { } // the process may exit before reading its input
        bool exited = p.WaitForExit(limit ?? TimeLimit);
        if (!exited)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            p.WaitForExit();
        }
        else p.WaitForExit();
        return new RunResult(exited ? p.ExitCode : null, stdout.Result, stderr.Result, clock.Elapsed);
    }
}
