using System.Text.Json;

namespace Mantissa.Explorer.Tests;

public class WorkloadCommandTests
{
    [Fact]
    public void Show_json_has_totals_and_layers()
    {
        var (code, stdout, stderr) = CliTests.Run("workload", "show", "llama-2-7b", "--phase", "decode", "--precision", "w4a16g128", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var root = doc.RootElement;
        Assert.Equal(6_738_415_616L, root.GetProperty("parameters").GetInt64());
        Assert.Equal("decode", root.GetProperty("phase").GetString());
        Assert.Equal(2048, root.GetProperty("kv").GetInt32());
        // 4-bit weights with one fp16 scale per 128: 4.125 bits for the 6.48 B quantised parameters, fp16 for the rest.
        double wb = root.GetProperty("weight_bytes").GetDouble();
        Assert.InRange(wb, 3.86e9, 3.87e9);
        var layers = root.GetProperty("layers");
        var down = layers.EnumerateArray().Single(l => l.GetProperty("name").GetString() == "model.layers.3.mlp.down_proj");
        Assert.Equal("gemm", down.GetProperty("op").GetString());
        Assert.Equal("1x11008x4096", down.GetProperty("shape").GetString());
        Assert.Equal(4096L * 11008, down.GetProperty("macs").GetInt64());
        Assert.Equal(4096 * 11008 / 2.0 + 4096 * 86 * 2, down.GetProperty("weight_bytes").GetDouble());
        long sum = layers.EnumerateArray().Sum(l => l.GetProperty("macs").GetInt64());
        Assert.Equal(root.GetProperty("macs").GetInt64(), sum);
    }

    [Fact]
    public void Show_prints_totals_and_the_table_and_writes_csv_and_dot()
    {
        string dir = Path.Combine(Path.GetTempPath(), $"mantissa-wl-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        try
        {
            string csv = Path.Combine(dir, "r.csv"), dot = Path.Combine(dir, "r.dot");
            var (code, stdout, stderr) = CliTests.Run("workload", "show", "resnet18", "--csv", csv, "--dot", dot);
            Assert.True(code == 0, stderr);
            Assert.Contains("parameters          11,689,512 (11.69 M)", stdout);
            Assert.Contains("MACs per pass       1,814,073,344", stdout);
            Assert.Contains("layer1.0.conv1", stdout);
            var lines = File.ReadAllLines(csv);
            Assert.Equal("name,op,shape,detail,macs,weight_params,weight_bytes,bytes_read,bytes_written,formats", lines[0]);
            Assert.StartsWith("conv1,conv2d,12544x147x64,", lines[1]);
            Assert.StartsWith("digraph", File.ReadAllText(dot));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Layers_glob_filters_the_table_but_not_the_totals()
    {
        var (code, stdout, stderr) = CliTests.Run("workload", "show", "gpt2", "--seq", "64", "--layers", "*.mlp.c_fc", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        var layers = doc.RootElement.GetProperty("layers").EnumerateArray().ToList();
        Assert.Equal(12, layers.Count);
        Assert.All(layers, l => Assert.EndsWith(".mlp.c_fc", l.GetProperty("name").GetString()));
        Assert.Equal(124_439_808L, doc.RootElement.GetProperty("parameters").GetInt64());
        Assert.Equal(64L * 768 * 3072, layers[0].GetProperty("macs").GetInt64());
    }

    [Fact]
    public void List_names_models_and_presets()
    {
        var (code, stdout, _) = CliTests.Run("workload", "list");
        Assert.Equal(0, code);
        Assert.Contains("mixtral-8x7b", stdout);
        Assert.Contains("w4a16g128", stdout);
    }

    [Fact]
    public void Bad_input_gives_errors_not_stack_traces()
    {
        var (code, _, err) = CliTests.Run("workload", "show", "llama-7b");
        Assert.Equal(1, code);
        Assert.StartsWith("error: unknown model 'llama-7b'", err);
        (code, _, err) = CliTests.Run("workload", "show", "gpt2", "--phase", "decoding");
        Assert.Equal(2, code);
        Assert.Contains("--phase expects one of prefill, decode", err);
        (code, _, err) = CliTests.Run("workload", "shwo", "gpt2");
        Assert.Equal(2, code);
        Assert.Contains("did you mean 'show'", err);
        (code, _, err) = CliTests.Run("workload", "show", "resnet50", "--phase", "decode");
        Assert.Equal(1, code);
        Assert.Contains("no decode phase", err);
    }

    [Fact]
    public void Kv_past_the_model_limit_is_an_error_and_causal_halves_attention()
    {
        var (code, _, stderr) = CliTests.Run("workload", "show", "llama-2-7b", "--phase", "decode", "--kv", "999999999");
        Assert.Equal(1, code);
        Assert.Contains("error: --kv 999999999 exceeds llama-2-7b's max_position_embeddings = 4096", stderr);
        var (c2, dense, e2) = CliTests.Run("workload", "show", "llama-2-7b", "--seq", "1024", "--layers", "*.0.self_attn.qk", "--json");
        var (c3, causal, e3) = CliTests.Run("workload", "show", "llama-2-7b", "--seq", "1024", "--causal", "--layers", "*.0.self_attn.qk", "--json");
        Assert.True(c2 == 0 && c3 == 0, e2 + e3);
        long Macs(string json) => JsonDocument.Parse(json).RootElement.GetProperty("layers")[0].GetProperty("macs").GetInt64();
        Assert.Equal(32L * 1024 * 1024 * 128, Macs(dense));
        Assert.Equal(32L * (1024L * 1025 / 2) * 128, Macs(causal));
        Assert.True(JsonDocument.Parse(causal).RootElement.GetProperty("causal").GetBoolean());
        Assert.False(JsonDocument.Parse(dense).RootElement.GetProperty("causal").GetBoolean());
        var (_, table, _) = CliTests.Run("workload", "show", "llama-2-7b", "--seq", "1024", "--causal", "--layers", "lm_head");
        Assert.StartsWith("llama-2-7b  prefill  batch 1  seq 1024  kv 1024  causal  precision fp16", table);
    }
    [Fact]
    public void Name_option_renames_the_model_in_the_report()
    {
        var (code, stdout, stderr) = CliTests.Run("workload", "show", "gpt2", "--seq", "8", "--name", "my-gpt", "--json");
        Assert.True(code == 0, stderr);
        using var doc = JsonDocument.Parse(stdout);
        Assert.Equal("my-gpt", doc.RootElement.GetProperty("model").GetString());
    }
}
