using System.Reflection.PortableExecutable;
using System.Text.Json;

namespace Mantissa.Explorer.Tests;

/// <summary>
/// The runtime settings the CLI ships with were chosen by measurement (docs/sweep.md "Runtime settings measured"):
/// these tests fail when a csproj edit drops one of them from the shipped <c>mantissa.runtimeconfig.json</c>, or when the
/// Release output stops being ReadyToRun-compiled.
/// </summary>
public class RuntimeSettingsTests
{
    /// <summary>The runtimeconfig the build writes for the CLI, copied beside the test binaries with mantissa.dll.</summary>
    private static JsonElement ConfigProperties()
    {
        string path = Path.Combine(AppContext.BaseDirectory, "mantissa.runtimeconfig.json");
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        return doc.RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").Clone();
    }

    [Fact]
    public void TheCliShipsTheMeasuredTieringAndGcSettings()
    {
        var props = ConfigProperties();
        // 20 ms call-counting delay: whole sweeps 7-22 % less CPU than the runtime's 100 ms (3 December, docs/sweep.md)
        Assert.Equal(20, props.GetProperty("System.Runtime.TieredCompilation.CallCountingDelayMs").GetInt32());
        // TieredPGO off: its instrumented tier cost bench-gemm 4.2 CPU-s against 3.2 without
        Assert.False(props.GetProperty("System.Runtime.TieredPGO").GetBoolean());
        // workstation GC: server GC took 416-426 MB resident on the 16,384-point sweep for no CPU gain
        Assert.False(props.GetProperty("System.GC.Server").GetBoolean());
    }

#if !DEBUG
    [Fact]
    public void TheReleaseCliIsReadyToRunCompiled()
    {
        // the Release build publishes ReadyToRun images over its own output (csproj target ReadyToRunOutput): without
        // them `simulate` costs 0.67 CPU-s instead of 0.17. A ReadyToRun image carries a managed native header.
        foreach (string name in new[] { "mantissa.dll", "Mantissa.Sim.dll", "Mantissa.Arch.dll", "Mantissa.Workloads.dll" })
        {
            string path = Path.Combine(SweepBundledTests.RepoRoot(), "src", "Explorer", "bin", "Release", "net10.0", name);
            using var pe = new PEReader(File.OpenRead(path));
            Assert.True(pe.PEHeaders.CorHeader!.ManagedNativeHeaderDirectory.Size > 0, $"{name} in the Release output is not ReadyToRun-compiled");
        }
    }
#endif
}
