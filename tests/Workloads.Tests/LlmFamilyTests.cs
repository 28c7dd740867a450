using Mantissa.Arch;

namespace Mantissa.Workloads.Tests;

/// <summary>
/// The phi3, gemma2, gemma3, qwen2_moe, qwen3, qwen3_moe and deepseek_v2/v3 families from config.json files written
/// from the public checkpoints' values (tests/Workloads.Tests/Configs), checked against the parameter totals their
/// model cards and papers publish, with the structure each family adds.
/// </summary>
public class LlmFamilyTests
{
    internal static string ConfigDir(string name) => Path.Combine(AppContext.BaseDirectory, "Configs", name);

    private static Workload Build(string name, Phase phase = Phase.Decode, int kv = 4096, int batch = 1) =>
        WorkloadCatalog.Build(ConfigDir(name), new WorkloadOptions(phase, batch, phase == Phase.Prefill ? 512 : null, kv));

    private static void Near(double expected, double actual, double relTol) =>
        Assert.True(Math.Abs(actual - expected) <= relTol * expected, $"expected {expected:N0} ±{relTol:P1}, got {actual:N0}");

    /// <summary>Parameters of the input embedding table and of an untied lm_head.</summary>
    private static (long Embed, long Head) Embeddings(Workload w) =>
        (w.StoredWeights.Single(t => t.Name == "model.embed_tokens.weight").Elements,
         w.StoredWeights.SingleOrDefault(t => t.Name == "lm_head.weight")?.Elements ?? 0);

    private static Operator Op(Workload w, string name) => w.Graph[name];

    [Fact]
    public void Phi3_mini_has_3_8B_parameters_with_fused_qkv_and_gate_up_named_as_in_the_checkpoint()
    {
        // Phi-3 technical report (Abdin et al. 2024): phi-3-mini has 3.8B parameters; the checkpoint holds 3.82B.
        var w = Build("phi-3-mini-4k-instruct");
        Near(3.82e9, w.Parameters, 0.001);
        Assert.Equal(3_821_079_552L, w.Parameters);
        var qkv = Op(w, "model.layers.0.self_attn.qkv_proj");
        Assert.Equal((3072L, 3 * 3072L), (qkv.Gemm!.K, qkv.Gemm.N));
        var gu = Op(w, "model.layers.31.mlp.gate_up_proj");
        Assert.Equal(2 * 8192L, gu.Gemm!.N);
        Assert.DoesNotContain(w.Graph.Operators, o => o.Name.EndsWith(".q_proj") || o.Name.EndsWith(".gate_proj"));
        // sliding_window 2047 caps every layer's cache.
        Assert.Equal(new long[] { 1, 32, 2047, 96 }, Op(w, "model.layers.5.self_attn.k_cache_append").Outputs[0].Shape);
    }

    [Fact]
    public void Gemma2_9B_reproduces_the_published_embedding_and_non_embedding_counts()
    {
        // Gemma 2 technical report (Gemma Team 2024), parameter-count table: 9B = 917,504,000 embedding
        // + 8,324,201,984 non-embedding parameters (tied lm_head).
        var w = Build("gemma-2-9b");
        var (embed, head) = Embeddings(w);
        Assert.Equal(917_504_000L, embed);
        Assert.Equal(0, head);
        Assert.Equal(8_324_201_984L, w.Parameters - embed);
        Assert.NotNull(w.Graph["model.layers.0.pre_feedforward_layernorm"]);
        Assert.NotNull(w.Graph["model.layers.0.post_feedforward_layernorm"]);
    }

    [Fact]
    public void Gemma2_alternates_sliding_and_global_attention_per_layer_and_soft_caps_logits()
    {
        var w = Build("gemma-2-9b", kv: 8192);
        // transformers' Gemma2: even layers slide over 4096 tokens, odd layers attend globally.
        Assert.Equal(new long[] { 1, 8, 4096, 256 }, Op(w, "model.layers.0.self_attn.k_cache_append").Outputs[0].Shape);
        Assert.Equal(new long[] { 1, 8, 8192, 256 }, Op(w, "model.layers.1.self_attn.k_cache_append").Outputs[0].Shape);
        Assert.Equal(16L * 256 * 4096, Op(w, "model.layers.0.self_attn.qk").Macs);
        Assert.Equal(16L * 256 * 8192, Op(w, "model.layers.1.self_attn.qk").Macs);
        // tanh soft-capping: 3 operations per score and per logit.
        Assert.Equal(3L * 16 * 4096, Op(w, "model.layers.0.self_attn.softcap").VectorOps);
        Assert.Equal(3L * 256000, Op(w, "lm_head.softcap").VectorOps);
        Assert.Equal(TensorRole.Output, Op(w, "lm_head.softcap").Outputs[0].Role);
    }

