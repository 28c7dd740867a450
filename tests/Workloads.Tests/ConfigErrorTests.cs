using Mantissa.Arch;

namespace Mantissa.Workloads.Tests;

public class ConfigErrorTests
{
    private const string Good = """
        { "model_type": "llama", "hidden_size": 256, "num_hidden_layers": 2, "num_attention_heads": 8,
          "num_key_value_heads": 2, "intermediate_size": 512, "vocab_size": 1000 }
        """;

    private static MantissaException Bad(string json) => Assert.Throws<MantissaException>(() => LlmConfig.Parse(json, "my/config.json"));

    [Fact]
    public void A_minimal_llama_config_builds_and_counts_by_hand()
    {
        var c = LlmConfig.Parse(Good, "my/config.json");
        Assert.Equal(32, c.HeadDim);
        var path = Path.Combine(Path.GetTempPath(), $"mantissa-cfg-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, Good);
        try
        {
            var w = WorkloadCatalog.Build(path, new WorkloadOptions(Phase.Decode, Kv: 10));
            // embed 1000*256, per layer: q,o 256*256, k,v 256*64, mlp 3*256*512, 2 norms of 256; final norm; lm_head 1000*256.
            long perLayer = 2 * 256 * 256 + 2 * 256 * 64 + 3 * 256 * 512 + 2 * 256;
            Assert.Equal(1000 * 256 * 2 + 2 * perLayer + 256, w.Parameters);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Qwen2_config_with_qkv_bias_matches_the_published_0_5B()
    {
        // Qwen/Qwen2-0.5B config.json; the model card lists 0.49B parameters (494,032,768 in the checkpoint).
        const string qwen = """
            { "model_type": "qwen2", "hidden_size": 896, "intermediate_size": 4864, "num_attention_heads": 14,
              "num_hidden_layers": 24, "num_key_value_heads": 2, "vocab_size": 151936, "max_position_embeddings": 131072,
              "hidden_act": "silu", "tie_word_embeddings": true, "sliding_window": 131072, "use_sliding_window": false }
            """;
        var path = Path.Combine(Path.GetTempPath(), $"mantissa-qwen-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, qwen);
        try
        {
            var w = WorkloadCatalog.Build(path, new WorkloadOptions(Phase.Decode, Kv: 64));
            Assert.Equal(494_032_768L, w.Parameters);
            Assert.Contains(w.Graph["model.layers.0.self_attn.k_proj"].Inputs, t => t.Name == "model.layers.0.self_attn.k_proj.bias");
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void A_checkpoint_directory_with_a_config_json_builds()
    {
        var dir = Path.Combine(Path.GetTempPath(), $"mantissa-ckpt-{Guid.NewGuid():N}");
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, "config.json"), Good);
        try { Assert.Equal(2, WorkloadCatalog.Build(dir, new WorkloadOptions(Phase.Decode, Kv: 8)).Graph.Operators.Count(o => o.Kind == OpKind.AttentionScores)); }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void Missing_keys_are_all_named()
    {
        var e = Bad("""{ "model_type": "llama", "hidden_size": 256 }""");
        Assert.Contains("my/config.json", e.Message);
        Assert.Contains("missing key 'num_hidden_layers'", e.Message);
        Assert.Contains("missing key 'num_attention_heads'", e.Message);
        Assert.Contains("missing key 'intermediate_size'", e.Message);
        Assert.Contains("missing key 'vocab_size'", e.Message);
    }

    [Fact]
    public void Zero_heads_is_rejected()
    {
        var e = Bad(Good.Replace("\"num_attention_heads\": 8", "\"num_attention_heads\": 0"));
        Assert.Contains("key 'num_attention_heads': must be a positive integer, got 0", e.Message);
    }

    [Fact]
    public void Heads_must_divide_hidden_size()
    {
        var e = Bad(Good.Replace("\"num_attention_heads\": 8", "\"num_attention_heads\": 6").Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"));
        Assert.Contains("6 heads do not divide hidden_size = 256", e.Message);
    }

    [Fact]
    public void Kv_heads_must_divide_heads()
    {
        var e = Bad(Good.Replace("\"num_key_value_heads\": 2", "\"num_key_value_heads\": 3"));
        Assert.Contains("key 'num_key_value_heads': 3 must divide num_attention_heads = 8", e.Message);
    }

    [Fact]
    public void Unsupported_model_type_and_wrong_types_are_explained()
    {
        Assert.Contains("unsupported model type 'bloom'", Bad("""{ "model_type": "bloom" }""").Message);
        Assert.Contains("key 'hidden_size': expected an integer, got \"256\"", Bad(Good.Replace("256,", "\"256\",")).Message);
        Assert.Contains("missing key 'model_type'", Bad("{}").Message);
    }

    [Fact]
    public void Invalid_json_reports_the_line()
    {
        var e = Bad("{\n  \"model_type\": \"llama\",\n  \"hidden_size\": ,\n}");
        Assert.StartsWith("my/config.json:3:", e.Message);
    }

    [Fact]
    public void Unknown_model_names_suggest_the_nearest()
    {
        var e = Assert.Throws<MantissaException>(() => WorkloadCatalog.Build("llama-2-7", new WorkloadOptions()));
        Assert.Contains("did you mean 'llama-2-7b'", e.Message);
    }

    [Fact]
    public void Learned_positions_bound_the_context()
    {
        var e = Assert.Throws<MantissaException>(() => WorkloadCatalog.Build("gpt2", new WorkloadOptions(Phase.Decode, Kv: 4096)));
        Assert.Contains("1024", e.Message);
    }
}
