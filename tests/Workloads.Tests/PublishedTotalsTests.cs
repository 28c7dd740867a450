namespace Mantissa.Workloads.Tests;

/// <summary>Parameter and MAC totals checked against published figures (each with its source and tolerance).</summary>
public class PublishedTotalsTests
{
    private static Workload Build(string model, WorkloadOptions? o = null) => WorkloadCatalog.Build(model, o ?? new WorkloadOptions());

    private static void Near(double expected, double actual, double relTol) =>
        Assert.True(Math.Abs(actual - expected) <= relTol * expected, $"expected {expected:N0} ±{relTol:P1}, got {actual:N0}");

    [Fact]
    public void Llama2_7B_has_6_74B_parameters()
    {
        // Llama 2 paper (Touvron et al. 2023) reports 7B; the checkpoint holds 6,738,415,616 parameters.
        var w = Build("llama-2-7b");
        Assert.Equal(6_738_415_616L, w.Parameters);
    }

    [Fact]
    public void Llama3_8B_has_8_03B_parameters()
    {
        // meta-llama/Meta-Llama-3-8B model card: 8.03B parameters.
        Near(8.03e9, Build("llama-3-8b").Parameters, 0.001);
    }

    [Fact]
    public void Gpt2_has_124M_parameters()
    {
        // GPT-2 small: 124M (tied embeddings; 124,439,808 in the checkpoint).
        Assert.Equal(124_439_808L, Build("gpt2").Parameters);
    }

    [Fact]
    public void Opt_6_7B_parameters()
    {
        // facebook/opt-6.7b: 6.7B (Zhang et al. 2022, Table 1); tied lm_head, positions offset by 2.
        Near(6.66e9, Build("opt-6.7b").Parameters, 0.005);
    }

    [Fact]
    public void Mixtral_has_46_7B_total_and_12_9B_active_parameters()
    {
        // Mixtral of Experts (Jiang et al. 2024): 46.7B total, 12.9B active per token.
        var w = Build("mixtral-8x7b", new WorkloadOptions(Phase.Decode));
        Near(46.7e9, w.Parameters, 0.002);
        Near(12.9e9, w.ActiveParameters, 0.002);
    }

    [Fact]
    public void Bitnet_3B_parameters()
    {
        // 1bitLLM/bitnet_b1_58-3B: 3.3B parameters (tied embeddings, 26 layers of width 3200).
        Near(3.32e9, Build("bitnet-b1.58-3b").Parameters, 0.01);
    }

    [Fact]
    public void BertBase_has_110M_parameters()
    {
        // Devlin et al. 2019: BERT-base 110M; the HF checkpoint with pooler has 109,482,240.
        var w = Build("bert-base");
        Near(110e6, w.Parameters, 0.01);
        Assert.Equal(109_482_240L, w.Parameters);
    }

    [Fact]
    public void ResNet50_4_1G_MACs_and_25_6M_parameters()
    {
        // He et al. 2016 Table 1: 3.8e9 "FLOPs" (multiply-adds) for v1; torchvision v1.5 reports 4.09 GMACs, 25,557,032 params.
        var w = Build("resnet50");
        Near(4.1e9, w.Macs, 0.01);
        Assert.Equal(25_557_032L, w.Parameters);
    }

    [Fact]
    public void ResNet18_1_8G_MACs()
    {
        // He et al. 2016 Table 1: 1.8e9 multiply-adds; torchvision: 11,689,512 parameters.
        var w = Build("resnet18");
        Near(1.8e9, w.Macs, 0.01);
        Assert.Equal(11_689_512L, w.Parameters);
    }

    [Fact]
    public void MobileNetV2_300M_MACs()
    {
        // Sandler et al. 2018 Table 4: 300M multiply-adds, 3.4M parameters (torchvision: 3,504,872).
        var w = Build("mobilenetv2");
        Near(300e6, w.Macs, 0.01);
        Assert.Equal(3_504_872L, w.Parameters);
    }

    [Fact]
    public void VitB16_17_6G_MACs_at_224()
    {
        // Dosovitskiy et al. 2021 / torchvision: 17.56 GFLOPS (multiply-adds) and 86,567,656 parameters at 224x224.
        var w = Build("vit-b16");
        Near(17.56e9, w.Macs, 0.005);
        Assert.Equal(86_567_656L, w.Parameters);
    }

    [Theory]
    [InlineData("llama-2-7b")]
    [InlineData("llama-3-8b")]
    [InlineData("gpt2")]
    public void Decode_MACs_per_token_are_parameters_plus_attention(string model)
    {
        const int kv = 2048;
        var w = Build(model, new WorkloadOptions(Phase.Decode, Kv: Math.Min(kv, model == "gpt2" ? 1024 : kv)));
        var cfg = LlmConfig.Parse(WorkloadCatalog.ReadResource(model + ".json"), model);
        long embedTable = (long)cfg.Vocab * cfg.Hidden;
        long positions = cfg.LearnedPositions ? (long)cfg.MaxPositions * cfg.Hidden : 0;
        // Every matrix parameter is used once per token (embedding lookups cost no MACs, a tied lm_head reuses the table);
        // norms and biases are not matrix parameters.
        long gemmParams = w.Graph.Operators.Where(o => o.Gemm is { RightIsWeight: true }).Sum(o => o.Gemm!.Right.Elements);
        long attention = 2L * cfg.Layers * cfg.Heads * cfg.HeadDim * w.Kv;
        Assert.Equal(gemmParams + attention, w.Macs);
        long untiedEmbedding = cfg.TieEmbeddings ? 0 : embedTable;
        long vectorParams = w.Parameters - gemmParams - untiedEmbedding - positions;
        Assert.InRange(vectorParams, 0, w.Parameters / 1000);
        // ≈ parameters: within the embedding table and the attention term.
        Near(w.Parameters - untiedEmbedding - positions + attention, w.Macs, 0.001);
    }
}
