namespace Mantissa.Workloads.Tests;

/// <summary>Training steps: backward GEMMs checked against Megatron-LM's per-step FLOP formula and the 6·N·tokens rule, per-pass formats.</summary>
public class TrainingStepTests
{
    private static Workload Train(string model, int? seq = null, string? precision = null, int batch = 1) =>
        WorkloadCatalog.Build(model, new WorkloadOptions(Phase.Train, batch, seq, Precision: precision));

    [Fact]
    public void Gpt2_step_matches_megatrons_published_flop_formula_exactly()
    {
        // Narayanan et al., SC 2021 ("Efficient Large-Scale Language Model Training on GPU Clusters Using
        // Megatron-LM"), §5.1: one step without activation recomputation takes 72·B·s·l·h²·(1 + s/(6h) + V/(12·l·h))
        // FLOPs = 36·B·s·l·h² + 6·B·s²·l·h + 3·B·s·h·V multiply-accumulates (biases and norms left out).
        long b = 2, s = 1024, l = 12, h = 768, v = 50257;
        var w = Train("gpt2", 1024, batch: 2);
        Assert.Equal(36 * b * s * l * h * h + 6 * b * s * s * l * h + 3 * b * s * h * v, w.Macs);
        Assert.Equal(Phase.Train, w.Phase);
    }

    [Fact]
    public void Llama_weight_gemms_follow_the_six_n_tokens_rule()
    {
        // Kaplan et al. 2020: training costs 6·N FLOPs (3·N MACs) per token for the N parameters of the GEMMs.
        var w = Train("llama-2-7b", 256);
        long tokens = 256;
        long gemmParams = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Seq: 256)).Graph.Operators
            .Where(o => o.Kind == OpKind.Gemm).Sum(o => o.Gemm!.Right.Elements);
        Assert.Equal(w.Parameters - 32000L * 4096 - 65 * 4096, gemmParams);   // all but the embedding table and norms
        Assert.Equal(3 * tokens * gemmParams, w.Graph.Operators.Where(o => o.Kind == OpKind.Gemm).Sum(o => o.Macs));
        Assert.InRange(w.Macs / (3.0 * w.Parameters * tokens), 0.98, 1.02);
    }

    [Theory]
    [InlineData("gpt2")]
    [InlineData("llama-2-7b")]
    public void A_step_has_no_kv_cache_and_the_attention_of_prefill(string model)
    {
        // Training attends within its own sequence: nothing is appended to a KV cache (no kv_append operator, no cache
        // tensor), while the attention GEMMs are those of a prefill of the same length.
        var w = Train(model, 128);
        var prefill = WorkloadCatalog.Build(model, new WorkloadOptions(Seq: 128));
        Assert.DoesNotContain(w.Graph.Operators, o => o.Kind == OpKind.KvAppend);
        Assert.Contains(prefill.Graph.Operators, o => o.Kind == OpKind.KvAppend);
        long Attention(Workload x) => x.Graph.Operators.Where(o => o.Name.EndsWith(".qk") || o.Name.EndsWith(".pv")).Sum(o => o.Macs);
        Assert.True(Attention(prefill) > 0);
        Assert.Equal(Attention(prefill), Attention(w));
    }

    [Fact]
    public void A_deepseek_step_has_no_latent_cache()
    {
        var w = WorkloadCatalog.Build(LlmFamilyTests.ConfigDir("deepseek-v2-lite"), new WorkloadOptions(Phase.Train, 1, 64));
        Assert.DoesNotContain(w.Graph.Operators, o => o.Kind == OpKind.KvAppend);
    }

    [Fact]
    public void A_cnn_step_skips_only_the_image_gradient()
    {
        var fwd = WorkloadCatalog.Build("resnet18", new WorkloadOptions());
        var w = Train("resnet18");
        Assert.Equal(3 * fwd.Macs - fwd.Graph["conv1"].Macs, w.Macs);
        Assert.Null(w.Graph.Operators.FirstOrDefault(o => o.Name == "conv1.grad_input"));
        Assert.NotNull(w.Graph["conv1.grad_weight"]);
        // fp32 master weights and two fp32 Adam moments per parameter
        Assert.Equal(12.0 * 11_689_512, w.Training!.OptimizerStateBytes);
        Assert.True(w.Training.SavedActivationBytes > 0);
    }

    [Fact]
    public void Fp8_recipe_uses_e4m3_forward_e5m2_gradients_and_fp32_weight_gradients()
    {
        var w = Train("gpt2", 128, "fp8-train");
        var fwd = w.Graph["transformer.h.0.mlp.c_fc"].Gemm!;
        var dx = w.Graph["transformer.h.0.mlp.c_fc.grad_input"].Gemm!;
        var dw = w.Graph["transformer.h.0.mlp.c_fc.grad_weight"].Gemm!;
        Assert.Equal(("fp8e4m3", "fp8e4m3"), (fwd.Left.Format.Name, fwd.Right.Format.Name));
        Assert.Equal("fp8e5m2", dx.Left.Format.Name);
        Assert.Equal("fp8e4m3", dx.Right.Format.Name);
        Assert.Equal("fp32", dw.Output.Format.Name);
        Assert.Equal((fwd.K, fwd.N, fwd.M), (dw.M, dw.N, dw.K));
        Assert.Equal((fwd.M, fwd.N, fwd.K), (dx.M, dx.K, dx.N));
    }

    [Fact]
    public void Mxfp4_recipe_rotates_every_backward_gemm_operand()
    {
        var w = Train("gpt2", 128, "mxfp4-train");
        var rot = w.Graph["transformer.h.0.mlp.c_fc.grad_input.dy.hadamard"];
        // a 32-point fast Walsh-Hadamard transform: log2(32) = 5 add/subtracts per element
        Assert.Equal(5 * rot.Outputs[0].Elements, rot.VectorOps);
        int backwardGemms = w.Graph.Operators.Count(o => o.Gemm is not null && o.Name.Contains(".grad_"));
        Assert.Equal(2 * backwardGemms, w.Graph.Operators.Count(o => o.Name.EndsWith(".hadamard")));
        Assert.Equal("mxfp4", w.Graph["transformer.h.0.mlp.c_fc.grad_input"].Gemm!.Left.Format.Name);
    }

    [Fact]
    public void A_recipe_yaml_sets_the_training_formats()
    {
        var r = RecipeYaml.Parse("base: fp8-train\ntraining: {gradients: bf16, hadamard_block: 64}\n", "t.yaml");
        Assert.Equal(("bf16", "fp32", 64), (r.Training.Gradients!.Name, r.Training.MasterWeights.Name, r.Training.HadamardBlock));
        var e = Assert.Throws<Mantissa.Arch.MantissaException>(() => RecipeYaml.Parse("training: {hadamard_block: 48, gradiants: fp8e5m2}\n", "t.yaml"));
        Assert.Contains("must be a power of two", e.Message);
        Assert.Contains("gradiants", e.Message);
    }
}
