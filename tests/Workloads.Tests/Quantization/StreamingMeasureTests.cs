using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Quantization;

public class StreamingMeasureTests
{
    // Row lengths that do not divide the 65,536-element window, so groups, blocks and whole rows straddle window edges.
    [Theory]
    [InlineData("int8", 0, null, 3000)]                 // per channel: a row is the segment
    [InlineData("int4", 128, null, 3000)]               // per group, rows of 23.4 groups
    [InlineData("int4", 0, QuantGranularity.PerTensor, 777)]
    [InlineData("fp8e4m3", 0, QuantGranularity.Cast, 1000)]
    [InlineData("mxfp4", 0, null, 4104)]                // 32-element blocks, rows not a multiple of the window
    [InlineData("nvfp4", 0, null, 1000)]                // 16-element blocks with a per-tensor scale
    [InlineData("bitmod-w4", 128, null, 4000)]
    [InlineData("uint4", 64, null, 2500)]
    public void StreamedStatisticsEqualThoseOfTheWholeQuantizedCopyBitForBit(string format, int group, QuantGranularity? granularity, int cols)
    {
        int rows = 61;
        var flat = SyntheticTensorGenerator.Generate(new SyntheticTensorSpec(SyntheticDistribution.StudentT, rows * cols, 7)).Values;
        var t = new FloatTensor("w", new long[] { rows, cols }, flat);
        var scheme = QuantSchemes.Resolve(format, group, granularity);
        var whole = TensorQuantizer.Quantize(t, scheme);
        var expected = QuantErrorMetrics.Compute(t.Values, whole.Values);
        foreach (int window in new[] { 1 << 16, 1 << 17, 1 << 20 })
        {
            var streamed = TensorQuantizer.Measure(t, scheme, window);
            Assert.Equal(expected, streamed.Error); // record equality: the doubles' bits
            Assert.Equal(whole.BitsPerElement, streamed.BitsPerElement);
        }
        Assert.True(expected.Mse > 0);
    }

    [Fact]
    public void AWindowThatIsNotAWholeNumberOfChunksIsRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>(() =>
            TensorQuantizer.Measure(new FloatTensor("w", new long[] { 4 }, new float[] { 1, 2, 3, 4 }), QuantSchemes.Resolve("int8"), 1000));
}
