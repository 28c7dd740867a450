using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// Builds prefill or decode graphs of decoder-only LLMs (llama, mistral, qwen2, mixtral, opt, gpt2) with operator
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
        if (o.Phase == Phase.Prefill)
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
        long attn = c.SlidingWindow is { } w ? Math.Min(kv, w) : kv;
        var ids = new TensorSpec("input_ids", new[] { b, t }, TensorRole.Activation, TokenIds);
        g.AddInput(ids);
        var ctx = new Ctx(g, c, b, t, attn, o.Causal ? CausalPairs(t, kv, c.SlidingWindow) : null);
        TensorSpec h = c.Family switch
        {
            "gpt2" => Gpt2(ctx, ids),
            "opt" => Opt(ctx, ids),
            _ => Llama(ctx, ids),
        };
        long perExpert = 3L * c.Hidden * c.Intermediate;
        var graph = g.Build();
        var stored = g.StoredWeights;
        long parameters = stored.Sum(x => x.Elements);
        long active = c.Experts > 0 ? parameters - (long)c.Layers * (c.Experts - c.ExpertsPerToken) * perExpert : parameters;
        long produced = o.Phase == Phase.Prefill ? b * t : b;
        return new Workload(model, c.Family, o.Phase, o.Batch, t, kv, produced, recipe, graph, stored) { ActiveParameters = active, Causal = o.Causal };
    }

    /// <summary>Rejects a context longer than the model's position limit, naming the option that set it.</summary>
    private static void CheckContext(string model, LlmConfig c, WorkloadOptions o, int t, int kv)
    {
        if (kv <= c.MaxPositions) return;
        string option = o.Kv is not null ? $"--kv {kv}" : o.Phase == Phase.Prefill && o.Seq is not null ? $"--seq {t}" : $"the default context {kv}";
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

    private sealed record Ctx(GraphBuilder G, LlmConfig C, long B, long T, long Attn, long? Pairs);

    private static TensorSpec Llama(Ctx x, TensorSpec ids)
    {
        var (g, c) = (x.G, x.C);
        var h = g.Embedding("model.embed_tokens", ids, c.Vocab, c.Hidden);
        bool qkvBias = c.Family == "qwen2";
        for (int i = 0; i < c.Layers; i++)
        {
            string p = $"model.layers.{i}";
            var n1 = g.Norm($"{p}.input_layernorm", h, rms: true);
            var a = Attention(x, $"{p}.self_attn", n1, qkvBias, "o_proj", false, rope: true);
            h = g.Binary($"{p}.residual_attn", h, a, "add");
            var n2 = g.Norm($"{p}.post_attention_layernorm", h, rms: true);
            var m = c.Experts > 0 ? Moe(x, $"{p}.block_sparse_moe", n2) : GatedMlp(x, $"{p}.mlp", n2);
            h = g.Binary($"{p}.residual_mlp", h, m, "add");
        }
        var f = g.Norm("model.norm", h, rms: true);
        return Head(x, f, c.TieEmbeddings ? "model.embed_tokens.weight" : null);
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
            var a = Attention(x, $"{p}.self_attn", n1, true, "out_proj", true, rope: false);
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
        // Only the last position of each sequence needs logits.
        var last = new[] { x.B, 1, f.Shape[^1] };
        return x.G.Linear("lm_head", f, x.C.Vocab, bias: false, weight: tied, outRole: TensorRole.Output, leftShape: last);
    }

    /// <summary>Separate q/k/v projections, RoPE (llama-like), KV-cache append, QKᵀ, softmax, ·V and the output projection.</summary>
    private static TensorSpec Attention(Ctx x, string p, TensorSpec hIn, bool bias, string outName, bool outBias, bool rope)
    {
        var (g, c) = (x.G, x.C);
        long hd = c.HeadDim, qDim = (long)c.Heads * hd, kvDim = (long)c.KvHeads * hd;
        var q = g.Linear($"{p}.q_proj", hIn, qDim, bias);
        var k = g.Linear($"{p}.k_proj", hIn, kvDim, bias);
        var v = g.Linear($"{p}.v_proj", hIn, kvDim, bias);
        if (rope)
        {
            q = g.Unary($"{p}.rotary_q", OpKind.Elementwise, q, "rope", 3);
            k = g.Unary($"{p}.rotary_k", OpKind.Elementwise, k, "rope", 3);
        }
        return Core(x, p, q, k, v, kvDim * x.B * x.T, kvDim * x.B * x.T, outName, outBias);
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
        var kc = g.KvAppend($"{p}.k_cache_append", $"{p}.k_cache", k, cacheShape, kNew);
        var vc = g.KvAppend($"{p}.v_cache_append", $"{p}.v_cache", v, cacheShape, vNew);
        var q4 = q with { Shape = new[] { b, heads, t, hd } };
        var s = g.AttentionScores($"{p}.qk", q4, kc, heads, x.Pairs);
        var pr = x.Pairs is { } pairs ? g.Softmax($"{p}.softmax", s, b * heads * pairs) : g.Softmax($"{p}.softmax", s);
        var o = g.AttentionContext($"{p}.pv", pr, vc, heads, x.Pairs);
        var o3 = GraphBuilder.Reshape(o, b, t, heads * hd);
        return g.Linear($"{p}.{outName}", o3, c.Hidden, outBias);
    }

    private static TensorSpec GatedMlp(Ctx x, string p, TensorSpec hIn, long[]? leftShape = null, string gate = "gate_proj", string up = "up_proj", string down = "down_proj")
    {
        var (g, c) = (x.G, x.C);
        var gt = g.Linear($"{p}.{gate}", hIn, c.Intermediate, bias: false, leftShape: leftShape);
        var u = g.Linear($"{p}.{up}", hIn, c.Intermediate, bias: false, leftShape: leftShape);
        var a = g.Activation($"{p}.act_fn", gt, ActName(c.HiddenAct));
        var m = g.Binary($"{p}.mul", a, u, "mul");
        return g.Linear($"{p}.{down}", m, c.Hidden, bias: false);
    }

    /// <summary>
    /// Mixtral sparse MoE: router, then the B·T·k token slots spread evenly over the experts (balanced routing).
    /// Experts that receive no token run no operator, but their weights are still stored.
    /// </summary>
    private static TensorSpec Moe(Ctx x, string p, TensorSpec hIn)
    {
        var (g, c) = (x.G, x.C);
        long tokens = x.B * x.T, e = c.Experts, k = c.ExpertsPerToken;
        var logits = g.Linear($"{p}.gate", hIn, e, bias: false);
        var lp = g.Recipe.For($"{p}.router");
        var weights = lp.VectorTensor($"{p}.router.out", new[] { x.B, x.T, k });
        g.Add(new Operator($"{p}.router", OpKind.Router, new[] { g.Stored(logits) }, new[] { weights })
        { VectorOps = tokens * e * 6, Detail = $"top{k}/{e}" });
        long slots = tokens * k;
        var outs = new List<TensorSpec>();
        for (int j = 0; j < e; j++)
        {
            string ep = $"{p}.experts.{j}";
            long n = slots / e + (j < slots % e ? 1 : 0);
            if (n == 0)
            {
                g.Store(g.Recipe.For($"{ep}.w1").Weight($"{ep}.w1.weight", new[] { (long)c.Intermediate, c.Hidden }));
                g.Store(g.Recipe.For($"{ep}.w3").Weight($"{ep}.w3.weight", new[] { (long)c.Intermediate, c.Hidden }));
                g.Store(g.Recipe.For($"{ep}.w2").Weight($"{ep}.w2.weight", new[] { (long)c.Hidden, c.Intermediate }));
                continue;
            }
            outs.Add(GatedMlp(x, ep, hIn, new[] { n, (long)c.Hidden }, "w1", "w3", "w2"));
        }
        var clp = g.Recipe.For($"{p}.combine");
        var y = clp.VectorTensor($"{p}.combine.out", hIn.Shape);
        var inputs = outs.Select(g.Stored).Append(g.Stored(weights)).ToList();
        g.Add(new Operator($"{p}.combine", OpKind.Elementwise, inputs, new[] { y }) { VectorOps = 2 * slots * c.Hidden, Detail = "weighted sum" });
        return y;
    }

    private static string ActName(string hf) => hf switch
    {
        "silu" or "swish" => "silu",
        "relu" => "relu",
        _ => "gelu",
    };
}
