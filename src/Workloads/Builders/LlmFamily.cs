namespace Mantissa.Workloads;

/// <summary>The decoder-only model families the config.json builder reads, one per Hugging Face <c>model_type</c>.</summary>
public enum LlmFamily
{
    Llama, Mistral, Qwen2, Mixtral, Opt, Gpt2, Phi3, Gemma2, Gemma3Text, Qwen2Moe, Qwen3, Qwen3Moe, DeepseekV2, DeepseekV3,
}

/// <summary>The one name table of <see cref="LlmFamily"/> (its <c>model_type</c> spelling) and the traits families share.</summary>
public static class LlmFamilyNames
{
    private static readonly (LlmFamily Family, string ModelType)[] Table =
    {
        (LlmFamily.Llama, "llama"), (LlmFamily.Mistral, "mistral"), (LlmFamily.Qwen2, "qwen2"), (LlmFamily.Mixtral, "mixtral"),
        (LlmFamily.Opt, "opt"), (LlmFamily.Gpt2, "gpt2"), (LlmFamily.Phi3, "phi3"), (LlmFamily.Gemma2, "gemma2"),
        (LlmFamily.Gemma3Text, "gemma3_text"), (LlmFamily.Qwen2Moe, "qwen2_moe"), (LlmFamily.Qwen3, "qwen3"),
        (LlmFamily.Qwen3Moe, "qwen3_moe"), (LlmFamily.DeepseekV2, "deepseek_v2"), (LlmFamily.DeepseekV3, "deepseek_v3"),
    };

    /// <summary>Every supported <c>model_type</c>, in the order error messages list them.</summary>
    public static IReadOnlyList<string> ModelTypes { get; } = Table.Select(t => t.ModelType).ToArray();

    /// <summary>The config.json <c>model_type</c> of <paramref name="f"/>.</summary>
    public static string ModelType(this LlmFamily f) => Table[Array.FindIndex(Table, t => t.Family == f)].ModelType;

    /// <summary>The family whose <c>model_type</c> is <paramref name="modelType"/> (exact, case-sensitive as transformers is).</summary>
    public static bool TryParse(string modelType, out LlmFamily family)
    {
        int i = Array.FindIndex(Table, t => t.ModelType == modelType);
        family = i >= 0 ? Table[i].Family : default;
        return i >= 0;
    }

    /// <summary>GPT-2 and OPT: learned positions, ungated MLP and their own config keys.</summary>
    public static bool IsGpt2OrOpt(this LlmFamily f) => f is LlmFamily.Gpt2 or LlmFamily.Opt;

    /// <summary>Gemma 2 and 3: sandwich norms, soft-capping, <c>hidden_activation</c>.</summary>
    public static bool IsGemma(this LlmFamily f) => f is LlmFamily.Gemma2 or LlmFamily.Gemma3Text;

    /// <summary>Qwen 2 and 3, dense and mixture-of-experts.</summary>
    public static bool IsQwen(this LlmFamily f) => f is LlmFamily.Qwen2 or LlmFamily.Qwen3 or LlmFamily.Qwen2Moe or LlmFamily.Qwen3Moe;

    /// <summary>DeepSeek V2 and V3: multi-head latent attention.</summary>
    public static bool IsDeepseek(this LlmFamily f) => f is LlmFamily.DeepseekV2 or LlmFamily.DeepseekV3;

    /// <summary>Families whose configs declare routed experts.</summary>
    public static bool IsMoe(this LlmFamily f) =>
        f is LlmFamily.Mixtral or LlmFamily.Qwen2Moe or LlmFamily.Qwen3Moe or LlmFamily.DeepseekV2 or LlmFamily.DeepseekV3;
}
