using System.Text.Json;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Tests;

public class CliPolishTests
{
    private static string Tpu => Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "tpu-int8.yaml");

    [Theory]
    [InlineData("--version")]
    [InlineData("-V")]
    [InlineData("version")]
    public void VersionFlagPrintsTheVersion(string flag)
    {
        var (code, output, _) = CliTests.Run(flag);
        Assert.Equal(0, code);
        Assert.Matches(@"^mantissa \d+\.\d+\.\d+ on \.NET \d+", output);
    }

    [Theory]
    [InlineData("cost", "TPU", "--json")]
    [InlineData("simulate", "TPU", "--gemm", "64,64,64", "--json")]
    [InlineData("workload", "show", "gpt2", "--seq", "16", "--json")]
    [InlineData("quant", "gaussian", "--format", "int8", "--count", "4096", "--json")]
    [InlineData("verify", "--pe", "int_mac", "--count", "2", "--json")]
    public void EveryJsonOutputStartsWithItsSchemaVersion(params string[] args)
    {
        var (code, output, err) = CliTests.Run(args.Select(a => a == "TPU" ? Tpu : a).ToArray());
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var first = doc.RootElement.EnumerateObject().First();
        Assert.Equal("schema_version", first.Name);
        Assert.Equal(1, first.Value.GetInt32());
    }

    [Fact]
    public void VerifyJsonCountsTheSameCasesAsTheTable()
    {
        var (code, text, _) = CliTests.Run("verify", "--pe", "int_mac", "--count", "3");
        var (jcode, json, _) = CliTests.Run("verify", "--pe", "int_mac", "--count", "3", "--json");
        Assert.Equal(0, code);
        Assert.Equal(0, jcode);
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        long cases = root.GetProperty("cases").GetInt64();
        int checks = root.GetProperty("checks").GetInt32();
        Assert.Contains($"{checks} checks, {cases} cases, 0 mismatches", text);
        Assert.Equal(checks, root.GetProperty("results").GetArrayLength());
        Assert.All(root.GetProperty("results").EnumerateArray(), r =>
        {
            Assert.Equal("int_mac", r.GetProperty("pe").GetString());
            Assert.Equal("random", r.GetProperty("check").GetString());
            Assert.Equal(3, r.GetProperty("cases").GetInt64());
            Assert.Equal(JsonValueKind.Null, r.GetProperty("first_mismatch").ValueKind);
        });
    }

    [Fact]
    public void BenchJsonHasBothWorkloadsAndBothRates()
    {
        var (code, output, err) = CliTests.Run("bench", Tpu, "--iterations", "1", "--seconds", "0.2", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(1, root.GetProperty("schema_version").GetInt32());
        var workloads = root.GetProperty("workloads").EnumerateArray().ToList();
        Assert.Equal(2, workloads.Count);
        Assert.All(workloads, w => Assert.True(w.GetProperty("wall_ms").GetDouble() > 0));
        Assert.All(workloads, w => Assert.True(w.GetProperty("operators").GetInt32() > 100));
        var rates = root.GetProperty("rates").EnumerateArray().ToList();
        Assert.Equal(2, rates.Count);
        Assert.All(rates, r => Assert.True(r.GetProperty("points").GetInt64() > 0 && r.GetProperty("per_wall_second").GetDouble() > 0));
        Assert.False(root.TryGetProperty("layer_mapping", out _)); // no arch-configs/ in the test's directory
    }

    [Fact]
    public void BenchTimesEveryDistinctLayerOfTheDesignsFolder()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mantissa-bench-designs-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(Tpu, Path.Combine(dir, "tpu-int8.yaml"));
            var (code, output, err) = CliTests.Run("bench", Tpu, "--iterations", "1", "--seconds", "0.05", "--designs", dir, "--json");
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            var layers = doc.RootElement.GetProperty("layer_mapping");
            Assert.Equal(1, layers.GetProperty("designs").GetInt32());
            // llama-2-7b decode (q/k/v/o, gate/up, down, scores, context, lm_head shapes), its prefill and resnet50's convolutions
            Assert.True(layers.GetProperty("layers").GetInt32() > 20);
            double median = layers.GetProperty("median_cpu_ms").GetDouble(), max = layers.GetProperty("max_cpu_ms").GetDouble();
            Assert.True(median > 0 && median <= layers.GetProperty("p90_cpu_ms").GetDouble() && layers.GetProperty("p90_cpu_ms").GetDouble() <= max);
            Assert.StartsWith("tpu-int8 M=", layers.GetProperty("slowest").GetString());
            Assert.Equal(2, layers.GetProperty("target_median_ms").GetDouble());

            var (missing, _, missingErr) = CliTests.Run("bench", Tpu, "--designs", Path.Combine(dir, "absent"));
            Assert.Equal(2, missing);
            Assert.Contains("option --designs: folder", missingErr);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void CycleCountsAreWholeNumbers()
    {
        // a DRAM-bound GEMV on the TPU takes a fractional number of cycles in the model; outputs round it
        string dir = Path.Combine(Path.GetTempPath(), "mantissa-cycles-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (code, output, err) = CliTests.Run("simulate", Tpu, "--gemm", "1,4096,11008", "--json", "--out", dir);
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            foreach (var key in new[] { "cycles", "compute_cycles", "stall_cycles" })
            {
                double v = doc.RootElement.GetProperty(key).GetDouble();
                Assert.Equal(Math.Floor(v), v);
            }
            Assert.True(doc.RootElement.GetProperty("stall_cycles").GetDouble() > 0);
            var lines = File.ReadAllLines(Path.Combine(dir, "layers.csv"));
            var header = lines[0].Split(',');
            var row = lines[1].Split(',');
            foreach (var key in new[] { "cycles", "compute_cycles", "stall_cycles" })
                Assert.DoesNotContain(".", row[Array.IndexOf(header, key)]);
        }
        finally
        {
            if (Directory.Exists(dir)) Directory.Delete(dir, true);
        }
    }

    [Theory]
    [InlineData(0.0, "0")]
    [InlineData(0.4321, "0.432")]
    [InlineData(3.14159, "3.14")]
    [InlineData(42.42, "42.4")]
    [InlineData(1234.4, "1,234")]
    public void RatesKeepThreeSignificantDigits(double v, string expected) => Assert.Equal(expected, RateText.Of(v));
}
