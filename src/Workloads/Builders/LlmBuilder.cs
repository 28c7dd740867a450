using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// Builds prefill or decode graphs of decoder-only LLMs (the families of <see cref="LlmFamily"/>) with operator
/// names taken from the checkpoints. Prefill computes logits for the last token of each sequence only (what a
/// serving engine needs); attention is counted dense unless <see cref="WorkloadOptions.Causal"/> asks to skip the mask.
/// </summary>
internal static class LlmBuilder
{
    private static readonly IntFormat TokenIds = new(32, true);

    public static Workload Build(string model, LlmConfig c, WorkloadOptions o, PrecisionRecipe recipe)
    {
        if (o.Batch < 1) throw new MantissaException($"batch must be at least 1, got {o.Batch}");
        int defaultLen = Math.Min(2048, c.MaxPositions);
        int t, kv;
        if (o.Phase != Phase.Decode)
        {
            t = o.Seq ?? defaultLen;
            kv = o.Kv ?? t;
            if (t < 1) throw new MantissaException($"sequence length must be at least 1, got {t}");
            if (kv < t) throw new MantissaException($"KV length {kv} is shorter than the {t} prompt tokens it must include");
        }
        else
        {
            if (o.Seq is { } s && s != 1) throw new MantissaException($"decode processes one new token per sequence; --seq {s} applies to prefill only (use --kv for the context length)");
            t = 1;
            kv = o.Kv ?? o.Seq ?? defaultLen;
            if (kv < 1) throw new MantissaException($"KV length must be at least 1, got {kv}");
        }
        CheckContext(model, c, o, t, kv);

        var g = new GraphBuilder(recipe);
        long b = o.Batch;
        var ids = new TensorSpec("input_ids", new[] { b, t }, TensorRole.Activation, TokenIds);
        g.AddInput(ids);
        var ctx = new Ctx(g, c, b, t, kv, o.Causal, o.Phase == Phase.Decode) { Train = o.Phase == Phase.Train };
        TensorSpec h = c.Family switch
        {
            LlmFamily.Gpt2 => Gpt2(ctx.Layer(0), ids),
            LlmFamily.Opt => Opt(ctx.Layer(0), ids),
            _ => Llama(ctx, ids),
        };
        var graph = g.Build();
        var stored = g.StoredWeights;
        long parameters = stored.Sum(x => x.Elements);
        long perExpert = 3L * c.Hidden * c.MoeIntermediate;
        long moeLayers = Enumerable.Range(0, c.Layers).Count(c.IsMoeLayer);
        long active = parameters - moeLayers * (c.Experts - c.ExpertsPerToken) * perExpert;
        long produced = o.Phase != Phase.Decode ? b * t : b;
        return new Workload(model, WorkloadKind.Llm, o.Phase, o.Batch, t, kv, produced, recipe, graph, stored) { ActiveParameters = active, Causal = o.Causal, LlmFamily = c.Family };
    }

    /// <summary>Rejects a context longer than the model's position limit, naming the option that set it.</summary>
    private static void CheckContext(string model, LlmConfig c, WorkloadOptions o, int t, int kv)
    {
        if (kv <= c.MaxPositions) return;
        string option = o.Kv is not null ? $"--kv {kv}" : o.Phase != Phase.Decode && o.Seq is not null ? $"--seq {t}" : $"the default context {kv}";
        if (c.LearnedPositions)
            throw new MantissaException($"{option} exceeds {model}'s {c.MaxPositionsKey} = {c.MaxPositions}: its learned position table has no rows past that");
        if (!c.DeclaresMaxPositions || o.AllowLongContext) return;
        throw new MantissaException($"{option} exceeds {model}'s {c.MaxPositionsKey} = {c.MaxPositions}; " +
                                    "pass --allow-long-context to model a context extended past it (RoPE scaling)");
    }

    /// <summary>
    /// (query, key) pairs one head computes for <paramref name="t"/> new tokens at the end of a <paramref name="kv"/>-token
    /// context: each token at position p attends to min(p + 1, window) keys when the causal mask is skipped.
    /// </summary>
    internal static long CausalPairs(long t, long kv, long? window)
    {
        long w = window ?? long.MaxValue;
        // Keys seen by tokens 1..n (1-based positions): the sum of min(q, w).
        long Upto(long n) => checked(n <= w ? n * (n + 1) / 2 : w * (w + 1) / 2 + (n - w) * w);
        return Upto(kv) - Upto(kv - t);
    }

