namespace Mantissa.Workloads.Tests;

/// <summary>Each tensor has one format: the bytes and format its writer reports equal what every reader reports.</summary>
public class EdgeFormatTests
{
    private static readonly string[] Recipes = { "w8a8", "w4a16g128", "fp16", "mxfp4" };

    public static IEnumerable<object[]> Cases() =>
        from m in WorkloadCatalog.Names
        from r in Recipes
        from p in WorkloadCatalog.Describe(m).Kind == WorkloadKind.Llm ? new[] { Phase.Prefill, Phase.Decode } : new[] { Phase.Prefill }
        select new object[] { m, r, p };

    /// <summary>The config.json families of <see cref="LlmFamilyTests"/> (DeepSeek-V3 left out: 256 experts make it slow, V2-Lite has the same structure).</summary>
    public static IEnumerable<object[]> FamilyCases() =>
        from m in new[] { "phi-3-mini-4k-instruct", "gemma-2-9b", "gemma-3-1b-pt", "qwen1.5-moe-a2.7b", "qwen3-8b", "deepseek-v2-lite" }
        from r in new[] { "w4a16g128", "mxfp4" }
        from p in new[] { Phase.Prefill, Phase.Decode }
        select new object[] { m, r, p };

    [Theory]
    [MemberData(nameof(FamilyCases))]
    public void Producer_and_consumer_agree_on_every_edge_of_the_config_families(string family, string recipe, Phase phase)
    {
        var w = WorkloadCatalog.Build(LlmFamilyTests.ConfigDir(family), new WorkloadOptions(phase, Batch: 2, Seq: phase == Phase.Prefill ? 48 : null,
                                                                                           Kv: phase == Phase.Decode ? 80 : null, Precision: recipe));
        Check(w, recipe);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Producer_and_consumer_agree_on_every_edge(string model, string recipe, Phase phase)
    {
        bool llm = WorkloadCatalog.Describe(model).Kind == WorkloadKind.Llm;
        var w = WorkloadCatalog.Build(model, new WorkloadOptions(phase, Batch: 2, Seq: llm && phase == Phase.Prefill ? 48 : null,
                                                                  Kv: llm && phase == Phase.Decode ? 80 : null, Precision: recipe));
        Check(w, recipe);
    }

    private static void Check(Workload w, string recipe)
    {
        Assert.NotEmpty(w.Graph.Edges);
        foreach (var e in w.Graph.Edges)
        {
            var written = w.Graph[e.From].Outputs.Single(t => t.Name == e.Tensor);
            foreach (var read in w.Graph[e.To].Inputs.Where(t => t.Name == e.Tensor))
            {
                Assert.True(written.Format == read.Format, $"{e.From} writes {written}, {e.To} reads {read}");
                Assert.True(written.Bytes == read.Bytes, $"{e.From} writes {written.Bytes} B of {e.Tensor}, {e.To} reads {read.Bytes} B");
            }
        }
        // Graph inputs are read exactly as declared.
        var declared = w.Graph.Inputs.ToDictionary(t => t.Name);
        foreach (var op in w.Graph.Operators)
            foreach (var t in op.Inputs.Where(t => declared.ContainsKey(t.Name)))
                Assert.True(declared[t.Name].Format == t.Format && declared[t.Name].Bytes == t.Bytes, $"{op.Name} reads input {t}, declared {declared[t.Name]}");
        // A GEMM's activation operand is at the format the recipe gives that layer.
        foreach (var op in w.Graph.Operators.Where(o => o.Gemm is not null))
        {
            var lp = w.Recipe.For(op.Name);
            Assert.True(GraphBuilder.SameFormat(lp.Activations, op.Gemm!.Left.Format), $"{op.Name} reads {op.Gemm.Left} under {recipe}");
        }
    }

    [Fact]
    public void Resnet50_w8a8_bn1_reads_conv1_output_at_int8_and_a_quantize_op_feeds_the_next_conv()
    {
        var w = WorkloadCatalog.Build("resnet50", new WorkloadOptions(Precision: "w8a8"));
        var conv1 = w.Graph["conv1"].Outputs[0];
        var bn1In = w.Graph["bn1"].Inputs[0];
        Assert.Equal("conv1.out", bn1In.Name);
        // 64 channels × 112 × 112 at one byte (the reviewer saw bn1 read it as 1,605,888 B of fp16).
        Assert.Equal(802_816, conv1.Bytes);
        Assert.Equal(802_816, bn1In.Bytes);
        Assert.Equal("int8", bn1In.Format.Name);
        // maxpool writes fp16 (the vector format); layer1.0.conv1 and the downsample conv share one explicit quantize.
        var q = w.Graph["maxpool.to_int8"];
        Assert.Equal(OpKind.Elementwise, q.Kind);
        Assert.Equal("convert fp16->int8", q.Detail);
        Assert.Equal(64L * 56 * 56 * 2, q.BytesRead);
        Assert.Equal(64L * 56 * 56, q.BytesWritten);
        Assert.Equal("maxpool.to_int8.out", w.Graph["layer1.0.conv1"].Gemm!.Left.Name);
        Assert.Equal("maxpool.to_int8.out", w.Graph["layer1.0.downsample.0"].Gemm!.Left.Name);
        Assert.Equal("fp16", w.Graph["layer1.0.add"].Inputs[1].Format.Name);
        Assert.Single(w.Graph.Operators, o => o.Name.StartsWith("maxpool.to_", StringComparison.Ordinal));
        // The table shows where an operator changes format.
        Assert.Equal("int8 -> fp16", WorkloadTable.Formats(w.Graph["bn1"]));
        Assert.Equal("fp16 -> int8", WorkloadTable.Formats(q));
        Assert.Equal("fp16", WorkloadTable.Formats(w.Graph["relu"]));
    }

    [Fact]
    public void Fp16_recipe_needs_no_conversion_ops()
    {
        foreach (var m in WorkloadCatalog.Names)
        {
            var w = WorkloadCatalog.Build(m, new WorkloadOptions(Seq: WorkloadCatalog.Describe(m).Kind == WorkloadKind.Llm ? 16 : null));
            Assert.DoesNotContain(w.Graph.Operators, o => o.Detail.StartsWith("convert", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Gpt2_fused_qkv_is_read_as_slices_of_one_converted_tensor()
    {
        var w = WorkloadCatalog.Build("gpt2", new WorkloadOptions(Seq: 8, Precision: "w8a8"));
        var qk = w.Graph["transformer.h.0.attn.qk"];
        var qkv = w.Graph["transformer.h.0.attn.c_attn"].Outputs[0];
        Assert.Equal("int8", qkv.Format.Name);
        Assert.Same(qkv, qk.Inputs[0]);
        // qk reads the q third of the fused output (8 tokens × 768) plus the 8 × 768 cached keys at fp16.
        Assert.Equal(8 * 768 * 1 + 8 * 768 * 2, qk.BytesRead);
        // The softmax output (fp16) is quantized once for P·V.
        Assert.Equal("transformer.h.0.attn.softmax.to_int8.out", w.Graph["transformer.h.0.attn.pv"].Gemm!.Left.Name);
    }

    [Fact]
    public void Yaml_token_ids_are_declared_and_read_as_int32()
    {
        const string yaml = """
            inputs:
              - {name: ids, shape: [4, 16]}
            ops:
              - {name: emb, op: embedding, input: ids, rows: 1000, dim: 64}
              - {name: fc, op: linear, input: emb, out_features: 32}
            """;
        var w = WorkloadYaml.Parse(yaml, "t.yaml", RecipePresets.Get("w8a8"));
        Assert.Equal("int32", w.Graph.Inputs.Single().Format.Name);
        Assert.Equal(4 * 16 * 4, w.Graph["emb"].Inputs[0].Bytes);
        // The lookup writes fp16; fc's int8 operand comes from an explicit conversion.
        Assert.Equal("emb.to_int8.out", w.Graph["fc"].Gemm!.Left.Name);
    }
}
