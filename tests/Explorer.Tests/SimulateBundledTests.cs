using System.Text.Json;

namespace Mantissa.Explorer.Tests;

/// <summary>The bundled designs simulate as the papers they reproduce describe their timing.</summary>
public class SimulateBundledTests
{
    private static string Arch(string file) => Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", file);

    private static JsonElement Json(params string[] args)
    {
        var (code, output, err) = CliTests.Run(new[] { "simulate" }.Concat(args).Append("--json").ToArray());
        Assert.True(code == 0, err);
        return JsonDocument.Parse(output).RootElement.Clone();
    }

    private static double DramCycles(JsonElement r, double bytesPerCycle)
    {
        var d = r.GetProperty("memory").GetProperty("dram");
        return (d.GetProperty("read_bytes").GetDouble() + d.GetProperty("write_bytes").GetDouble()) / bytesPerCycle;
    }

    [Theory]
    // BitMoD's simulator: per-layer cycles = max(compute, DRAM); DRAM moves 32 B/cycle
    [InlineData("fp16-baseline.yaml", 32.0)]
    [InlineData("bitmod.yaml", 32.0)]
    // TPU: the weight FIFO is double-buffered, so the weight stream overlaps compute (34 GB/s at 700 MHz)
    [InlineData("tpu-int8.yaml", 34e9 / 700e6)]
    public void GemvTakesTheLongerOfComputeAndDram(string file, double bytesPerCycle)
    {
        var r = Json(Arch(file), "--gemm", "1,4096,11008");
        double compute = r.GetProperty("compute_cycles").GetDouble(), dram = DramCycles(r, bytesPerCycle);
        double cycles = r.GetProperty("cycles").GetDouble();
        // reported cycles are whole (rounded to the nearest), the DRAM bound is bytes over bandwidth
        Assert.InRange(cycles, Math.Max(compute, dram) - 0.5, Math.Max(compute, dram) * 1.02);
    }

    [Fact]
    public void FlightLlmDecodeStreamsWeightsAtHbmSpeed()
    {
        // FlightLLM (FPGA'24) reports ~55 tokens/s for LLaMA2-7B decode on the U280; the HBM roofline of the
        // 3.86 GB of w4a8g128 weights at 460 GB/s is 8.4 ms. The ws fold reload of a SCALE-Sim array gave 0.31 tokens/s.
        var r = Json(Arch("flightllm-u280.yaml"), "llama-2-7b", "--phase", "decode", "--precision", "w4a8g128", "--kv", "128");
        double tokS = 1 / r.GetProperty("latency_s").GetDouble();
        Assert.InRange(tokS, 20, 119); // 74 tokens/s (34 without the 128-lane vector unit)
    }

    [Fact]
    public void DramShowsItsSingleBusBandwidth()
    {
        // 34 GB/s at 700 MHz = 48.57 B/cycle, shared by reads and writes (not 48.57/48.57, which read as 97 B/cycle)
        var (code, output, err) = CliTests.Run("simulate", Arch("tpu-int8.yaml"), "--gemm", "64,64,64");
        Assert.True(code == 0, err);
        var line = output.Split('\n').Single(l => l.TrimStart().StartsWith("dram ", StringComparison.Ordinal) && l.Contains("shared"));
        Assert.EndsWith(" 48.57 shared", line.TrimEnd());
    }
}
