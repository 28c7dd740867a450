namespace Mantissa.Workloads;

/// <summary>
/// Reads the llama-like families' config.json keys (llama, mistral, mixtral, qwen2/3 and their MoE variants, phi3,
/// gemma2/3, deepseek_v2/v3) into an <see cref="LlmConfig"/>, following the transformers model definitions: which
/// layers use sliding windows or experts, which projections carry biases, and the MLA dimensions.
/// </summary>
internal static class LlmFamilies
{
    public static LlmConfig Parse(ConfigReader r, LlmFamily type)
    {
        int hidden = r.Int("hidden_size"), layers = r.Int("num_hidden_layers"), heads = r.Int("num_attention_heads");
        bool deepseek = type.IsDeepseek();
        bool gemma = type.IsGemma();
        bool qwen = type.IsQwen();
        int kv = deepseek ? heads : r.OptInt("num_key_value_heads") ?? heads;
        bool routedOnly = type.IsMoe() && type != LlmFamily.Mixtral;
        int inter = routedOnly ? r.OptInt("intermediate_size") ?? 0 : r.Int("intermediate_size");
        int vocab = r.Int("vocab_size");
        int? declaredMax = r.OptInt("max_position_embeddings");
        int? headDim = deepseek ? null : r.OptInt("head_dim", allowNull: true);
        bool tie = r.OptBool("tie_word_embeddings") ?? gemma;
        string act = (gemma ? r.OptStr("hidden_activation") : null) ?? r.OptStr("hidden_act") ?? (gemma ? "gelu_pytorch_tanh" : "silu");
        bool attnBias = r.OptBool("attention_bias") ?? false;

        int experts = 0, topk = 0, moeInter = 0, shared = 0;
        bool[]? moeLayers = null;
        switch (type)
        {
            case LlmFamily.Mixtral:
                experts = r.Int("num_local_experts");
                topk = r.Int("num_experts_per_tok");
                moeInter = inter;
                break;
            case LlmFamily.Qwen2Moe or LlmFamily.Qwen3Moe:
                experts = r.Int("num_experts");
                topk = r.Int("num_experts_per_tok");
                moeInter = r.Int("moe_intermediate_size");
                if (type == LlmFamily.Qwen2Moe) shared = r.OptInt("shared_expert_intermediate_size") ?? 0;
                int step = r.OptInt("decoder_sparse_step") ?? 1;
                var only = LayerList(r, "mlp_only_layers", layers);
                if (step < 1) r.Problems.Add($"key 'decoder_sparse_step': must be a positive integer, got {step}");
                else moeLayers = Enumerable.Range(0, Math.Max(0, layers)).Select(i => !only.Contains(i) && (i + 1) % step == 0).ToArray();
                break;
            case LlmFamily.DeepseekV2 or LlmFamily.DeepseekV3:
                experts = r.OptInt("n_routed_experts", allowNull: true) ?? 0;
                if (experts > 0)
                {
                    topk = r.Int("num_experts_per_tok");
                    moeInter = r.Int("moe_intermediate_size");
                    shared = (r.OptInt("n_shared_experts", allowNull: true) ?? 0) * moeInter;
                    int firstDense = r.OptInt("first_k_dense_replace") ?? 0, freq = r.OptInt("moe_layer_freq") ?? 1;
                    if (freq < 1) r.Problems.Add($"key 'moe_layer_freq': must be a positive integer, got {freq}");
                    else moeLayers = Enumerable.Range(0, Math.Max(0, layers)).Select(i => i >= firstDense && i % freq == 0).ToArray();
                }
                break;
        }

        var (window, sliding) = Windows(r, type, layers);
        MlaDims? mla = null;
        if (deepseek)
        {
            mla = new MlaDims(r.OptInt("q_lora_rank", allowNull: true), r.Int("kv_lora_rank"), r.Int("qk_nope_head_dim"),
                              r.Int("qk_rope_head_dim"), r.Int("v_head_dim"));
            foreach (var (key, v) in new[] { ("kv_lora_rank", mla.KvLoraRank), ("qk_nope_head_dim", mla.NopeDim), ("qk_rope_head_dim", mla.RopeDim), ("v_head_dim", mla.VDim), ("q_lora_rank", mla.QLoraRank ?? 1) })
                if (v <= 0 && !r.Problems.Any(x => x.Contains($"'{key}'"))) r.Problems.Add($"key '{key}': must be a positive integer, got {v}");
        }
        double rotary = type == LlmFamily.Phi3 ? r.OptDouble("partial_rotary_factor") ?? 1.0 : 1.0;
        if (rotary is <= 0 or > 1) r.Problems.Add($"key 'partial_rotary_factor': must be in (0, 1], got {rotary}");
        if (experts > 0 || type.IsMoe() && !deepseek)
        {
            string ek = type switch { LlmFamily.Mixtral => "num_local_experts", LlmFamily.DeepseekV2 or LlmFamily.DeepseekV3 => "n_routed_experts", _ => "num_experts" };
            if (experts <= 0 && !r.Problems.Any(x => x.Contains($"'{ek}'"))) r.Problems.Add($"key '{ek}': must be a positive integer, got {experts}");
            if (topk <= 0 && !r.Problems.Any(x => x.Contains("'num_experts_per_tok'"))) r.Problems.Add($"key 'num_experts_per_tok': must be a positive integer, got {topk}");
            if (experts > 0 && topk > experts) r.Problems.Add($"key 'num_experts_per_tok': {topk} exceeds {ek} = {experts}");
            if (moeInter <= 0 && type != LlmFamily.Mixtral && !r.Problems.Any(x => x.Contains("'moe_intermediate_size'")))
                r.Problems.Add($"key 'moe_intermediate_size': must be a positive integer, got {moeInter}");
        }
        if (shared < 0) r.Problems.Add($"key '{(deepseek ? "n_shared_experts" : "shared_expert_intermediate_size")}': must not be negative");

        var c = new LlmConfig(type, hidden, layers, heads, kv, 0, inter, vocab, declaredMax ?? 2048, tie, act, experts, topk, window,
                              DeclaresMaxPositions: declaredMax is not null)
        {
            MoeIntermediate = moeInter,
            SharedIntermediate = Math.Max(0, shared),
            MoeLayers = moeLayers,
            SlidingLayers = sliding,
            QkNorm = type is LlmFamily.Qwen3 or LlmFamily.Qwen3Moe or LlmFamily.Gemma3Text,
            SandwichNorm = gemma,
            AttnSoftcap = gemma ? r.OptDouble("attn_logit_softcapping") : null,
            FinalSoftcap = gemma ? r.OptDouble("final_logit_softcapping") : null,
            QkvBias = type is LlmFamily.Qwen2 or LlmFamily.Qwen2Moe || attnBias,
            OutBias = attnBias,
            MlpBias = type == LlmFamily.Llama && (r.OptBool("mlp_bias") ?? false),
            RotaryFraction = rotary,
            Mla = mla,
            RouterBias = type == LlmFamily.DeepseekV3,
        };
        return LlmConfig.Validate(r, c, headDim);
    }

