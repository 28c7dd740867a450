using System.Text.Json;
using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>Multi-head latent attention (DeepSeek-V2/V3): low-rank q and kv projections and the rotary part of each head.</summary>
public sealed record MlaDims(int? QLoraRank, int KvLoraRank, int NopeDim, int RopeDim, int VDim)
{
    /// <summary>Width of one query/key head: the position-free part plus the rotary part.</summary>
    public int QkDim => NopeDim + RopeDim;
}

/// <summary>Decoder-only LLM hyperparameters normalised from a Hugging Face <c>config.json</c>.</summary>
public sealed record LlmConfig(
    LlmFamily Family,
    int Hidden,
    int Layers,
    int Heads,
    int KvHeads,
    int HeadDim,
    int Intermediate,
    int Vocab,
    int MaxPositions,
    bool TieEmbeddings,
    string HiddenAct,
    int Experts = 0,
    int ExpertsPerToken = 0,
    int? SlidingWindow = null,
    int WordEmbedProjDim = 0,
    bool DeclaresMaxPositions = true)
{
    /// <summary>The config's <c>_name_or_path</c> (hub id or local path the checkpoint was saved from), if any.</summary>
    public string? NameOrPath { get; init; }

    /// <summary>Width of one routed expert's FFN (Mixtral: <see cref="Intermediate"/>; others: <c>moe_intermediate_size</c>).</summary>
    public int MoeIntermediate { get; init; }

    /// <summary>Total FFN width of the always-active shared experts (0: none).</summary>
    public int SharedIntermediate { get; init; }

    /// <summary>Which layers use the routed experts (null: every layer when <see cref="Experts"/> &gt; 0).</summary>
    public bool[]? MoeLayers { get; init; }

    /// <summary>Which layers attend within <see cref="SlidingWindow"/> (null: every layer when a window is set).</summary>
    public bool[]? SlidingLayers { get; init; }

    /// <summary>RMSNorm over each query and key head before attention (qwen3, gemma3).</summary>
    public bool QkNorm { get; init; }

    /// <summary>Gemma's four norms per layer: the attention and MLP outputs are normalised again before the residual add.</summary>
    public bool SandwichNorm { get; init; }

    /// <summary>tanh soft-capping of attention scores (gemma2), or null.</summary>
    public double? AttnSoftcap { get; init; }

    /// <summary>tanh soft-capping of the output logits (gemma2), or null.</summary>
    public double? FinalSoftcap { get; init; }

    /// <summary>Biases on the q/k/v projections (qwen2 always; llama's <c>attention_bias</c>).</summary>
    public bool QkvBias { get; init; }

    /// <summary>Bias on the attention output projection (llama's <c>attention_bias</c>).</summary>
    public bool OutBias { get; init; }

    /// <summary>Biases on the MLP projections (llama's <c>mlp_bias</c>).</summary>
    public bool MlpBias { get; init; }

    /// <summary>Share of each head's dimensions that rotary embedding rotates (<c>partial_rotary_factor</c>).</summary>
    public double RotaryFraction { get; init; } = 1.0;

    /// <summary>Multi-head latent attention dimensions (DeepSeek), or null for ordinary multi/grouped-query attention.</summary>
    public MlaDims? Mla { get; init; }

    /// <summary>DeepSeek-V3's per-expert bias on the router scores (<c>e_score_correction_bias</c>).</summary>
    public bool RouterBias { get; init; }

    /// <summary>Gated (SwiGLU/GeGLU) MLP with gate/up/down projections (every family except OPT and GPT-2).</summary>
    public bool Gated => !Family.IsGpt2OrOpt();

    /// <summary>The config key naming the context limit (<c>n_positions</c> for GPT-2).</summary>
    public string MaxPositionsKey => Family == LlmFamily.Gpt2 ? "n_positions" : "max_position_embeddings";

    /// <summary>Learned absolute position embeddings (OPT, GPT-2) bound the context length.</summary>
    public bool LearnedPositions => Family.IsGpt2OrOpt();

    /// <summary>Whether <paramref name="layer"/> runs the routed experts.</summary>
    public bool IsMoeLayer(int layer) => Experts > 0 && (MoeLayers is null || MoeLayers[layer]);

    /// <summary>The attention window of <paramref name="layer"/> (null: it attends to the whole context).</summary>
    public int? WindowOf(int layer) => SlidingWindow is { } w && (SlidingLayers is null || SlidingLayers[layer]) ? w : null;

    /// <summary>The <c>_name_or_path</c> of a config.json text, or null when it has none or is not a JSON object.</summary>
    public static string? ReadNameOrPath(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("_name_or_path", out var v) &&
                   v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    /// <summary>Parses and validates <paramref name="json"/>; <paramref name="source"/> names the file in errors.</summary>
    public static LlmConfig Parse(string json, string source)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(json, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip }); }
        catch (JsonException e)
        {
            throw new MantissaException($"{source}:{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: invalid JSON: {e.Message.Split(" Path:")[0]}");
        }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new MantissaException($"{source}: expected a JSON object (a Hugging Face config.json)");
            // JsonDocument keeps duplicate keys and lookups see only one: a key given twice is ambiguous, so refuse it.
            var seen = new HashSet<string>(StringComparer.Ordinal);
            foreach (var p in root.EnumerateObject())
                if (!seen.Add(p.Name)) throw new MantissaException($"{source}: key '{MessageText.Clip(p.Name)}' is given twice");
            var r = new ConfigReader(root, source);
            string type = r.Str("model_type");
            if (r.Problems.Count > 0) throw r.Error();
            if (type == "gemma3")
                throw new MantissaException($"{source}: key 'model_type': 'gemma3' is the multimodal Gemma 3 (its vision_config, a SigLIP tower, is not modelled); " +
                                            "save its text_config as a config.json (model_type gemma3_text) to model the language model");
            if (!LlmFamilyNames.TryParse(type, out var family))
                throw new MantissaException($"{source}: key 'model_type': unsupported model type '{type}'; supported: {string.Join(", ", LlmFamilyNames.ModelTypes)} (bitnet checkpoints use 'llama')");
            ConfigKeyCheck.Check(r, family);
            string? nameOrPath = r.OptStr("_name_or_path");
            var c = family switch
            {
                LlmFamily.Gpt2 => Gpt2(r),
                LlmFamily.Opt => Opt(r),
                _ => LlmFamilies.Parse(r, family),
            };
            return c with { NameOrPath = nameOrPath };
        }
    }

    private static LlmConfig Gpt2(ConfigReader r)
    {
        int hidden = r.Int("n_embd"), layers = r.Int("n_layer"), heads = r.Int("n_head");
        int inner = r.OptInt("n_inner", allowNull: true) ?? 4 * hidden;
        int vocab = r.Int("vocab_size"), maxPos = r.Int("n_positions");
        string act = r.OptStr("activation_function") ?? "gelu_new";
        return Validate(r, new LlmConfig(LlmFamily.Gpt2, hidden, layers, heads, heads, 0, inner, vocab, maxPos, r.OptBool("tie_word_embeddings") ?? true, act), null);
    }

    private static LlmConfig Opt(ConfigReader r)
    {
        int hidden = r.Int("hidden_size"), layers = r.Int("num_hidden_layers"), heads = r.Int("num_attention_heads");
        int ffn = r.Int("ffn_dim"), vocab = r.Int("vocab_size"), maxPos = r.Int("max_position_embeddings");
        int proj = r.OptInt("word_embed_proj_dim") ?? hidden;
        if (r.OptBool("do_layer_norm_before") == false)
            r.Problems.Add("key 'do_layer_norm_before': only pre-LayerNorm OPT models (true) are supported");
        string act = r.OptStr("activation_function") ?? "relu";
        return Validate(r, new LlmConfig(LlmFamily.Opt, hidden, layers, heads, heads, 0, ffn, vocab, maxPos, r.OptBool("tie_word_embeddings") ?? true, act, WordEmbedProjDim: proj), null);
    }

    internal static LlmConfig Validate(ConfigReader r, LlmConfig c, int? headDim)
    {
        var p = r.Problems;
        void Positive(string key, int v) { if (v <= 0 && !p.Any(x => x.Contains($"'{key}'"))) p.Add($"key '{key}': must be a positive integer, got {v}"); }
        bool gpt2 = c.Family == LlmFamily.Gpt2;
        string hk = gpt2 ? "n_head" : "num_attention_heads";
        string hdk = gpt2 ? "n_embd" : "hidden_size";
        Positive(hdk, c.Hidden); Positive(gpt2 ? "n_layer" : "num_hidden_layers", c.Layers); Positive(hk, c.Heads);
        Positive("vocab_size", c.Vocab);
        bool denseMlp = c.Experts == 0 || c.MoeLayers is { } ml && ml.Contains(false) || c.Family == LlmFamily.Mixtral;
        if (denseMlp) Positive(FfnKey(c.Family), c.Intermediate);
        Positive(c.MaxPositionsKey, c.MaxPositions);
        if (c.Heads > 0 && c.KvHeads <= 0) p.Add($"key 'num_key_value_heads': must be a positive integer, got {c.KvHeads}");
        else if (c.Heads > 0 && c.Heads % c.KvHeads != 0)
            p.Add($"key 'num_key_value_heads': {c.KvHeads} must divide {hk} = {c.Heads}");
        int hd = 0;
        if (c.Mla is not null) hd = c.Mla.QkDim;
        else if (headDim is { } h)
        {
            if (h <= 0) p.Add($"key 'head_dim': must be a positive integer, got {h}");
            hd = h;
        }
        else if (c.Heads > 0 && c.Hidden > 0)
        {
            if (c.Hidden % c.Heads != 0) p.Add($"key '{hk}': {c.Heads} heads do not divide {hdk} = {c.Hidden}");
            else hd = c.Hidden / c.Heads;
        }
        if (c.SlidingWindow is <= 0) p.Add($"key 'sliding_window': must be a positive integer or null, got {c.SlidingWindow}");
        string[] acts = { "silu", "swish", "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu" };
        if (Array.IndexOf(acts, c.HiddenAct) < 0)
            p.Add($"key '{(c.Family.IsGpt2OrOpt() ? "activation_function" : c.Family.IsGemma() ? "hidden_activation" : "hidden_act")}': " +
                  $"unsupported activation '{c.HiddenAct}'; expected one of {string.Join(", ", acts)}");
        CheckSizeLimits(c, p);
        if (p.Count > 0) throw r.Error();
        return c with { HeadDim = hd };
    }

    /// <summary>
    /// Upper bounds ~100× the largest published models (Llama-3.1-405B: 126 layers, hidden 16384, FFN 53248,
    /// vocab 128256; PaLM: vocab 256k; Llama-4 Scout: 10M context): they keep every weight, MAC and byte count of a
    /// built workload inside 64 bits, and stop a typo such as 1000000000 layers from allocating without limit.
    /// </summary>
    private static void CheckSizeLimits(LlmConfig c, List<string> p)
    {
        void Max(string key, long v, long max) { if (v > max) p.Add($"key '{key}': {v:N0} is above the {max:N0} this simulator accepts"); }
        bool gpt2 = c.Family == LlmFamily.Gpt2;
        Max(gpt2 ? "n_layer" : "num_hidden_layers", c.Layers, 10_000);
        Max(gpt2 ? "n_embd" : "hidden_size", c.Hidden, 1 << 20);
        Max(FfnKey(c.Family), c.Intermediate, 1 << 22);
        Max(gpt2 ? "n_head" : "num_attention_heads", c.Heads, 1 << 16);
        Max("vocab_size", c.Vocab, 1 << 24);
        Max(c.MaxPositionsKey, c.MaxPositions, 1 << 30);
        Max("num_local_experts", c.Experts, 1 << 16);
    }

    /// <summary>The config key naming the dense FFN width in <paramref name="f"/>'s config.json.</summary>
    private static string FfnKey(LlmFamily f) => f switch { LlmFamily.Gpt2 => "n_inner", LlmFamily.Opt => "ffn_dim", _ => "intermediate_size" };
}
