namespace Mantissa.Workloads;

/// <summary>
/// Multi-head latent attention (DeepSeek-V2, Liu et al. 2024, §2.1): keys and values are cached as one compressed
/// latent of <c>kv_lora_rank</c> per token plus a shared rotary key of <c>qk_rope_head_dim</c>, instead of per-head K and V.
/// Prefill decompresses the cached latents with <c>kv_b_proj</c> and attends per head (the compute-friendly form);
/// decode absorbs <c>kv_b_proj</c>'s key and value blocks into the query and output sides and attends in the latent
/// space, one cached latent shared by every head (the data-movement-friendly form). Serving engines (vLLM's MLA
/// backend, SGLang) choose the same forms per phase.
/// </summary>
internal static class MlaAttention
{
    public static TensorSpec Build(LlmBuilder.Ctx x, string p, TensorSpec hIn)
    {
        var (g, c) = (x.G, x.C);
        var m = c.Mla!;
        long b = x.B, t = x.T, heads = c.Heads, attn = x.Attn, lora = m.KvLoraRank, rope = m.RopeDim, nope = m.NopeDim, vd = m.VDim;
        TensorSpec q;
        if (m.QLoraRank is { } qr)
        {
            var qa = g.Linear($"{p}.q_a_proj", hIn, qr, bias: false);
            qa = g.Norm($"{p}.q_a_layernorm", qa, rms: true);
            q = g.Linear($"{p}.q_b_proj", qa, heads * m.QkDim, bias: false);
        }
        else q = g.Linear($"{p}.q_proj", hIn, heads * m.QkDim, bias: false);
        var kva = g.Linear($"{p}.kv_a_proj_with_mqa", hIn, lora + rope, bias: false);
        var latent = g.Norm($"{p}.kv_a_layernorm", kva with { Shape = new[] { b, t, lora } }, rms: true);
        var kRope = g.Rope($"{p}.rotary_k", kva with { Shape = new[] { b, t, rope } });
        var qRope = g.Rope($"{p}.rotary_q", q with { Shape = new[] { b, heads, t, rope } });
        // A training step attends within its own sequence: the latent and rope keys are used as computed, with no cache.
        var cache = x.Train ? latent with { Shape = new[] { b, 1, attn, lora } }
            : g.KvAppend($"{p}.kv_cache_append", $"{p}.kv_cache", latent, new[] { b, 1, attn, lora }, b * t * lora);
        var ropeCache = x.Train ? kRope with { Shape = new[] { b, 1, attn, rope } }
            : g.KvAppend($"{p}.k_rope_cache_append", $"{p}.k_rope_cache", kRope, new[] { b, 1, attn, rope }, b * t * rope);
        var kvb = new[] { heads * (nope + vd), lora };
        var qNope = q with { Shape = new[] { b, heads, t, nope } };
        TensorSpec o;
        if (x.Decode)
        {
            var qLatent = g.HeadwiseLinear($"{p}.q_absorb", qNope, $"{p}.kv_b_proj", kvb, lora);
            var s = Scores(x, p, "qk_latent", qLatent, cache, qRope, ropeCache);
            var oLatent = g.AttentionContext($"{p}.pv_latent", s, cache, heads, x.Pairs);
            o = g.HeadwiseLinear($"{p}.v_absorb", oLatent, $"{p}.kv_b_proj", kvb, vd);
        }
        else
        {
            var kv = g.Linear($"{p}.kv_b_proj", cache, kvb[0], bias: false, leftShape: new[] { b, attn, lora });
            var s = Scores(x, p, "qk_nope", qNope, kv with { Shape = new[] { b, heads, attn, nope } }, qRope, ropeCache);
            o = g.AttentionContext($"{p}.pv", s, kv with { Shape = new[] { b, heads, attn, vd } }, heads, x.Pairs);
        }
        return g.Linear($"{p}.o_proj", GraphBuilder.Reshape(o, b, t, heads * vd), c.Hidden, bias: false);
    }

    /// <summary>Scores from the position-free (or latent) part plus the shared rotary key, then softmax.</summary>
    private static TensorSpec Scores(LlmBuilder.Ctx x, string p, string main, TensorSpec q, TensorSpec k, TensorSpec qRope, TensorSpec ropeCache)
    {
        var g = x.G;
        long heads = x.C.Heads;
        var s1 = g.AttentionScores($"{p}.{main}", q, k, heads, x.Pairs);
        var s2 = g.AttentionScores($"{p}.qk_rope", qRope, ropeCache, heads, x.Pairs);
        var s = g.Binary($"{p}.qk_add", s1, s2, "add");
        return x.Pairs is { } pairs ? g.Softmax($"{p}.softmax", s, x.B * heads * pairs) : g.Softmax($"{p}.softmax", s);
    }
}