    /// <summary>What one layer's builders need: the graph, config, batch, new tokens, context, and that layer's attended length and causal pairs.</summary>
    internal sealed record Ctx(GraphBuilder G, LlmConfig C, long B, long T, long Kv, bool Causal, bool Decode, long Attn = 0, long? Pairs = null)
    {
        /// <summary>A training step's forward pass (logits at every position).</summary>
        public bool Train { get; init; }

        /// <summary>The context as <paramref name="layer"/> sees it: its window caps the attended (and cached) length.</summary>
        public Ctx Layer(int layer)
        {
            int? w = C.WindowOf(layer);
            return this with { Attn = w is { } ww ? Math.Min(Kv, ww) : Kv, Pairs = Causal ? CausalPairs(T, Kv, w) : null };
        }
    }

    private static TensorSpec Llama(Ctx x0, TensorSpec ids)
    {
        var (g, c) = (x0.G, x0.C);
        var h = g.Embedding("model.embed_tokens", ids, c.Vocab, c.Hidden);
        // Gemma multiplies the embeddings by sqrt(hidden_size) (transformers' Gemma2Model/Gemma3TextModel).
        if (c.SandwichNorm) h = g.Unary("model.embed_scale", OpKind.Elementwise, h, "scale");
        for (int i = 0; i < c.Layers; i++)
        {
            var x = x0.Layer(i);
            string p = $"model.layers.{i}";
            var n1 = g.Norm($"{p}.input_layernorm", h, rms: true);
            var a = c.Mla is not null ? MlaAttention.Build(x, $"{p}.self_attn", n1) : Attention(x, $"{p}.self_attn", n1);
            if (c.SandwichNorm) a = g.Norm($"{p}.post_attention_layernorm", a, rms: true);
            h = g.Binary($"{p}.residual_attn", h, a, "add");
            var n2 = g.Norm(c.SandwichNorm ? $"{p}.pre_feedforward_layernorm" : $"{p}.post_attention_layernorm", h, rms: true);
            var m = c.IsMoeLayer(i) ? MoeBlock.Build(x, c.Family == LlmFamily.Mixtral ? $"{p}.block_sparse_moe" : $"{p}.mlp", n2)
                                    : GatedMlp(x, $"{p}.mlp", n2, c.Intermediate);
            if (c.SandwichNorm) m = g.Norm($"{p}.post_feedforward_layernorm", m, rms: true);
            h = g.Binary($"{p}.residual_mlp", h, m, "add");
        }
        var f = g.Norm("model.norm", h, rms: true);
        return Head(x0, f, c.TieEmbeddings ? "model.embed_tokens.weight" : null);
    }

    private static TensorSpec Opt(Ctx x, TensorSpec ids)
    {
        var (g, c) = (x.G, x.C);
        const string p0 = "model.decoder";
        var pos = new TensorSpec("position_ids", ids.Shape, TensorRole.Activation, TokenIds);
        g.AddInput(pos);
        int proj = c.WordEmbedProjDim;
        var tok = g.Embedding($"{p0}.embed_tokens", ids, c.Vocab, proj);
        if (proj != c.Hidden) tok = g.Linear($"{p0}.project_in", tok, c.Hidden, bias: false);
        // OPT offsets learned positions by 2 (padding convention), so the table has max_position_embeddings + 2 rows.
        var pe = g.Embedding($"{p0}.embed_positions", pos, c.MaxPositions + 2, c.Hidden);
        var h = g.Binary($"{p0}.embed_add", tok, pe, "add");
        for (int i = 0; i < c.Layers; i++)
        {
            string p = $"{p0}.layers.{i}";
            var n1 = g.Norm($"{p}.self_attn_layer_norm", h, rms: false);
            var q = g.Linear($"{p}.self_attn.q_proj", n1, c.Hidden, bias: true);
            var k = g.Linear($"{p}.self_attn.k_proj", n1, c.Hidden, bias: true);
            var v = g.Linear($"{p}.self_attn.v_proj", n1, c.Hidden, bias: true);
            long n = x.B * x.T * c.Hidden;
            var a = Core(x, $"{p}.self_attn", q, k, v, n, n, "out_proj", true);
            h = g.Binary($"{p}.residual_attn", h, a, "add");
            var n2 = g.Norm($"{p}.final_layer_norm", h, rms: false);
            var f1 = g.Linear($"{p}.fc1", n2, c.Intermediate, bias: true);
            var act = g.Activation($"{p}.activation_fn", f1, ActName(c.HiddenAct));
            var f2 = g.Linear($"{p}.fc2", act, c.Hidden, bias: true);
            h = g.Binary($"{p}.residual_mlp", h, f2, "add");
        }
        var f = g.Norm($"{p0}.final_layer_norm", h, rms: false);
        if (proj != c.Hidden) f = g.Linear($"{p0}.project_out", f, proj, bias: false);
        return Head(x, f, c.TieEmbeddings ? $"{p0}.embed_tokens.weight" : null);
    }