    [Fact]
    public void Gemma3_1B_matches_the_published_split_and_attends_globally_every_sixth_layer()
    {
        // Gemma 3 technical report (Gemma Team 2025), Table 1: 1B = 302M embedding + 698M non-embedding parameters.
        var w = Build("gemma-3-1b-pt", kv: 2048);
        var (embed, _) = Embeddings(w);
        Near(302e6, embed, 0.002);
        Near(698e6, w.Parameters - embed, 0.002);
        Assert.Equal(999_885_952L, w.Parameters);
        long Cached(int layer) => Op(w, $"model.layers.{layer}.self_attn.k_cache_append").Outputs[0].Shape[2];
        // sliding_window_pattern 6: layers 5, 11, 17, 23 are global, the rest see 512 tokens.
        var global = Enumerable.Range(0, 26).Where(i => Cached(i) == 2048).ToArray();
        Assert.Equal(new[] { 5, 11, 17, 23 }, global);
        Assert.All(Enumerable.Range(0, 26).Except(global), i => Assert.Equal(512, Cached(i)));
        // per-head q/k RMSNorm over head_dim 256
        Assert.Equal(256, Op(w, "model.layers.0.self_attn.q_norm").Weights.Single().Elements);
    }

    [Fact]
    public void Qwen15_MoE_A2_7B_has_14_3B_total_2_7B_active_with_a_gated_shared_expert()
    {
        // Qwen/Qwen1.5-MoE-A2.7B model card: 14.3B parameters in total and 2.7B activated.
        var w = Build("qwen1.5-moe-a2.7b", kv: 1024);
        Near(14.3e9, w.Parameters, 0.002);
        Near(2.7e9, w.ActiveParameters, 0.005);
        Assert.Equal(5632L, Op(w, "model.layers.0.mlp.shared_expert.gate_proj").Gemm!.N);
        Assert.Equal(1L, Op(w, "model.layers.0.mlp.shared_expert_gate").Gemm!.N);
        Assert.NotNull(w.Graph["model.layers.0.mlp.shared_expert_mul"]);
        // decode at batch 1 routes 4 token slots: 4 of 60 experts run.
        Assert.Equal(4, w.Graph.Operators.Count(o => o.Name.StartsWith("model.layers.0.mlp.experts.") && o.Name.EndsWith(".down_proj")));
        Assert.NotNull(w.Graph["model.layers.0.self_attn.q_proj"].Inputs.SingleOrDefault(t => t.Name.EndsWith(".bias")));
    }

    [Fact]
    public void Qwen3_8B_has_8_2B_parameters_6_95B_non_embedding_and_per_head_qk_norms()
    {
        // Qwen/Qwen3-8B model card: 8.2B parameters, 6.95B non-embedding.
        var w = Build("qwen3-8b");
        var (embed, head) = Embeddings(w);
        Near(8.2e9, w.Parameters, 0.002);
        Near(6.95e9, w.Parameters - embed - head, 0.001);
        Assert.Equal(128, Op(w, "model.layers.0.self_attn.k_norm").Weights.Single().Elements);
        Assert.Equal(new long[] { 1, 1, 8, 128 }, Op(w, "model.layers.0.self_attn.k_norm").Outputs[0].Shape);
    }

    [Fact]
    public void Qwen3_30B_A3B_has_30_5B_total_3_3B_active_and_no_shared_expert()
    {
        // Qwen/Qwen3-30B-A3B model card: 30.5B total, 3.3B activated, 29.9B non-embedding.
        var w = Build("qwen3-30b-a3b");
        var (embed, head) = Embeddings(w);
        Near(30.5e9, w.Parameters, 0.002);
        Near(3.3e9, w.ActiveParameters, 0.02);
        Near(29.9e9, w.Parameters - embed - head, 0.002);
        Assert.DoesNotContain(w.Graph.Operators, o => o.Name.Contains("shared_expert"));
        Assert.Equal(8, w.Graph.Operators.Count(o => o.Name.StartsWith("model.layers.47.mlp.experts.") && o.Name.EndsWith(".down_proj")));
    }

