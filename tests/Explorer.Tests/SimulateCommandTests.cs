using System.Text.Json;

namespace Mantissa.Explorer.Tests;

public class SimulateCommandTests
{
    // An int_mac systolic array whose memories never stall: huge buffers and bandwidths.
    private const string IdealArray = """
        name: ideal
        target: asic
        technology: {node_nm: 28, vdd: 0.9}
        clock_mhz: 1000
        pe: {kind: int_mac, weights: int8, activations: int8, accumulator: int32}
        array: {rows: 32, cols: 32, dataflow: os}
        memory:
          - {name: dram, kind: dram, type: hbm2, width_bits: 64, read_bw: 1000000, write_bw: 1000000, holds: [weights, inputs, outputs]}
          - {name: glb, kind: sram, capacity_mib: 64, width_bits: 64, read_bw: 1000000, write_bw: 1000000, holds: [weights, inputs, outputs], double_buffered: true}
        """;

    private static string WriteArch(string text)
    {
        string dir = Path.Combine(Path.GetTempPath(), "mantissa-sim-tests", Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        string path = Path.Combine(dir, "arch.yaml");
        File.WriteAllText(path, text);
        return path;
    }

    [Theory]
    // SCALE-Sim v2, os 32×32, 128×256×512: 4·16 folds × (256+32+32−2) − 1 = 20351
    [InlineData("os", 20351)]
    // ws: 8·16 folds × (2·32+32+128−2) − 1 = 28415
    [InlineData("ws", 28415)]
    // is: 8·4 folds × (2·32+32+512−2) − 1 = 19391
    [InlineData("is", 19391)]
    public void JsonComputeCyclesEqualScaleSimTotalCycles(string dataflow, long expected)
    {
        string arch = WriteArch(IdealArray);
        var (code, output, err) = CliTests.Run("simulate", arch, "--gemm", "128,256,512", "--set", $"array.dataflow={dataflow}", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal(expected, root.GetProperty("compute_cycles").GetDouble());
        Assert.Equal(0, root.GetProperty("stall_cycles").GetDouble(), 0);
        foreach (var key in new[] { "cycles", "utilization", "energy_pj", "area_mm2", "latency_s" })
            Assert.True(root.TryGetProperty(key, out _), key);
        var dram = root.GetProperty("memory").GetProperty("dram");
        // every tensor crosses DRAM once: (128·256 + 256·512) B read, 128·512 B written, 8-byte words
        Assert.Equal((128 * 256 + 256 * 512) / 8, dram.GetProperty("reads").GetInt64());
        Assert.Equal(128 * 512 / 8, dram.GetProperty("writes").GetInt64());
    }

    [Fact]
    public void SummaryJsonIsByteIdenticalAcrossRuns()
    {
        string arch = WriteArch(IdealArray.Replace("capacity_mib: 64", "capacity_kib: 64").Replace("read_bw: 1000000, write_bw: 1000000, holds: [weights, inputs, outputs]}\n  - {name: glb", "read_bw: 16, write_bw: 16, holds: [weights, inputs, outputs]}\n  - {name: glb"));
        string a = Path.Combine(Path.GetDirectoryName(arch)!, "a"), b = Path.Combine(Path.GetDirectoryName(arch)!, "b");
        Assert.Equal(0, CliTests.Run("simulate", arch, "--gemm", "300,700,500", "--out", a).code);
        Assert.Equal(0, CliTests.Run("simulate", arch, "--gemm", "300,700,500", "--out", b).code);
        Assert.Equal(File.ReadAllBytes(Path.Combine(a, "summary.json")), File.ReadAllBytes(Path.Combine(b, "summary.json")));
        var csv = File.ReadAllLines(Path.Combine(a, "layers.csv"));
        Assert.StartsWith("layer,kind,batch,m,k,n,macs,compute_cycles,cycles", csv[0]);
        Assert.Equal(2, csv.Length);
        Assert.StartsWith("gemm,gemm,1,300,700,500,105000000,", csv[1]);
    }

    [Fact]
    public void WorkloadRunReportsTokensAndTheTopLayers()
    {
        string arch = WriteArch(IdealArray);
        var (code, output, err) = CliTests.Run("simulate", arch, "gpt2", "--phase", "decode", "--kv", "128", "--top", "3");
        Assert.True(code == 0, err);
        Assert.Contains("tokens/s", output);
        Assert.Contains("Top 3 of", output);
        var (jcode, json, _) = CliTests.Run("simulate", arch, "gpt2", "--phase", "decode", "--kv", "128", "--json");
        Assert.Equal(0, jcode);
        using var doc = JsonDocument.Parse(json);
        Assert.True(doc.RootElement.GetProperty("tokens_per_s").GetDouble() > 0);
        Assert.Equal("decode", doc.RootElement.GetProperty("phase").GetString());
    }

    [Fact]
    public void ShowMappingPrintsTheLoopNest()
    {
        string arch = WriteArch(IdealArray);
        var (code, output, _) = CliTests.Run("simulate", arch, "--gemm", "64,64,64", "--show-mapping", "gemm");
        Assert.Equal(0, code);
        Assert.Contains("Mapping of gemm:", output);
        Assert.Contains("array os [fold M=32 K=1 N=32]", output);
    }

    [Theory]
    [InlineData("--gemm", "1,2")]
    [InlineData("--gemm", "0,2,3")]
    [InlineData("--objective", "speed")]
    public void BadOptionsAreUsageErrors(string option, string value)
    {
        string arch = WriteArch(IdealArray);
        var (code, _, err) = CliTests.Run("simulate", arch, "--gemm", "8,8,8", option, value);
        Assert.Equal(2, code);
        Assert.StartsWith("error: ", err);
    }

    [Fact]
    public void WorkloadAndGemmTogetherIsAUsageError()
    {
        var (code, _, err) = CliTests.Run("simulate", WriteArch(IdealArray), "gpt2", "--gemm", "8,8,8");
        Assert.Equal(2, code);
        Assert.Contains("not both", err);
    }

    [Fact]
    public void AnUnknownLayerIsReportedBeforeSimulating()
    {
        // fp16 on the int8 array cannot be simulated (exit 1): the misspelt layer must be caught first (exit 2)
        var (code, _, err) = CliTests.Run("simulate", WriteArch(IdealArray), "gpt2", "--precision", "fp16", "--show-mapping", "transformer.h.0.attn.c_atn");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'transformer.h.0.attn.c_attn'", err);
    }

    [Fact]
    public void UnknownLayerSuggestsTheNearest()
    {
        var (code, _, err) = CliTests.Run("simulate", WriteArch(IdealArray), "--gemm", "8,8,8", "--show-mapping", "gem");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'gemm'", err);
    }

    [Fact]
    public void BadSetIsAnErrorNamingTheKey()
    {
        var (code, _, err) = CliTests.Run("simulate", WriteArch(IdealArray), "--gemm", "8,8,8", "--set", "array.rows=-3");
        Assert.NotEqual(0, code);
        Assert.Contains("rows", err);
        Assert.DoesNotContain("   at ", err);
    }

    [Fact]
    public void CausalFlagHalvesAttentionMacsAndIsRefusedWithGemm()
    {
        string arch = WriteArch(IdealArray);
        long Macs(params string[] extra)
        {
            var (code, output, err) = CliTests.Run(new[] { "simulate", arch, "gpt2", "--seq", "256", "--precision", "w8a8", "--json" }.Concat(extra).ToArray());
            Assert.True(code == 0, err);
            using var doc = JsonDocument.Parse(output);
            return doc.RootElement.GetProperty("macs").GetInt64();
        }
        // gpt2: 12 layers × 2 GEMMs × 12 heads × 64 × (256² − 256·257/2) masked products
        Assert.Equal(12L * 2 * 12 * 64 * (256L * 256 - 256L * 257 / 2), Macs() - Macs("--causal"));
        var (c, _, e) = CliTests.Run("simulate", arch, "--gemm", "64,64,64", "--causal");
        Assert.Equal(2, c);
        Assert.Contains("--causal applies to workloads", e);
    }

    [Fact]
    public void Fusion_is_reported_and_no_fusion_simulates_layer_by_layer()
    {
        string arch = Path.Combine(SweepBundledTests.RepoRoot(), "arch-configs", "tpu-int8.yaml");
        JsonElement Fusion(params string[] extra)
        {
            var (code, output, err) = CliTests.Run(new[] { "simulate", arch, "resnet18", "--json" }.Concat(extra).ToArray());
            Assert.True(code == 0, err);
            return JsonDocument.Parse(output).RootElement.GetProperty("fusion").Clone();
        }
        var on = Fusion();
        var off = Fusion("--no-fusion");
        Assert.True(on.GetProperty("enabled").GetBoolean());
        Assert.Equal("unified_buffer", on.GetProperty("level").GetString());
        Assert.False(off.GetProperty("enabled").GetBoolean());
        Assert.Equal(0, off.GetProperty("groups").GetArrayLength());
        double unfused = off.GetProperty("dram_bytes").GetDouble();
        Assert.Equal(unfused, off.GetProperty("dram_bytes_unfused").GetDouble());
        Assert.Equal(unfused, on.GetProperty("dram_bytes_unfused").GetDouble());
        Assert.True(on.GetProperty("dram_bytes").GetDouble() < unfused);
        var g = on.GetProperty("groups")[0];
        Assert.Equal("conv1", g.GetProperty("first").GetString());
        Assert.Equal("fc", g.GetProperty("last").GetString());
        Assert.True(g.GetProperty("dram_bytes").GetDouble() >= g.GetProperty("compulsory_dram_bytes").GetDouble());

        var (c, text, e) = CliTests.Run("simulate", arch, "resnet18");
        Assert.True(c == 0, e);
        Assert.Contains("Layer fusion: on (activations kept in unified_buffer, 24 MiB)", text);
        Assert.Contains("fused groups by DRAM bytes saved", text);
        (c, text, e) = CliTests.Run("simulate", arch, "resnet18", "--no-fusion");
        Assert.Contains("Layer fusion: off", text);
        (c, _, e) = CliTests.Run("simulate", arch, "--gemm", "64,64,64", "--no-fusion");
        Assert.Equal(2, c);
        Assert.Contains("--no-fusion applies to workloads", e);
    }
}
