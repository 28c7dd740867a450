using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

public class SweepBundledTests
{
    internal static string RepoRoot()
    {
        var d = new DirectoryInfo(AppContext.BaseDirectory);
        while (d is not null && !File.Exists(Path.Combine(d.FullName, "Sim.sln"))) d = d.Parent;
        return d?.FullName ?? throw new InvalidOperationException("Sim.sln not found above the test binaries");
    }

    [Theory]
    [InlineData("quickstart.yaml", 18)]
    [InlineData("pe-shootout.yaml", 9)]
    [InlineData("fpga-u280.yaml", 4 * 3 * 5 * 3)]
    [InlineData("formats.yaml", 14)]
    [InlineData("bench-gemm-clock-64k.yaml", 256 * 256)]
    [InlineData("bench-gemm-16k.yaml", 4 * 64 * 64)]
    [InlineData("bench-llama-4k.yaml", 4 * 32 * 32)]
    public void BundledSweepsPassTheArchitectureAndWorkloadChecks(string file, int designs)
    {
        var spec = SweepParser.Load(Path.Combine(RepoRoot(), "arch-configs", "sweeps", file), ModelChecks.Validation);
        Assert.Equal(designs, PointGenerator.Grid(new DesignSpace(spec)).Count);
        Assert.True(File.Exists(spec.BaseFile));
    }

    [Fact]
    public void MisspelledSetPathsAreSweepErrorsWithTheLoadersSuggestion()
    {
        using var dir = new TempSweepDir();
        File.Copy(Path.Combine(RepoRoot(), "arch-configs", "tpu-int8.yaml"), dir.Sub("tpu.yaml"));
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep("""
            base: tpu.yaml
            parameters:
              array.rowz: [16, 32]
              pe.kind: [int_mac, lut]
            workloads: [{model: llama-2-7b, phase: decode}, {model: gemm-8x64x64}]
            objectives: {latency_s: min}
            """), ModelChecks.Validation));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal((3L, "parameters.array.rowz"), (d.Line, d.Key));
        Assert.Contains("did you mean 'rows'", d.Message);

        var e2 = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep("""
            base: tpu.yaml
            parameters: {array.rows: [16]}
            workloads: [{model: lama-2-7b, phase: decode}]
            objectives: {latency_s: min}
            """), ModelChecks.Validation));
        Assert.Contains("did you mean 'llama-2-7b'", Assert.Single(e2.Diagnostics).Message);
    }

    [Fact]
    public void AMisspelledKeyInsideASweptSubTreeIsASweepError()
    {
        using var dir = new TempSweepDir();
        File.Copy(Path.Combine(RepoRoot(), "arch-configs", "sweeps", "edge-npu.yaml"), dir.Sub("edge.yaml"));
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep("""
            base: edge.yaml
            parameters:
              pe:
                - {kind: fp_mac, weights: fp16, activations: fp16, accumulator: fp32}
                - {kind: int_mac, weights: int8, activations: int8, accumulator: int32, dot_widht: 2}
            workloads: [{model: gemm-8x64x64}]
            objectives: {latency_s: min}
            """), ModelChecks.Validation));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal((5L, "parameters.pe"), (d.Line, d.Key));
        Assert.Contains("unknown key 'dot_widht'; did you mean 'dot_width'?", d.Message);
    }

    [Theory]
    [InlineData("gemm-0x8x8")]
    [InlineData("gemm-99999999999999999999x1x1")]
    [InlineData("gemm-2147483648x1x1")]
    public void AGemmWorkloadOutsideTheDimensionRangeIsASweepError(string model)
    {
        using var dir = new TempSweepDir();
        File.Copy(Path.Combine(RepoRoot(), "arch-configs", "tpu-int8.yaml"), dir.Sub("tpu.yaml"));
        var e = Assert.Throws<SweepFileException>(() => SweepParser.Load(dir.Sweep($$"""
            base: tpu.yaml
            parameters: {array.rows: [16]}
            workloads: [{model: {{model}}}]
            objectives: {latency_s: min}
            """), ModelChecks.Validation));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal(3L, d.Line);
        Assert.Equal($"GEMM '{model}': dimensions must be 1..2,147,483,647 (2^31 - 1) each", d.Message);
    }
}