    [Fact]
    public void DeepSeek_V2_Lite_has_15_7B_total_2_4B_activated_and_a_dense_first_layer()
    {
        // deepseek-ai/DeepSeek-V2-Lite model card: 15.7B total, 2.4B activated. DeepSeek's activated count leaves out the
        // input embedding table (a lookup reads one row per token): ours is 2.66B with it, 2.45B without (+2 %).
        var w = Build("deepseek-v2-lite");
        var (embed, _) = Embeddings(w);
        Near(15.7e9, w.Parameters, 0.002);
        Near(2.4e9, w.ActiveParameters - embed, 0.025);
        Assert.Equal(10944L, Op(w, "model.layers.0.mlp.gate_proj").Gemm!.N);
        Assert.Equal(2L * 1408, Op(w, "model.layers.1.mlp.shared_experts.gate_proj").Gemm!.N);
        Assert.Equal(6, w.Graph.Operators.Count(o => o.Name.StartsWith("model.layers.1.mlp.experts.") && o.Name.EndsWith(".down_proj")));
        // q_lora_rank null: one q_proj of 16 heads x (128 + 64)
        Assert.Equal(16L * 192, Op(w, "model.layers.0.self_attn.q_proj").Gemm!.N);
    }

    [Fact]
    public void DeepSeek_V3_has_671B_total_37B_activated_three_dense_layers_and_router_bias()
    {
        // DeepSeek-V3 technical report (DeepSeek-AI 2024): 671B total, 37B activated per token (the 14B multi-token
        // prediction module is not part of the 671B and is not counted). Activated without the input embedding: 36.6B.
        var w = Build("deepseek-v3", kv: 1024);
        var (embed, _) = Embeddings(w);
        Near(671e9, w.Parameters, 0.001);
        Near(37e9, w.ActiveParameters - embed, 0.015);
        Assert.All(new[] { 0, 1, 2 }, i => Assert.Equal(18432L, Op(w, $"model.layers.{i}.mlp.gate_proj").Gemm!.N));
        Assert.Equal(256, Op(w, "model.layers.3.mlp.router").Inputs.Single(t => t.Name.EndsWith("e_score_correction_bias")).Elements);
        Assert.Equal(1536L, Op(w, "model.layers.0.self_attn.q_a_proj").Gemm!.N);
        Assert.Equal(128L * 192, Op(w, "model.layers.0.self_attn.q_b_proj").Gemm!.N);
    }

    [Fact]
    public void Mla_caches_one_latent_and_one_rope_key_per_token_per_layer()
    {
        // DeepSeek-V2 (Liu et al. 2024), Table 1: MLA caches (d_c + d_h^R) = 512 + 64 elements per token per layer.
        var w = Build("deepseek-v2-lite", kv: 4096);
        long cached = w.Graph.Operators.Where(o => o.Kind == OpKind.KvAppend).Sum(o => o.Outputs[0].Elements);
        Assert.Equal(27L * 4096 * (512 + 64), cached);
        // Decode attends in the latent space (absorbed): 16 heads x (512 + 64) x 4096 score MACs, 16 x 512 x 4096 for P·V.
        Assert.Equal(16L * 512 * 4096, Op(w, "model.layers.0.self_attn.qk_latent").Macs);
        Assert.Equal(16L * 64 * 4096, Op(w, "model.layers.0.self_attn.qk_rope").Macs);
        Assert.Equal(16L * 4096 * 512, Op(w, "model.layers.0.self_attn.pv_latent").Macs);
        Assert.Equal(16, Op(w, "model.layers.0.self_attn.qk_latent").Gemm!.RightSharedBy);
        // the absorbed blocks of kv_b_proj: W_UK (128 -> 512) and W_UV (512 -> 128) per head, each half of the weight
        Assert.Equal(16L * 128 * 512, Op(w, "model.layers.0.self_attn.q_absorb").Macs);
        Assert.Equal(16L * 512 * 128, Op(w, "model.layers.0.self_attn.v_absorb").Macs);
        Assert.Equal(16L * 256 * 512 * 2, w.Graph.Weights.Single(t => t.Name == "model.layers.0.self_attn.kv_b_proj.weight").Bytes);
    }

    [Fact]
    public void Mla_prefill_decompresses_the_latents_and_attends_per_head()
    {
        var w = Build("deepseek-v2-lite", Phase.Prefill, kv: 512);
        Assert.Equal(512L * 512 * 16 * 256, Op(w, "model.layers.0.self_attn.kv_b_proj").Macs);
        Assert.Equal(16L * 512 * 128 * 512, Op(w, "model.layers.0.self_attn.qk_nope").Macs);
        Assert.Equal(16L * 512 * 64 * 512, Op(w, "model.layers.0.self_attn.qk_rope").Macs);
        Assert.Equal(16L * 512 * 512 * 128, Op(w, "model.layers.0.self_attn.pv").Macs);
    }

