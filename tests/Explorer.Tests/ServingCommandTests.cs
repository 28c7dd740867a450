using System.Globalization;
using System.Text.Json;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary><c>simulate --serving</c> and the ttft_s / tpot_s / max_batch sweep metrics.</summary>
public class ServingCommandTests
{
    private static string Arch(string file) => Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", file);

    [Fact]
    public void Serving_prints_ttft_tpot_throughput_and_the_dram_fit()
    {
        var (code, stdout, stderr) = CliTests.Run("simulate", Arch("tpu-int8.yaml"), "llama-2-7b", "--precision", "w8a8", "--seq", "512", "--serving", "--top", "1");
        Assert.True(code == 0, stderr);
        Assert.Contains("Serving (batch 1, prompt 512 tokens, decode context 512 tokens):", stdout);
        Assert.Contains("TPOT (decode step)", stdout);
        Assert.Contains("weights 6.52 GiB + KV 0.25 GiB per sequence; DRAM 8 GiB -> max batch 5", stdout);

        (code, stdout, stderr) = CliTests.Run("simulate", Arch("tpu-int8.yaml"), "llama-2-7b", "--precision", "w8a8", "--seq", "512", "--batch", "2", "--serving", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var s = doc.RootElement.GetProperty("serving");
        Assert.Equal(2, s.GetProperty("batch").GetInt32());
        Assert.Equal(5, s.GetProperty("max_batch").GetInt64());
        Assert.Equal(doc.RootElement.GetProperty("latency_s").GetDouble(), s.GetProperty("ttft_s").GetDouble());
        Assert.Equal(2 / s.GetProperty("tpot_s").GetDouble(), s.GetProperty("decode_tokens_per_s").GetDouble(), 9);
    }

    [Fact]
    public void Serving_names_what_does_not_apply()
    {
        var (code, _, stderr) = CliTests.Run("simulate", Arch("tpu-int8.yaml"), "resnet18", "--serving");
        Assert.NotEqual(0, code);
        Assert.Contains("serving figures apply to LLMs", stderr);
        (code, _, stderr) = CliTests.Run("simulate", Arch("tpu-int8.yaml"), "--gemm", "8,8,8", "--serving");
        Assert.NotEqual(0, code);
        Assert.Contains("--serving applies to workloads", stderr);
    }

    [Fact]
    public void Sweep_rows_carry_ttft_for_prefill_tpot_for_decode_and_max_batch()
    {
        using var dir = new TempSweepDir();
        File.Copy(Arch("tpu-int8.yaml"), dir.Sub("tpu.yaml"));
        var spec = SweepParser.Load(dir.Sweep("""
            base: tpu.yaml
            parameters: {array.rows: [256]}
            workloads: [{model: gpt2, seq: 128, precision: w8a8}, {model: gpt2, phase: decode, kv: 128, precision: w8a8}, {model: gemm-8x8x8}]
            objectives: {tpot_s: min, max_batch: max}
            """), ModelChecks.Validation);
        var t = new SweepRunner(spec, new SimulatorEvaluator(spec), new SweepRunOptions(dir.Sub("out"), 1)).Run().Table;
        double Get(int row, string col) => double.Parse(t.Rows[row][t.Column(col)], CultureInfo.InvariantCulture);
        var rows = Enumerable.Range(0, t.Rows.Count).ToDictionary(i => t.Rows[i][t.Column("workload")]);
        int pre = rows["gpt2/prefill/b1/s128/w8a8"], dec = rows["gpt2/decode/b1/kv128/w8a8"], gemm = rows["gemm-8x8x8"];
        Assert.Equal(Get(pre, "latency_s"), Get(pre, "ttft_s"));
        Assert.Equal("", t.Rows[pre][t.Column("tpot_s")]);
        Assert.Equal(Get(dec, "latency_s"), Get(dec, "tpot_s"));
        // GPT-2 w8a8: 124 M int8 weights (fp16 embeddings) leave most of 8 GiB to 4.5 MiB-per-sequence caches.
        Assert.True(Get(dec, "max_batch") > 1000);
        Assert.Equal("", t.Rows[gemm][t.Column("max_batch")]);
    }
}
