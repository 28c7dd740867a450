using System.Runtime.CompilerServices;
using Mantissa.Arch;

namespace Mantissa.Workloads.Tests.Onnx;

/// <summary>
/// ONNX graphs exported from torchvision's own model definitions (tests/fixtures/onnx/export_fixtures.py; weights
/// stripped, shapes kept) import to the same operator DAG, parameter and MAC totals as the bundled builders.
/// </summary>
public class OnnxImportTests
{
    private static string Fixture(string name, [CallerFilePath] string here = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(here)!, "..", "..", "fixtures", "onnx", name + ".onnx"));

    private static Workload Build(string name, int batch = 1, string? precision = null) =>
        WorkloadCatalog.Build(Fixture(name), new WorkloadOptions(Batch: batch, Precision: precision));

    [Fact]
    public void ResNet18_export_matches_the_builder_and_the_published_totals()
    {
        // torchvision: 11,689,512 parameters; He et al. 2016 Table 1: 1.8 G multiply-adds.
        var onnx = Build("resnet18");
        var built = WorkloadCatalog.Build("resnet18", new WorkloadOptions());
        Assert.Equal(11_689_512L, onnx.Parameters);
        Assert.Equal(built.Macs, onnx.Macs);
        Assert.Equal(1_814_073_344L, onnx.Macs);
        Assert.Equal("resnet18", onnx.Model);
        Assert.Equal(WorkUnit.Frame, onnx.Unit);
        // layers carry the module names, so the GEMM lowering can be compared layer by layer
        foreach (var op in built.Graph.Operators.Where(o => o.Gemm is not null))
        {
            var g = onnx.Graph[op.Name].Gemm!;
            Assert.Equal((op.Gemm!.Batch, op.Gemm.M, op.Gemm.K, op.Gemm.N), (g.Batch, g.M, g.K, g.N));
        }
        Assert.Equal(built.Graph.Operators.Count, onnx.Graph.Operators.Count);
    }

    [Fact]
    public void MobileNetV2_export_matches_the_builder_including_depthwise_convolutions()
    {
        // torchvision: 3,504,872 parameters; Sandler et al. 2018: 300 M multiply-adds.
        var onnx = Build("mobilenet_v2");
        var built = WorkloadCatalog.Build("mobilenetv2", new WorkloadOptions());
        Assert.Equal(3_504_872L, onnx.Parameters);
        Assert.Equal(built.Macs, onnx.Macs);
        var dw = onnx.Graph["features.1.conv.0.0"];
        Assert.Equal((32L, 1L), (dw.Gemm!.Batch, dw.Gemm.N));
        Assert.Contains("dw", dw.Detail);
        Assert.Equal(35, onnx.Graph.Operators.Count(o => o.Kind == OpKind.Activation && o.Detail == "relu6"));
    }

    [Fact]
    public void A_vit_encoder_block_matches_one_layer_of_the_bundled_vit_b16()
    {
        var onnx = Build("vit_b16_block");
        var vit = WorkloadCatalog.Build("vit-b16", new WorkloadOptions());
        const string layer = "encoder.layers.encoder_layer_0.";
        long builtParams = vit.StoredWeights.Where(t => t.Name.StartsWith(layer, StringComparison.Ordinal)).Sum(t => t.Elements);
        long builtMacs = vit.Graph.Operators.Where(o => o.Name.StartsWith(layer, StringComparison.Ordinal)).Sum(o => o.Macs);
        Assert.Equal(7_087_872L, builtParams);
        Assert.Equal(builtParams, onnx.Parameters);
        Assert.Equal(builtMacs, onnx.Macs);
        // nn.MultiheadAttention exports its scores and context as batched activation x activation MatMuls
        var scores = onnx.Graph.Operators.Where(o => o.Kind == OpKind.MatMul).Select(o => (o.Gemm!.Batch, o.Gemm.M, o.Gemm.K, o.Gemm.N)).ToList();
        Assert.Equal(new[] { (12L, 197L, 64L, 197L), (12L, 197L, 197L, 64L) }, scores);
        Assert.Equal(197, onnx.TokensProduced);
    }

    [Fact]
    public void Batch_scales_a_fixed_batch_of_one()
    {
        Assert.Equal(4 * 1_814_073_344L, Build("resnet18", batch: 4).Macs);
    }

    [Fact]
    public void Unsupported_operators_are_named_with_their_counts()
    {
        var e = Assert.Throws<MantissaException>(() => Build("unsupported_ops"));
        Assert.Contains("unsupported ONNX operators: Einsum (1), CumSum (2)", e.Message);
    }

    [Fact]
    public void The_PaddleOCR_classifier_with_stride_2x1_convolutions_imports_with_onnx_shape_inferences_MACs()
    {
        // the PaddleOCR classifier (tests/fixtures/onnx/README.md) strides [2, 1] and slices with opset-9 attributes.
        // Reference: onnx 1.12's own shape inference (onnx.shape_inference.infer_shapes) with the input fixed to
        // 1x3x192x192, summing output elements x (Cin / group) x kh x kw over its 53 Conv nodes: 55,890,784 MACs.
        var w = WorkloadCatalog.Build(Fixture("ch_ppocr_mobile_v2.0_cls_infer"), new WorkloadOptions(ImageSize: 192));
        var convs = w.Graph.Operators.Where(o => o.Kind == OpKind.Conv2d).ToList();
        Assert.Equal(53, convs.Count);
        Assert.Equal(55_890_784L, convs.Sum(o => o.Macs));
        Assert.Equal(55_890_784L + 200 * 2, w.Macs);   // and the 200x2 classifier MatMul
        Assert.Contains(convs, o => o.Detail.StartsWith("k3 s2x1 p1", StringComparison.Ordinal));
    }

    [Fact]
    public void Edges_agree_on_formats_under_a_quantized_recipe()
    {
        var w = Build("vit_b16_block", precision: "w8a8");
        foreach (var e in w.Graph.Edges)
        {
            var written = w.Graph[e.From].Outputs.Single(t => t.Name == e.Tensor);
            foreach (var read in w.Graph[e.To].Inputs.Where(t => t.Name == e.Tensor))
                Assert.True(written.Format == read.Format && written.Bytes == read.Bytes, $"{e.From} -> {e.To} on {e.Tensor}");
        }
    }

    [Fact]
    public void Windows_that_differ_per_axis_give_torchs_shapes_and_MACs()
    {
        // windows.onnx: unequal strides, non-square kernels, unequal dilations, ceil-mode pooling and a zero Pad folded
        // into conv2's pads (0,1,1,2); windows.json holds torch's own output shapes and its MAC count, from forward hooks.
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.ChangeExtension(Fixture("windows"), ".json")));
        var reference = json.RootElement;
        var w = Build("windows");
        Assert.Equal(reference.GetProperty("macs").GetInt64(), w.Macs);
        long[] Dims(System.Text.Json.JsonElement e) => e.EnumerateArray().Select(x => x.GetInt64()).ToArray();
        var ops = w.Graph.Operators;
        foreach (var layer in reference.GetProperty("layers").EnumerateObject())
        {
            var op = ops.Single(o => o.Name == layer.Name || o.Name.Split('.', '/').Contains(layer.Name));
            Assert.Equal(Dims(layer.Value.GetProperty("output")), op.Outputs[0].Shape);
            if (layer.Value.TryGetProperty("macs", out var macs)) Assert.Equal(macs.GetInt64(), op.Macs);
        }
        Assert.Equal(Dims(reference.GetProperty("output")), ops.Single(o => o.Name == "conv4").Outputs[0].Shape);
        Assert.Equal("k2x4 s1x3 p0,1,1,2 g4", ops.Single(o => o.Name == "conv2").Detail);
        Assert.Equal("max k2x3 s2x1 p0,1,0,1 ceil", ops.Single(o => o.Kind == OpKind.Pool && o.Name.Contains("pool1")).Detail);
    }

    [Theory]
    [InlineData(29, 2, 2, 0, 0, false, 14)]   // floor((29 - 2) / 2) + 1
    [InlineData(29, 2, 2, 0, 0, true, 15)]    // ceil: one more window, starting inside the input
    [InlineData(5, 2, 2, 1, 1, true, 3)]      // ceil would give 4, but that window would start in the trailing pad
    [InlineData(57, 3, 2, 1, 1, false, 29)]
    [InlineData(8, 3, 1, 2, 2, false, 10)]
    public void Window_output_sizes_follow_the_onnx_formula(int size, int kernel, int stride, int before, int after, bool ceil, int expected)
    {
        var w = new Window2d(kernel, 1, stride, 1, before, 0, after, 0, CeilMode: ceil);
        Assert.Equal(expected, w.OutH(size));
        Assert.Equal(size, w.OutW(size));
    }
}