    private static TensorSpec Gpt2(Ctx x, TensorSpec ids)
    {
        var (g, c) = (x.G, x.C);
        var pos = new TensorSpec("position_ids", ids.Shape, TensorRole.Activation, TokenIds);
        g.AddInput(pos);
        var tok = g.Embedding("transformer.wte", ids, c.Vocab, c.Hidden);
        var pe = g.Embedding("transformer.wpe", pos, c.MaxPositions, c.Hidden);
        var h = g.Binary("transformer.embed_add", tok, pe, "add");
        for (int i = 0; i < c.Layers; i++)
        {
            string p = $"transformer.h.{i}";
            var n1 = g.Norm($"{p}.ln_1", h, rms: false);
            var a = FusedAttention(x, $"{p}.attn", n1);
            h = g.Binary($"{p}.residual_attn", h, a, "add");
            var n2 = g.Norm($"{p}.ln_2", h, rms: false);
            var f1 = g.Linear($"{p}.mlp.c_fc", n2, c.Intermediate, bias: true);
            var act = g.Activation($"{p}.mlp.act", f1, ActName(c.HiddenAct));
            var f2 = g.Linear($"{p}.mlp.c_proj", act, c.Hidden, bias: true);
            h = g.Binary($"{p}.residual_mlp", h, f2, "add");
        }
        var f = g.Norm("transformer.ln_f", h, rms: false);
        return Head(x, f, c.TieEmbeddings ? "transformer.wte.weight" : null);
    }

    private static TensorSpec Head(Ctx x, TensorSpec f, string? tied)
    {
        // Serving needs logits for the last position of each sequence only; training needs them at every position.
        var last = x.Train ? f.Shape : new[] { x.B, 1, f.Shape[^1] };
        if (x.C.FinalSoftcap is not { } cap)
            return x.G.Linear("lm_head", f, x.C.Vocab, bias: false, weight: tied, outRole: TensorRole.Output, leftShape: last);
        var logits = x.G.Linear("lm_head", f, x.C.Vocab, bias: false, weight: tied, leftShape: last);
        // Gemma 2: logits = cap * tanh(logits / cap), three operations per logit.
        return x.G.Unary("lm_head.softcap", OpKind.Elementwise, logits, $"tanh softcap {cap}", 3, outRole: TensorRole.Output);
    }

    /// <summary>
    /// q/k/v projections (fused <c>qkv_proj</c> for phi3), optional per-head q/k RMSNorm (qwen3, gemma3), RoPE,
    /// KV-cache append, QKᵀ, softmax, ·V and the output projection.
    /// </summary>
    private static TensorSpec Attention(Ctx x, string p, TensorSpec hIn)
    {
        var (g, c) = (x.G, x.C);
        long b = x.B, t = x.T, hd = c.HeadDim, qDim = (long)c.Heads * hd, kvDim = (long)c.KvHeads * hd;
        TensorSpec q, k, v;
        if (c.Family == LlmFamily.Phi3)
        {
            var qkv = g.Linear($"{p}.qkv_proj", hIn, qDim + 2 * kvDim, c.QkvBias);
            (q, k, v) = (qkv with { Shape = new[] { b, t, qDim } }, qkv with { Shape = new[] { b, t, kvDim } }, qkv with { Shape = new[] { b, t, kvDim } });
        }
        else
        {
            q = g.Linear($"{p}.q_proj", hIn, qDim, c.QkvBias);
            k = g.Linear($"{p}.k_proj", hIn, kvDim, c.QkvBias);
            v = g.Linear($"{p}.v_proj", hIn, kvDim, c.QkvBias);
        }
        if (c.QkNorm)
        {
            q = g.Norm($"{p}.q_norm", q with { Shape = new[] { b, t, c.Heads, hd } }, rms: true);
            k = g.Norm($"{p}.k_norm", k with { Shape = new[] { b, t, c.KvHeads, hd } }, rms: true);
        }
        q = g.Rope($"{p}.rotary_q", q, c.RotaryFraction);
        k = g.Rope($"{p}.rotary_k", k, c.RotaryFraction);
        return Core(x, p, q, k, v, kvDim * b * t, kvDim * b * t, "o_proj", c.OutBias);
    }

