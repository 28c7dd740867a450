using Mantissa.Workloads.Onnx;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Onnx;

/// <summary>Layer weights of the real ONNX fixture and their [output channel, input] matrix views.</summary>
public class OnnxWeightsTests
{
    private static readonly string Model = OnnxReaderTests.Fixture();

    [Fact]
    public void ConvAndMatMulWeightsAreTheLayerWeights()
    {
        var weights = OnnxWeight.Find(OnnxReader.Read(Model));
        Assert.Equal(249, weights.Count); // every FLOAT constant; the one INT32 constant is left out
        var layers = weights.Where(w => w.IsLayerWeight).ToList();
        Assert.Equal(54, layers.Count);
        Assert.Equal(53, layers.Count(w => w.Layout == OnnxWeightLayout.ConvOutputFirst));
        var fc = Assert.Single(layers, w => w.Layout == OnnxWeightLayout.InputFirst);
        Assert.Equal("fc_0.w_0", fc.Name);
        Assert.Equal("MatMul", fc.ConsumerOp);
        Assert.Equal(OnnxWeightLayout.AsStored, weights.Single(w => w.Name == "batch_norm_0.w_0").Layout);
        Assert.Equal(124_072, layers.Sum(w => w.Tensor.ElementCount));
    }

    [Fact]
    public void MatMulWeightIsTransposedAndConvFlattened()
    {
        var weights = OnnxWeight.Find(OnnxReader.Read(Model));
        var fc = weights.Single(w => w.Name == "fc_0.w_0");
        var stored = fc.Tensor.ToFloatTensor(Model).Values; // [K=200, N=2]
        var m = fc.ToMatrix(Model);
        Assert.Equal(new long[] { 2, 200 }, m.Shape);
        for (int k = 0; k < 200; k++)
            for (int n = 0; n < 2; n++) Assert.Equal(stored[k * 2 + n], m.Values[n * 200 + k]);

        var conv = weights.Single(w => w.Name == "conv2d_13.w_0").ToMatrix(Model); // depthwise [32, 1, 5, 5]
        Assert.Equal(new long[] { 32, 25 }, conv.Shape);
        var prefix = weights.Single(w => w.Name == "conv2d_44.w_0").ToMatrix(Model, maxValues: 1000);
        Assert.Equal(new long[] { 5, 200 }, prefix.Shape);
    }

    [Fact]
    public void SourceWithoutNamePicksTheLargestLayerWeight()
    {
        var t = TensorSource.Load(Model);
        Assert.Equal("conv2d_44.w_0", t.Name);
        Assert.Equal(new long[] { 50, 200 }, t.Shape);
        var byName = TensorSource.Load(Model + ":batch_norm_13.w_0");
        Assert.Equal(new long[] { 1, 88 }, byName.Shape);
        Assert.Equal(1.2647333145141602f, byName.Values[0]);
    }

    [Fact]
    public void UnknownAndIntegerTensorsAreErrorsNamingTheModel()
    {
        var e = Assert.Throws<Mantissa.Arch.MantissaException>(() => TensorSource.Load(Model + ":nope"));
        Assert.Contains(Model, e.Message);
        Assert.StartsWith($"{Model}: no tensor named 'nope'; the model holds: conv2d_0.w_0 [8x3x3x3]", e.Message);
        e = Assert.Throws<Mantissa.Arch.MantissaException>(() => TensorSource.Load(Model + ":fill_constant_1.tmp_0"));
        Assert.Contains("element type Int32", e.Message);
    }
}
