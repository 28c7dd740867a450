using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Tests;

public class RecipeTests
{
    [Theory]
    [InlineData("*.mlp.down_proj", "model.layers.3.mlp.down_proj", true)]
    [InlineData("model.layers.?.mlp.*", "model.layers.3.mlp.up_proj", true)]
    [InlineData("model.layers.?.mlp.*", "model.layers.13.mlp.up_proj", false)]
    [InlineData("lm_head", "lm_head", true)]
    [InlineData("lm_head", "lm_head2", false)]
    [InlineData("*", "", true)]
    public void Glob_matching(string pattern, string name, bool expected) => Assert.Equal(expected, Glob.IsMatch(pattern, name));

    [Fact]
    public void Every_preset_builds_a_model()
    {
        foreach (var name in RecipePresets.Names)
        {
            var w = WorkloadCatalog.Build("gpt2", new WorkloadOptions(Seq: 4, Precision: name));
            Assert.Equal(name, w.Recipe.Name);
            Assert.True(w.WeightBytes > 0);
        }
    }

    [Fact]
    public void Llama2_w4a16g128_weight_bytes_include_fp16_scales()
    {
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Precision: "w4a16g128"));
        // Independent count: 32 layers of q,k,v,o (4096x4096) and gate,up,down (4096x11008) at 4 bits, one fp16 scale per
        // 128 weights along the input dimension; embeddings, lm_head (override) and norms stay fp16.
        long qkvo = 4L * 4096 * 4096, mlp = 3L * 4096 * 11008;
        long quantized = 32 * (qkvo + mlp);
        long groups = 32 * (4L * 4096 * (4096 / 128) + 2L * 11008 * (4096 / 128) + 4096L * (11008 / 128));
        long fp16 = 2L * 32000 * 4096 + 32 * 2 * 4096 + 4096;
        double expected = quantized * 4 / 8.0 + groups * 2.0 + fp16 * 2.0;
        Assert.Equal(expected, w.WeightBytes);
        Assert.Equal(quantized / 128, groups);
        var q = w.Graph["model.layers.0.self_attn.q_proj"].Gemm!.Right;
        Assert.Equal(128, q.GroupSize);
        Assert.Equal("fp16", w.Graph["lm_head"].Gemm!.Right.Format.Name);
    }

    [Fact]
    public void Recipe_yaml_overrides_match_by_glob_and_last_match_wins()
    {
        var r = RecipeYaml.Parse("""
            base: w4a16g128
            kv_cache: fp8e4m3
            overrides:
              - match: "*.mlp.down_proj"
                weights: int8
                group_size: 0
              - match: "model.layers.0.*"
                weights: fp16
            """, "r.yaml");
        Assert.Equal("int4", r.For("model.layers.3.self_attn.q_proj").Weights.Name);
        Assert.Equal("int8", r.For("model.layers.3.mlp.down_proj").Weights.Name);
        Assert.Equal(0, r.For("model.layers.3.mlp.down_proj").GroupSize);
        Assert.Equal("fp16", r.For("model.layers.0.mlp.down_proj").Weights.Name);
        Assert.Equal("fp16", r.For("lm_head").Weights.Name); // inherited from the preset
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Kv: 16) with { Precision = null });
        Assert.Equal("fp16", w.Graph["model.layers.0.self_attn.qk"].Gemm!.Right.Format.Name);
        var path = Path.Combine(Path.GetTempPath(), $"mantissa-recipe-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, "base: w4a16g128\nkv_cache: fp8e4m3\noverrides:\n  - match: \"*.mlp.down_proj\"\n    weights: int8\n    group_size: 0\n");
        try
        {
            var w2 = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Kv: 16, Precision: path));
            Assert.Equal("fp8e4m3", w2.Graph["model.layers.0.self_attn.qk"].Gemm!.Right.Format.Name);
            var down = w2.Graph["model.layers.4.mlp.down_proj"].Gemm!.Right;
            Assert.Equal(("int8", 0), (down.Format.Name, down.GroupSize));
            Assert.Equal(4096L * 11008, (long)down.Bytes);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void Bitmod_groups_carry_a_scale_and_a_datatype_id()
    {
        var up = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Precision: "bitmod-w4")).Graph["model.layers.0.mlp.up_proj"].Gemm!.Right;
        Assert.Equal("fp4e2m1", up.Format.Name);
        Assert.Equal((11008L * 4096 * 4 + 11008L * 32 * (16 + 2)) / 8.0, up.Bytes);
    }

    [Fact]
    public void Asymmetric_recipes_store_zero_points()
    {
        var r = RecipeYaml.Parse("base: w4a16g128\nasymmetric: true\n", "a.yaml");
        var t = r.For("x").Weight("x.weight", new long[] { 1, 256 });
        Assert.Equal((256 * 4 + 2 * (16 + 4)) / 8.0, t.Bytes);
    }

    [Fact]
    public void Recipe_yaml_errors_give_line_column_and_key_for_every_problem()
    {
        var e = Assert.Throws<MantissaException>(() => RecipeYaml.Parse("""
            weights: int65
            group_size: -3
            activatons: fp16
            overrides:
              - weights: int8
            """, "bad.yaml"));
        Assert.Contains("4 problems", e.Message);
        Assert.Contains("bad.yaml:1:10: key 'weights': unknown number format 'int65'", e.Message);
        Assert.Contains("bad.yaml:2:13: key 'group_size': must be at least 0, got -3", e.Message);
        Assert.Contains("bad.yaml:3:1: key 'activatons': unknown key in a recipe; did you mean 'activations'?", e.Message);
        Assert.Contains("bad.yaml:5:5: missing key 'match'", e.Message);
    }

    [Fact]
    public void Unknown_precision_is_explained()
    {
        var e = Assert.Throws<MantissaException>(() => WorkloadCatalog.Build("gpt2", new WorkloadOptions(Precision: "w5a5")));
        Assert.Contains("unknown precision 'w5a5'", e.Message);
        Assert.Contains("w4a16g128", e.Message);
    }

    [Fact]
    public void Block_and_ternary_presets_use_their_own_storage()
    {
        var mx = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Precision: "mxfp4")).Graph["model.layers.0.mlp.up_proj"].Gemm!.Right;
        Assert.Equal(4096L * 11008 * 4.25 / 8, mx.Bytes);
        var nv = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Precision: "nvfp4")).Graph["model.layers.0.mlp.up_proj"].Gemm!.Right;
        Assert.Equal(4096L * 11008 * 4.5 / 8, nv.Bytes);
        var bit = WorkloadCatalog.Build("bitnet-b1.58-3b", new WorkloadOptions(Phase.Decode, Precision: "ternary"));
        var up = bit.Graph["model.layers.0.mlp.up_proj"].Gemm!;
        Assert.IsType<TernaryFormat>(up.Right.Format);
        Assert.Equal("int8", up.Left.Format.Name);
        Assert.Equal(3200L * 8640 * 2 / 8, (long)up.Right.Bytes);
    }
}
