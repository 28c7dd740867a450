using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>Transformer encoders: ViT-B/16 (torchvision names) and BERT-base (Hugging Face names), post- and pre-LN.</summary>
internal static class EncoderBuilder
{
    private const int Hidden = 768, Heads = 12, Layers = 12, Mlp = 3072;

    public static Workload VitB16(PrecisionRecipe recipe, WorkloadOptions o)
    {
        CnnBuilder.CheckImage(o, 16);
        if (o.ImageSize % 16 != 0) throw new MantissaException($"ViT-B/16 needs an image size that is a multiple of 16, got {o.ImageSize}");
        var g = new GraphBuilder(recipe);
        long b = o.Batch, side = o.ImageSize / 16, patches = side * side, s = patches + 1;
        var img = g.Input("pixel_values", new[] { b, 3, (long)o.ImageSize, o.ImageSize });
        var conv = g.Conv2d("conv_proj", img, Hidden, 16, stride: 16, bias: true);
        var lp = recipe.For("class_token");
        var cls = lp.VectorParam("class_token", new[] { 1L, 1, Hidden });
        var tokens = lp.VectorTensor("class_token.out", new[] { b, s, Hidden });
        g.Add(new Operator("class_token", OpKind.Elementwise, new[] { g.Stored(conv), cls }, new[] { tokens })
        { VectorOps = tokens.Elements, Detail = "concat" });
        var plp = recipe.For("encoder.pos_embedding");
        var pos = plp.VectorParam("encoder.pos_embedding", new[] { 1L, s, Hidden });
        var h = plp.VectorTensor("encoder.pos_embedding.out", tokens.Shape);
        g.Add(new Operator("encoder.pos_embedding", OpKind.Elementwise, new[] { g.Stored(tokens), pos }, new[] { h })
        { VectorOps = h.Elements, Detail = "add" });
        for (int i = 0; i < Layers; i++)
        {
            string p = $"encoder.layers.encoder_layer_{i}";
            var n1 = g.Norm($"{p}.ln_1", h, rms: false);
            var qkv = g.Linear($"{p}.self_attention.in_proj", n1, 3 * Hidden, bias: true);
            var a = Attention(g, $"{p}.self_attention", qkv, qkv, qkv, b, s, "out_proj");
            h = g.Binary($"{p}.residual_attn", h, a, "add");
            var n2 = g.Norm($"{p}.ln_2", h, rms: false);
            var m = g.Linear($"{p}.mlp.3", g.Activation($"{p}.mlp.1", g.Linear($"{p}.mlp.0", n2, Mlp, bias: true), "gelu"), Hidden, bias: true);
            h = g.Binary($"{p}.residual_mlp", h, m, "add");
        }
        var f = g.Norm("encoder.ln", h, rms: false);
        g.Linear("heads.head", f, 1000, bias: true, outRole: TensorRole.Output, leftShape: new[] { b, Hidden });
        return CnnBuilder.Finish(g, "vit-b16", WorkloadKind.Vision, WorkUnit.Frame, o, recipe);
    }

    public static Workload BertBase(PrecisionRecipe recipe, WorkloadOptions o)
    {
        if (o.Phase == Phase.Decode) throw new MantissaException("bert-base is an encoder and has no decode phase; use --phase prefill");
        if (o.Kv is not null) throw new MantissaException("bert-base has no KV cache; use --seq for the sequence length");
        int seq = o.Seq ?? 128;
        if (seq < 1 || seq > 512) throw new MantissaException($"bert-base takes 1..512 tokens (learned positions), got --seq {seq}");
        var g = new GraphBuilder(recipe);
        long b = o.Batch, s = seq;
        var ids = new TensorSpec("input_ids", new[] { b, s }, TensorRole.Activation, new Arch.Numerics.IntFormat(32, true));
        var pos = ids with { Name = "position_ids" };
        var types = ids with { Name = "token_type_ids" };
        g.AddInput(ids); g.AddInput(pos); g.AddInput(types);
        const string e = "bert.embeddings";
        var w = g.Embedding($"{e}.word_embeddings", ids, 30522, Hidden);
        var pe = g.Embedding($"{e}.position_embeddings", pos, 512, Hidden);
        var te = g.Embedding($"{e}.token_type_embeddings", types, 2, Hidden);
        var h = g.Binary($"{e}.add_type", g.Binary($"{e}.add_position", w, pe, "add"), te, "add");
        h = g.Norm($"{e}.LayerNorm", h, rms: false);
        for (int i = 0; i < Layers; i++)
        {
            string p = $"bert.encoder.layer.{i}";
            var q = g.Linear($"{p}.attention.self.query", h, Hidden, bias: true);
            var k = g.Linear($"{p}.attention.self.key", h, Hidden, bias: true);
            var v = g.Linear($"{p}.attention.self.value", h, Hidden, bias: true);
            var a = Attention(g, $"{p}.attention.self", q, k, v, b, s, null);
            a = g.Linear($"{p}.attention.output.dense", a, Hidden, bias: true);
            h = g.Norm($"{p}.attention.output.LayerNorm", g.Binary($"{p}.attention.output.residual", a, h, "add"), rms: false);
            var m = g.Activation($"{p}.intermediate.act", g.Linear($"{p}.intermediate.dense", h, Mlp, bias: true), "gelu");
            m = g.Linear($"{p}.output.dense", m, Hidden, bias: true);
            h = g.Norm($"{p}.output.LayerNorm", g.Binary($"{p}.output.residual", m, h, "add"), rms: false);
        }
        var pooled = g.Linear("bert.pooler.dense", h, Hidden, bias: true, leftShape: new[] { b, Hidden });
        var tanh = g.Unary("bert.pooler.activation", OpKind.Activation, pooled, "tanh", 8);
        // The pooled [CLS] vector is what classification heads consume.
        var outLp = recipe.For("bert.pooler.output");
        g.Add(new Operator("bert.pooler.output", OpKind.Elementwise, new[] { g.Stored(tanh) },
            new[] { outLp.VectorTensor("pooler_output", tanh.Shape, TensorRole.Output) }) { Detail = "copy" });
        return CnnBuilder.Finish(g, "bert-base", WorkloadKind.Encoder, WorkUnit.Token, o, recipe, seq);
    }

    /// <summary>Multi-head self-attention over activations q/k/v (views of [B, S, H] or a fused [B, S, 3H]).</summary>
    private static TensorSpec Attention(GraphBuilder g, string p, TensorSpec q, TensorSpec k, TensorSpec v, long b, long s, string? outProj)
    {
        long d = Hidden / Heads;
        var shape = new[] { b, (long)Heads, s, d };
        var sc = g.AttentionScores($"{p}.qk", q with { Shape = shape }, k with { Shape = shape }, Heads);
        var pr = g.Softmax($"{p}.softmax", sc);
        var o = g.AttentionContext($"{p}.pv", pr, v with { Shape = shape }, Heads);
        var o3 = GraphBuilder.Reshape(o, b, s, Hidden);
        return outProj is null ? o3 : g.Linear($"{p}.{outProj}", o3, Hidden, bias: true);
    }
}
