using System.Text.Json;
using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>Decoder-only LLM hyperparameters normalised from a Hugging Face <c>config.json</c>.</summary>
public sealed record LlmConfig(
    string Family,
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

    public static readonly string[] Families = { "llama", "mistral", "qwen2", "mixtral", "opt", "gpt2" };

    /// <summary>Gated (SwiGLU) MLP with gate/up/down projections (llama-like families).</summary>
    public bool Gated => Family is "llama" or "mistral" or "qwen2" or "mixtral";

    /// <summary>The config key naming the context limit (<c>n_positions</c> for GPT-2).</summary>
    public string MaxPositionsKey => Family == "gpt2" ? "n_positions" : "max_position_embeddings";

    /// <summary>Learned absolute position embeddings (OPT, GPT-2) bound the context length.</summary>
    public bool LearnedPositions => Family is "opt" or "gpt2";

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
            var r = new Reader(root, source);
            string type = r.Str("model_type");
            if (r.Problems.Count > 0) throw r.Error();
            if (Array.IndexOf(Families, type) < 0)
                throw new MantissaException($"{source}: key 'model_type': unsupported model type '{type}'; supported: {string.Join(", ", Families)} (bitnet checkpoints use 'llama')");
            string? nameOrPath = r.OptStr("_name_or_path");
            var c = type switch
            {
                "gpt2" => Gpt2(r),
                "opt" => Opt(r),
                _ => LlamaLike(r, type),
            };
            return c with { NameOrPath = nameOrPath };
        }
    }

    private static LlmConfig LlamaLike(Reader r, string type)
    {
        int hidden = r.Int("hidden_size"), layers = r.Int("num_hidden_layers"), heads = r.Int("num_attention_heads");
        int kv = r.OptInt("num_key_value_heads") ?? heads;
        int inter = r.Int("intermediate_size"), vocab = r.Int("vocab_size");
        int? declaredMax = r.OptInt("max_position_embeddings");
        int maxPos = declaredMax ?? 2048;
        int? headDim = r.OptInt("head_dim");
        bool tie = r.OptBool("tie_word_embeddings") ?? false;
        string act = r.OptStr("hidden_act") ?? "silu";
        int experts = 0, topk = 0;
        if (type == "mixtral")
        {
            experts = r.Int("num_local_experts");
            topk = r.Int("num_experts_per_tok");
        }
        int? window = r.OptInt("sliding_window", allowNull: true);
        if (type == "qwen2" && !(r.OptBool("use_sliding_window") ?? false)) window = null;
        return Validate(r, new LlmConfig(type, hidden, layers, heads, kv, 0, inter, vocab, maxPos, tie, act, experts, topk, window, DeclaresMaxPositions: declaredMax is not null), headDim);
    }

    private static LlmConfig Gpt2(Reader r)
    {
        int hidden = r.Int("n_embd"), layers = r.Int("n_layer"), heads = r.Int("n_head");
        int inner = r.OptInt("n_inner", allowNull: true) ?? 4 * hidden;
        int vocab = r.Int("vocab_size"), maxPos = r.Int("n_positions");
        string act = r.OptStr("activation_function") ?? "gelu_new";
        return Validate(r, new LlmConfig("gpt2", hidden, layers, heads, heads, 0, inner, vocab, maxPos, r.OptBool("tie_word_embeddings") ?? true, act), null);
    }

    private static LlmConfig Opt(Reader r)
    {
        int hidden = r.Int("hidden_size"), layers = r.Int("num_hidden_layers"), heads = r.Int("num_attention_heads");
        int ffn = r.Int("ffn_dim"), vocab = r.Int("vocab_size"), maxPos = r.Int("max_position_embeddings");
        int proj = r.OptInt("word_embed_proj_dim") ?? hidden;
        if (r.OptBool("do_layer_norm_before") == false)
            r.Problems.Add("key 'do_layer_norm_before': only pre-LayerNorm OPT models (true) are supported");
        string act = r.OptStr("activation_function") ?? "relu";
        return Validate(r, new LlmConfig("opt", hidden, layers, heads, heads, 0, ffn, vocab, maxPos, r.OptBool("tie_word_embeddings") ?? true, act, WordEmbedProjDim: proj), null);
    }

    private static LlmConfig Validate(Reader r, LlmConfig c, int? headDim)
    {
        var p = r.Problems;
        void Positive(string key, int v) { if (v <= 0 && !p.Any(x => x.Contains($"'{key}'"))) p.Add($"key '{key}': must be a positive integer, got {v}"); }
        string hk = c.Family == "gpt2" ? "n_head" : "num_attention_heads";
        string hdk = c.Family == "gpt2" ? "n_embd" : "hidden_size";
        Positive(hdk, c.Hidden); Positive(c.Family == "gpt2" ? "n_layer" : "num_hidden_layers", c.Layers); Positive(hk, c.Heads);
        Positive("vocab_size", c.Vocab);
        Positive(c.Family switch { "gpt2" => "n_inner", "opt" => "ffn_dim", _ => "intermediate_size" }, c.Intermediate);
        Positive(c.Family == "gpt2" ? "n_positions" : "max_position_embeddings", c.MaxPositions);
        if (c.Heads > 0 && c.KvHeads <= 0) p.Add($"key 'num_key_value_heads': must be a positive integer, got {c.KvHeads}");
        else if (c.Heads > 0 && c.Heads % c.KvHeads != 0)
            p.Add($"key 'num_key_value_heads': {c.KvHeads} must divide {hk} = {c.Heads}");
        int hd = 0;
        if (headDim is { } h)
        {
            if (h <= 0) p.Add($"key 'head_dim': must be a positive integer, got {h}");
            hd = h;
        }
        else if (c.Heads > 0 && c.Hidden > 0)
        {
            if (c.Hidden % c.Heads != 0) p.Add($"key '{hk}': {c.Heads} heads do not divide {hdk} = {c.Hidden}");
            else hd = c.Hidden / c.Heads;
        }
        if (c.Family == "mixtral")
        {
            Positive("num_local_experts", c.Experts);
            Positive("num_experts_per_tok", c.ExpertsPerToken);
            if (c.Experts > 0 && c.ExpertsPerToken > c.Experts)
                p.Add($"key 'num_experts_per_tok': {c.ExpertsPerToken} exceeds num_local_experts = {c.Experts}");
        }
        if (c.SlidingWindow is <= 0) p.Add($"key 'sliding_window': must be a positive integer or null, got {c.SlidingWindow}");
        string[] acts = { "silu", "swish", "gelu", "gelu_new", "gelu_pytorch_tanh", "gelu_fast", "relu" };
        if (Array.IndexOf(acts, c.HiddenAct) < 0)
            p.Add($"key '{(c.Family is "gpt2" or "opt" ? "activation_function" : "hidden_act")}': unsupported activation '{c.HiddenAct}'; expected one of {string.Join(", ", acts)}");
        if (p.Count > 0) throw r.Error();
        return c with { HeadDim = hd };
    }

    /// <summary>Typed access to config keys that collects every problem before failing.</summary>
    private sealed class Reader(JsonElement root, string source)
    {
        public List<string> Problems { get; } = new();

        public MantissaException Error() => new($"{source}: invalid model config:\n  " + string.Join("\n  ", Problems));

        public int Int(string key)
        {
            if (!root.TryGetProperty(key, out var v)) { Problems.Add($"missing key '{key}' (an integer)"); return 0; }
            return AsInt(key, v) ?? 0;
        }

        public int? OptInt(string key, bool allowNull = false)
        {
            if (!root.TryGetProperty(key, out var v)) return null;
            if (v.ValueKind == JsonValueKind.Null) { if (!allowNull) Problems.Add($"key '{key}': expected an integer, got null"); return null; }
            return AsInt(key, v);
        }

        private int? AsInt(string key, JsonElement v)
        {
            if (v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out int i)) return i;
            Problems.Add($"key '{key}': expected an integer, got {Describe(v)}");
            return null;
        }

        public string Str(string key)
        {
            if (!root.TryGetProperty(key, out var v)) { Problems.Add($"missing key '{key}' (a string)"); return ""; }
            if (v.ValueKind != JsonValueKind.String) { Problems.Add($"key '{key}': expected a string, got {Describe(v)}"); return ""; }
            return v.GetString()!;
        }

        public string? OptStr(string key)
        {
            if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String) { Problems.Add($"key '{key}': expected a string, got {Describe(v)}"); return null; }
            return v.GetString();
        }

        public bool? OptBool(string key)
        {
            if (!root.TryGetProperty(key, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is JsonValueKind.True or JsonValueKind.False) return v.GetBoolean();
            Problems.Add($"key '{key}': expected true or false, got {Describe(v)}");
            return null;
        }

        private static string Describe(JsonElement v) => v.ValueKind switch
        {
            JsonValueKind.String => $"\"{v.GetString()}\"",
            JsonValueKind.Number => v.GetRawText(),
            _ => v.ValueKind.ToString().ToLowerInvariant(),
        };
    }
}
