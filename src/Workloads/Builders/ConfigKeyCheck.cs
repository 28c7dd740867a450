namespace Mantissa.Workloads;

/// <summary>
/// Config keys that change a model's compute or memory. A config that sets one its family does not model is an
/// error naming the key, so nothing is dropped silently (a gemma2 config relabelled <c>llama</c> keeps its
/// sliding-window and soft-capping keys and fails instead of losing them).
/// </summary>
internal static class ConfigKeyCheck
{
    private static readonly Dictionary<string, string> Effects = new()
    {
        ["num_local_experts"] = "mixture-of-experts layers", ["num_experts"] = "mixture-of-experts layers",
        ["n_routed_experts"] = "mixture-of-experts layers", ["num_experts_per_tok"] = "routed experts per token",
        ["moe_intermediate_size"] = "expert width", ["shared_expert_intermediate_size"] = "shared experts",
        ["n_shared_experts"] = "shared experts", ["first_k_dense_replace"] = "which layers are MoE",
        ["moe_layer_freq"] = "which layers are MoE", ["decoder_sparse_step"] = "which layers are MoE",
        ["mlp_only_layers"] = "which layers are MoE",
        ["q_lora_rank"] = "multi-head latent attention", ["kv_lora_rank"] = "multi-head latent attention",
        ["qk_nope_head_dim"] = "multi-head latent attention", ["qk_rope_head_dim"] = "multi-head latent attention",
        ["v_head_dim"] = "multi-head latent attention",
        ["sliding_window"] = "sliding-window attention", ["use_sliding_window"] = "sliding-window attention",
        ["max_window_layers"] = "sliding-window attention", ["layer_types"] = "per-layer attention kinds",
        ["sliding_window_pattern"] = "sliding-window attention", ["_sliding_window_pattern"] = "sliding-window attention",
        ["attn_logit_softcapping"] = "attention logit soft-capping", ["final_logit_softcapping"] = "output logit soft-capping",
        ["attention_bias"] = "attention projection biases", ["mlp_bias"] = "MLP biases", ["head_dim"] = "attention head width",
        ["partial_rotary_factor"] = "rotary embedding work", ["use_qk_norm"] = "query/key norms",
        ["attention_chunk_size"] = "chunked attention", ["no_rope_layers"] = "per-layer position encoding",
        ["cross_attention_layers"] = "cross-attention layers", ["num_nextn_predict_layers"] = "multi-token prediction layers",
        ["quantization_config"] = "stored weight formats",
        ["vision_config"] = "a vision tower", ["audio_config"] = "an audio tower", ["text_config"] = "a nested language model",
    };

    private static readonly string[] Sliding = { "sliding_window", "use_sliding_window", "max_window_layers", "layer_types" };
    private static readonly string[] QwenMoe = { "num_experts", "num_experts_per_tok", "moe_intermediate_size", "decoder_sparse_step", "mlp_only_layers" };
    private static readonly string[] DeepSeek =
    {
        "n_routed_experts", "num_experts_per_tok", "moe_intermediate_size", "n_shared_experts", "first_k_dense_replace",
        "moe_layer_freq", "q_lora_rank", "kv_lora_rank", "qk_nope_head_dim", "qk_rope_head_dim", "v_head_dim",
    };

    /// <summary>The compute keys each family models.</summary>
    private static string[] Modelled(LlmFamily family) => family switch
    {
        LlmFamily.Llama => new[] { "head_dim", "attention_bias", "mlp_bias" },
        LlmFamily.Mistral => new[] { "head_dim", "sliding_window" },
        LlmFamily.Mixtral => new[] { "head_dim", "sliding_window", "num_local_experts", "num_experts_per_tok" },
        LlmFamily.Qwen2 => Sliding.Append("head_dim").ToArray(),
        LlmFamily.Qwen3 => Sliding.Concat(new[] { "head_dim", "attention_bias" }).ToArray(),
        LlmFamily.Qwen2Moe => Sliding.Concat(QwenMoe).Concat(new[] { "head_dim", "shared_expert_intermediate_size" }).ToArray(),
        LlmFamily.Qwen3Moe => Sliding.Concat(QwenMoe).Concat(new[] { "head_dim", "attention_bias" }).ToArray(),
        LlmFamily.Phi3 => new[] { "sliding_window", "partial_rotary_factor" },
        LlmFamily.Gemma2 => new[] { "head_dim", "sliding_window", "layer_types", "attn_logit_softcapping", "final_logit_softcapping", "attention_bias" },
        LlmFamily.Gemma3Text => new[]
        {
            "head_dim", "sliding_window", "sliding_window_pattern", "_sliding_window_pattern", "layer_types",
            "attn_logit_softcapping", "final_logit_softcapping", "attention_bias",
        },
        LlmFamily.DeepseekV2 => DeepSeek,
        // The multi-token-prediction module is a speculative-decoding extra: transformers does not build it and the
        // published 671B total excludes its 14B, so it is deliberately not counted (docs/workload.md says so).
        LlmFamily.DeepseekV3 => DeepSeek.Append("num_nextn_predict_layers").ToArray(),
        _ => Array.Empty<string>(),
    };

    /// <summary>Adds a problem for every compute key <paramref name="r"/> sets that <paramref name="family"/> does not model.</summary>
    public static void Check(ConfigReader r, LlmFamily family)
    {
        var modelled = Modelled(family);
        foreach (var (key, effect) in Effects)
        {
            if (!r.IsSet(key) || modelled.Contains(key)) continue;
            string advice = key switch
            {
                "quantization_config" => "; formats come from --precision only: delete the key and pass a preset or recipe YAML with the checkpoint's formats",
                "vision_config" or "audio_config" or "text_config" => "; model the language model alone from its text_config saved as a config.json",
                _ => "",
            };
            r.Problems.Add($"key '{key}': changes {effect}, which is not modelled for model_type '{family.ModelType()}'{advice}");
        }
    }
}
