namespace Mantissa.Workloads.Tests;

public class GemmLoweringTests
{
    [Fact]
    public void Conv_lowers_by_implicit_im2col()
    {
        var w = WorkloadCatalog.Build("resnet50", new WorkloadOptions(Batch: 2));
        var conv1 = w.Graph["conv1"].Gemm!;
        // 224 -> 112 with a 7x7 stride-2 pad-3 kernel: M = 2*112*112, K = 3*7*7, N = 64.
        Assert.Equal((1L, 2L * 112 * 112, 147L, 64L), (conv1.Batch, conv1.M, conv1.K, conv1.N));
        Assert.True(conv1.RightIsWeight);
        // The Left operand is the real input tensor (not the im2col matrix): 2x3x224x224 fp16.
        Assert.Equal(2L * 3 * 224 * 224 * 2, (long)conv1.Left.Bytes);
        var down = w.Graph["layer2.0.downsample.0"].Gemm!;
        Assert.Equal((2L * 28 * 28, 256L, 512L), (down.M, down.K, down.N));
    }

    [Fact]
    public void Batch_scales_macs_but_not_parameters()
    {
        var one = WorkloadCatalog.Build("resnet50", new WorkloadOptions());
        var eight = WorkloadCatalog.Build("resnet50", new WorkloadOptions(Batch: 8));
        Assert.Equal(8 * one.Macs, eight.Macs);
        Assert.Equal(one.Parameters, eight.Parameters);
        Assert.Equal(8L, eight.TokensProduced);
        // ViT at 384x384: 24x24 = 576 patches + class token.
        var vit = WorkloadCatalog.Build("vit-b16", new WorkloadOptions(ImageSize: 384));
        Assert.Equal(577L, vit.Graph["encoder.layers.encoder_layer_0.self_attention.qk"].Gemm!.M);
    }

    [Fact]
    public void Depthwise_conv_has_one_gemm_per_channel()
    {
        var w = WorkloadCatalog.Build("mobilenetv2", new WorkloadOptions());
        var dw = w.Graph["features.2.conv.1.0"];
        Assert.Equal(OpKind.Conv2d, dw.Kind);
        Assert.Contains("dw", dw.Detail);
        // 16 -> 96 channels expanded, 112 -> 56 with stride 2: groups = 96, M = 56*56, K = 9, N = 1.
        Assert.Equal((96L, 56L * 56, 9L, 1L), (dw.Gemm!.Batch, dw.Gemm.M, dw.Gemm.K, dw.Gemm.N));
    }

    [Fact]
    public void Gqa_attention_shares_each_kv_head_across_query_heads()
    {
        var w = WorkloadCatalog.Build("llama-3-8b", new WorkloadOptions(Phase.Decode, Batch: 4, Kv: 1000));
        var qk = w.Graph["model.layers.0.self_attn.qk"].Gemm!;
        Assert.Equal((4L * 32, 1L, 128L, 1000L), (qk.Batch, qk.M, qk.K, qk.N));
        Assert.Equal(4, qk.RightSharedBy);
        Assert.Equal(TensorRole.KvCache, qk.Right.Role);
        Assert.False(qk.RightIsWeight);
        // The cache is stored once per KV head: 4 sequences x 8 KV heads x 1000 tokens x 128 dims, fp16.
        Assert.Equal(4L * 8 * 1000 * 128 * 2, (long)qk.Right.Bytes);
        var append = w.Graph["model.layers.0.self_attn.k_cache_append"];
        Assert.Equal(4L * 8 * 128, append.ElementsWritten);
        var pv = w.Graph["model.layers.0.self_attn.pv"].Gemm!;
        Assert.Equal((128L, 1L, 1000L, 128L), (pv.Batch, pv.M, pv.K, pv.N));
    }

    [Fact]
    public void Prefill_attention_is_tokens_by_kv_length()
    {
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Prefill, Seq: 512));
        var qk = w.Graph["model.layers.5.self_attn.qk"].Gemm!;
        Assert.Equal((32L, 512L, 128L, 512L), (qk.Batch, qk.M, qk.K, qk.N));
        var q = w.Graph["model.layers.5.self_attn.q_proj"].Gemm!;
        Assert.Equal((512L, 4096L, 4096L), (q.M, q.K, q.N));
        // Logits only for the last position of each sequence.
        Assert.Equal(1L, w.Graph["lm_head"].Gemm!.M);
        Assert.Equal(512L, w.TokensProduced);
    }

    [Fact]
    public void Mistral_sliding_window_caps_the_attended_length()
    {
        var w = WorkloadCatalog.Build("mistral-7b", new WorkloadOptions(Phase.Decode, Kv: 10000));
        Assert.Equal(4096L, w.Graph["model.layers.0.self_attn.qk"].Gemm!.N);
    }

    [Fact]
    public void Mixtral_decode_runs_only_the_routed_experts()
    {
        var w = WorkloadCatalog.Build("mixtral-8x7b", new WorkloadOptions(Phase.Decode));
        var experts = w.Graph.Operators.Where(o => o.Name.StartsWith("model.layers.0.block_sparse_moe.experts.") && o.Name.EndsWith(".w1")).ToList();
        Assert.Equal(2, experts.Count);
        // Pass traffic: 2 of 8 experts' weights; storage: all 8.
        long expertParams = 3L * 4096 * 14336;
        Assert.Equal(w.Parameters - 32L * 6 * expertParams, w.Graph.Weights.Sum(t => t.Elements));
        // A large prefill batch touches every expert, with the token slots spread evenly.
        var p = WorkloadCatalog.Build("mixtral-8x7b", new WorkloadOptions(Phase.Prefill, Seq: 100));
        var w1 = p.Graph.Operators.Where(o => o.Name.StartsWith("model.layers.0.block_sparse_moe.experts.") && o.Name.EndsWith(".w1")).ToList();
        Assert.Equal(8, w1.Count);
        Assert.Equal(200L, w1.Sum(o => o.Gemm!.M));
    }

    [Fact]
    public void Checkpoint_layer_names_are_kept()
    {
        Assert.Equal(OpKind.Gemm, WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode)).Graph["model.layers.3.mlp.down_proj"].Kind);
        Assert.Equal(OpKind.Gemm, WorkloadCatalog.Build("gpt2", new WorkloadOptions(Seq: 8)).Graph["transformer.h.0.attn.c_attn"].Kind);
        Assert.Equal(OpKind.Gemm, WorkloadCatalog.Build("opt-6.7b", new WorkloadOptions(Seq: 8)).Graph["model.decoder.layers.0.self_attn.q_proj"].Kind);
    }

    [Fact]
    public void Tied_embeddings_are_stored_once()
    {
        var w = WorkloadCatalog.Build("gpt2", new WorkloadOptions(Seq: 16));
        var head = w.Graph["lm_head"].Gemm!;
        Assert.Equal("transformer.wte.weight", head.Right.Name);
        Assert.Single(w.StoredWeights, t => t.Name == "transformer.wte.weight");
    }
}
