using Mantissa.Arch;

namespace Mantissa.Workloads.Tests;

public class WorkloadYamlTests
{
    private static Workload Parse(string yaml, string? precision = null) =>
        WorkloadYaml.Parse(yaml, "w.yaml", WorkloadCatalog.ResolveRecipe(precision));

    [Fact]
    public void A_hand_written_mlp_block_infers_shapes_and_counts_macs()
    {
        var w = Parse("""
            name: mlp-block
            tokens: 128
            inputs:
              - name: x
                shape: [128, 4096]
            ops:
              - name: up
                op: linear
                input: x
                out_features: 11008
              - name: act
                op: silu
                input: up
              - name: down
                op: linear
                input: act
                out_features: 4096
                bias: true
              - name: res
                op: add
                inputs: [x, down]
              - name: norm
                op: rmsnorm
                input: res
            """, "w4a16g128");
        Assert.Equal("mlp-block", w.Model);
        Assert.Equal(2L * 128 * 4096 * 11008, w.Macs);
        Assert.Equal(2L * 4096 * 11008 + 4096 + 4096, w.Parameters);
        Assert.Equal(new long[] { 128, 4096 }, w.Graph["down"].Outputs[0].Shape);
        Assert.Equal(128, w.Graph["up"].Gemm!.Right.GroupSize);
        Assert.Equal(128L, w.TokensProduced);
    }

    [Fact]
    public void Conv_attention_and_matmul_ops()
    {
        var w = Parse("""
            inputs:
              - {name: img, shape: [1, 3, 32, 32]}
              - {name: q, shape: [2, 8, 1, 64]}
              - {name: k, shape: [2, 2, 100, 64], role: kv_cache}
              - {name: v, shape: [2, 2, 100, 64], role: kv_cache}
              - {name: a, shape: [4, 16, 32]}
              - {name: b, shape: [4, 32, 8]}
            ops:
              - {name: c1, op: conv2d, input: img, out_channels: 16, kernel: 3, padding: 1, stride: 2}
              - {name: dw, op: conv2d, input: c1, out_channels: 16, kernel: [3, 1], padding: 1, groups: 16}
              - {name: pool, op: avgpool, input: dw}
              - {name: attn, op: attention, inputs: [q, k, v]}
              - {name: mm, op: matmul, inputs: [a, b]}
            """);
        var c1 = w.Graph["c1"].Gemm!;
        Assert.Equal((16L * 16, 27L, 16L), (c1.M, c1.K, c1.N));
        var dw = w.Graph["dw"].Gemm!;
        Assert.Equal((16L, 3L), (dw.Batch, dw.K));
        var qk = w.Graph["attn.qk"].Gemm!;
        Assert.Equal((16L, 1L, 64L, 100L, 4), (qk.Batch, qk.M, qk.K, qk.N, qk.RightSharedBy));
        Assert.Equal(TensorRole.KvCache, qk.Right.Role);
        Assert.Equal(4L * 16 * 32 * 8, w.Graph["mm"].Macs);
    }

    [Fact]
    public void Errors_carry_file_line_column_and_key_and_are_all_reported()
    {
        var e = Assert.Throws<MantissaException>(() => Parse("""
            inputs:
              - name: x
                shape: [128, 0]
              - name: y
                shape: [4, 4]
            ops:
              - name: a
                op: linera
                input: y
              - name: b
                op: linear
                input: nowhere
                out_features: 8
              - name: c
                op: add
                inputs: [y, d]
              - name: d
                op: relu
                input: y
              - name: e
                op: linear
                input: y
                out_feature: 8
            """));
        Assert.Contains("w.yaml:3:18: key 'shape': dimensions must be positive integers, got '0'", e.Message);
        Assert.Contains("w.yaml:8:9: key 'op': unknown operator 'linera'", e.Message);
        Assert.Contains("w.yaml:12:12: key 'input': 'nowhere' is neither a graph input nor an earlier operator (dangling edge)", e.Message);
        Assert.Contains("w.yaml:16:17: key 'inputs': 'd' is defined later", e.Message);
        Assert.Contains("key 'out_feature': unknown key in a 'linear' operator; did you mean 'out_features'?", e.Message);
        Assert.Contains("missing key 'out_features'", e.Message);
    }

    [Fact]
    public void Shape_mismatches_name_the_operator_line()
    {
        var e = Assert.Throws<MantissaException>(() => Parse("""
            inputs:
              - {name: a, shape: [4, 8]}
              - {name: b, shape: [4, 9]}
            ops:
              - {name: s, op: add, inputs: [a, b]}
            """));
        Assert.Contains("w.yaml:5:19: key 'op': 'add' operands differ in shape: [4x8] and [4x9]", e.Message);
    }

    [Fact]
    public void Self_reference_is_a_cycle()
    {
        var e = Assert.Throws<MantissaException>(() => Parse("""
            inputs: [{name: a, shape: [4]}]
            ops:
              - {name: s, op: relu, input: s}
            """));
        Assert.Contains("reads its own output (a cycle)", e.Message);
    }

    [Fact]
    public void Yaml_syntax_errors_have_a_position()
    {
        var e = Assert.Throws<MantissaException>(() => Parse("inputs: [\nops: {"));
        Assert.StartsWith("w.yaml:", e.Message);
        Assert.Contains("invalid YAML", e.Message);
    }

    // Found by the robustness suite's FsCheck properties: YamlDotNet throws ArgumentException (no position) on events it
    // cannot build a node from; the workload and recipe readers report them as positioned YAML errors.
    [Theory]
    [InlineData("name: w\n? : asic\n")]
    [InlineData("name: w\npopulation: *bnode_nm: *a*a\n")]
    public void UnbuildableYamlEventsAreInvalidYamlWithAPosition(string yaml)
    {
        var e = Assert.Throws<MantissaException>(() => Parse(yaml));
        Assert.Matches(@"^w\.yaml:\d+:\d+: invalid YAML: a key or value before this point", e.Message);
        var r = Assert.Throws<MantissaException>(() => RecipeYaml.Parse(yaml, "w.yaml"));
        Assert.Matches(@"^w\.yaml:\d+:\d+: invalid YAML", r.Message);
    }
}