    /// <summary>The sliding window and which layers use it, from <c>layer_types</c> or each family's own keys.</summary>
    private static (int? Window, bool[]? Sliding) Windows(ConfigReader r, LlmFamily type, int layers)
    {
        bool[]? sliding = null;
        int? window;
        switch (type)
        {
            case LlmFamily.Mistral or LlmFamily.Mixtral or LlmFamily.Phi3:
                return (r.OptInt("sliding_window", allowNull: true), null);
            case LlmFamily.Qwen2 or LlmFamily.Qwen3 or LlmFamily.Qwen2Moe or LlmFamily.Qwen3Moe:
                window = r.OptBool("use_sliding_window") == true ? r.OptInt("sliding_window", allowNull: true) : null;
                if (window is not null)
                {
                    // transformers: a layer slides when use_sliding_window and its index >= max_window_layers.
                    int? full = r.OptInt("max_window_layers");
                    if (full is null) r.Problems.Add("missing key 'max_window_layers' (an integer): use_sliding_window is true, and the first max_window_layers layers attend fully");
                    else sliding = Enumerable.Range(0, Math.Max(0, layers)).Select(i => i >= full).ToArray();
                }
                break;
            case LlmFamily.Gemma2:
                window = r.Int("sliding_window");
                sliding = Enumerable.Range(0, Math.Max(0, layers)).Select(i => i % 2 == 0).ToArray();
                break;
            case LlmFamily.Gemma3Text:
                window = r.Int("sliding_window");
                int? pattern = r.OptInt("sliding_window_pattern") ?? r.OptInt("_sliding_window_pattern");
                if (pattern is { } pt && pt >= 1)
                    sliding = Enumerable.Range(0, Math.Max(0, layers)).Select(i => (i + 1) % pt != 0).ToArray();
                else if (pattern is { } bad) r.Problems.Add($"key 'sliding_window_pattern': must be a positive integer, got {bad}");
                else if (r.OptStrList("layer_types") is null)
                    r.Problems.Add("missing key 'sliding_window_pattern' (an integer; every Nth layer attends globally) or 'layer_types'");
                break;
            default:
                return (null, null);
        }
        if (r.OptStrList("layer_types") is { } types)
        {
            if (types.Count != layers) r.Problems.Add($"key 'layer_types': lists {types.Count} layers, but num_hidden_layers = {layers}");
            else if (types.FirstOrDefault(t => t is not ("sliding_attention" or "full_attention")) is { } odd)
                r.Problems.Add($"key 'layer_types': '{odd}' is not modelled; expected sliding_attention or full_attention");
            else sliding = types.Select(t => t == "sliding_attention").ToArray();
            if (sliding is not null && sliding.Contains(true) && window is null)
                window = r.OptInt("sliding_window", allowNull: true) ?? Missing(r);
        }
        return (window, sliding);
    }

    private static int? Missing(ConfigReader r)
    {
        r.Problems.Add("key 'sliding_window': layer_types has sliding_attention layers but no window is given");
        return null;
    }

    private static HashSet<int> LayerList(ConfigReader r, string key, int layers)
    {
        var list = r.OptIntList(key) ?? new List<int>();
        foreach (var i in list.Where(i => i < 0 || i >= layers))
            r.Problems.Add($"key '{key}': layer {i} is outside 0..{layers - 1}");
        return list.ToHashSet();
    }
}