    private static MantissaException Bad(string json) => Assert.Throws<MantissaException>(() => LlmConfig.Parse(json, "c.json"));

    private static string With(string family, string extra) =>
        File.ReadAllText(Path.Combine(ConfigDir(family), "config.json")).TrimEnd().TrimEnd('}') + ", " + extra + " }";

    [Theory]
    [InlineData("phi-3-mini-4k-instruct", "\"attention_bias\": true", "key 'attention_bias': changes attention projection biases, which is not modelled for model_type 'phi3'")]
    [InlineData("gemma-2-9b", "\"num_experts\": 8", "key 'num_experts': changes mixture-of-experts layers, which is not modelled for model_type 'gemma2'")]
    [InlineData("gemma-3-1b-pt", "\"quantization_config\": {\"quant_method\": \"gptq\"}", "key 'quantization_config': changes stored weight formats, which is not modelled for model_type 'gemma3_text'; formats come from --precision only")]
    [InlineData("qwen1.5-moe-a2.7b", "\"n_shared_experts\": 2", "key 'n_shared_experts': changes shared experts, which is not modelled for model_type 'qwen2_moe'")]
    [InlineData("qwen3-8b", "\"mlp_only_layers\": [1]", "key 'mlp_only_layers': changes which layers are MoE, which is not modelled for model_type 'qwen3'")]
    [InlineData("qwen3-30b-a3b", "\"shared_expert_intermediate_size\": 4096", "key 'shared_expert_intermediate_size': changes shared experts, which is not modelled for model_type 'qwen3_moe'")]
    [InlineData("deepseek-v2-lite", "\"num_nextn_predict_layers\": 1", "key 'num_nextn_predict_layers': changes multi-token prediction layers, which is not modelled for model_type 'deepseek_v2'")]
    [InlineData("deepseek-v3", "\"sliding_window\": 4096", "key 'sliding_window': changes sliding-window attention, which is not modelled for model_type 'deepseek_v3'")]
    public void A_compute_key_the_family_does_not_model_is_an_error_naming_it(string family, string extra, string message)
    {
        Assert.Contains(message, Bad(With(family, extra)).Message);
    }

    [Fact]
    public void A_gemma2_config_relabelled_llama_fails_instead_of_losing_its_local_attention()
    {
        var e = Bad(With("gemma-2-9b", "\"x\": 0").Replace("\"gemma2\"", "\"llama\""));
        Assert.Contains("key 'sliding_window': changes sliding-window attention, which is not modelled for model_type 'llama'", e.Message);
        Assert.Contains("key 'attn_logit_softcapping'", e.Message);
        Assert.Contains("key 'final_logit_softcapping'", e.Message);
    }

    [Fact]
    public void Multimodal_gemma3_and_unknown_layer_types_are_named()
    {
        Assert.Contains("'gemma3' is the multimodal Gemma 3 (its vision_config", Bad("""{"model_type": "gemma3", "text_config": {}, "vision_config": {}}""").Message);
        var types = string.Join(", ", Enumerable.Repeat("\"full_attention\"", 35).Append("\"linear_attention\""));
        Assert.Contains("key 'layer_types': 'linear_attention' is not modelled", Bad(With("qwen3-8b", $"\"layer_types\": [{types}]")).Message);
        Assert.Contains("key 'layer_types': lists 2 layers, but num_hidden_layers = 36",
            Bad(With("qwen3-8b", "\"layer_types\": [\"full_attention\", \"full_attention\"]")).Message);
        Assert.Contains("missing key 'max_window_layers'",
            Bad(With("qwen3-8b", "\"x\": 0").Replace("\"use_sliding_window\": false", "\"use_sliding_window\": true").Replace("\"sliding_window\": null", "\"sliding_window\": 4096").Replace("\"max_window_layers\": 36,", "")).Message);
    }

    [Fact]
    public void Qwen_sliding_window_applies_from_max_window_layers_on()
    {
        var json = With("qwen3-8b", "\"x\": 0").Replace("\"use_sliding_window\": false", "\"use_sliding_window\": true")
                                               .Replace("\"sliding_window\": null", "\"sliding_window\": 1024").Replace("\"max_window_layers\": 36", "\"max_window_layers\": 30");
        var c = LlmConfig.Parse(json, "c.json");
        Assert.Null(c.WindowOf(29));
        Assert.Equal(1024, c.WindowOf(30));
    }
}