    /// <summary>GPT-2's fused <c>c_attn</c> projection: q, k and v are slices of one [B, T, 3H] output.</summary>
    private static TensorSpec FusedAttention(Ctx x, string p, TensorSpec hIn)
    {
        var (g, c) = (x.G, x.C);
        var qkv = g.Linear($"{p}.c_attn", hIn, 3L * c.Hidden, bias: true);
        long n = x.B * x.T * c.Hidden;
        return Core(x, p, qkv, qkv, qkv, n, n, "c_proj", true);
    }

    private static TensorSpec Core(Ctx x, string p, TensorSpec q, TensorSpec k, TensorSpec v, long kNew, long vNew, string outName, bool outBias)
    {
        var (g, c) = (x.G, x.C);
        long b = x.B, t = x.T, hd = c.HeadDim, heads = c.Heads, kvh = c.KvHeads;
        var cacheShape = new[] { b, kvh, x.Attn, hd };
        // A training step attends within its own sequence: keys and values are used as computed, with no cache to fill.
        var kc = x.Train ? k with { Shape = cacheShape } : g.KvAppend($"{p}.k_cache_append", $"{p}.k_cache", k, cacheShape, kNew);
        var vc = x.Train ? v with { Shape = cacheShape } : g.KvAppend($"{p}.v_cache_append", $"{p}.v_cache", v, cacheShape, vNew);
        var q4 = q with { Shape = new[] { b, heads, t, hd } };
        var s = g.AttentionScores($"{p}.qk", q4, kc, heads, x.Pairs);
        // Gemma 2: scores = cap * tanh(scores / cap) before the softmax.
        if (c.AttnSoftcap is { } cap) s = g.Unary($"{p}.softcap", OpKind.Elementwise, s, $"tanh softcap {cap}", vectorOps: 3 * b * heads * (x.Pairs ?? t * x.Attn));
        var pr = x.Pairs is { } pairs ? g.Softmax($"{p}.softmax", s, b * heads * pairs) : g.Softmax($"{p}.softmax", s);
        var o = g.AttentionContext($"{p}.pv", pr, vc, heads, x.Pairs);
        var o3 = GraphBuilder.Reshape(o, b, t, heads * hd);
        return g.Linear($"{p}.{outName}", o3, c.Hidden, outBias);
    }

    /// <summary>act(gate)·up → down, with the checkpoint's names (phi3 fuses gate and up into one <c>gate_up_proj</c>).</summary>
    internal static TensorSpec GatedMlp(Ctx x, string p, TensorSpec hIn, long width, long[]? leftShape = null,
                                        string gate = "gate_proj", string up = "up_proj", string down = "down_proj")
    {
        var (g, c) = (x.G, x.C);
        TensorSpec gt, u;
        if (c.Family == LlmFamily.Phi3)
        {
            var gu = g.Linear($"{p}.gate_up_proj", hIn, 2 * width, bias: false, leftShape: leftShape);
            gt = gu with { Shape = WithLast(gu.Shape, width) };
            u = gt;
        }
        else
        {
            gt = g.Linear($"{p}.{gate}", hIn, width, c.MlpBias, leftShape: leftShape);
            u = g.Linear($"{p}.{up}", hIn, width, c.MlpBias, leftShape: leftShape);
        }
        var a = g.Activation($"{p}.act_fn", gt, ActName(c.HiddenAct));
        var m = g.Binary($"{p}.mul", a, u, "mul");
        return g.Linear($"{p}.{down}", m, c.Hidden, c.MlpBias);
    }

    private static long[] WithLast(long[] shape, long last)
    {
        var r = (long[])shape.Clone();
        r[^1] = last;
        return r;
    }

    internal static string ActName(string hf) => hf switch
    {
        "silu" or "swish" => "silu",
        "relu" => "relu",
        _ => "gelu",
    };
}
