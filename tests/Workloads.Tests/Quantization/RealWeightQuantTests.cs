using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;
using Mantissa.Workloads.Tests.Onnx;

namespace Mantissa.Workloads.Tests.Quantization;

/// <summary>
/// Quantization error on real trained weights (the 54 Conv/MatMul weights of PaddleOCR's text-direction classifier):
/// the orderings that quantization theory predicts, and one figure recomputed by brute force.
/// </summary>
public class RealWeightQuantTests
{
    private static readonly string[] Specs =
    {
        "int4@tensor", "int4@channel", "int4@g32", "int8@channel", "fp8e4m3", "fp8e5m2",
        "mxfp4", "mxfp6e2m3", "mxfp8e4m3", "nvfp4", "posit8es1",
    };

    private static readonly Lazy<LayerQuantStudy> Study = new(() =>
        new LayerQuantStudy(Specs.Select(s => QuantFormatSpec.Resolve(s)).ToList(), LayerWeights.Load(OnnxReaderTests.Fixture()).ToList()));

    private static double Layer(LayerQuantRow r, string spec) => r.Reports[Array.IndexOf(Specs, spec)].Error.SqnrDb;
    private static double Pooled(string spec) => Study.Value.PooledSqnrDb(Array.IndexOf(Specs, spec));

    [Fact]
    public void EveryLayerOrdersAsFinerScalesAndWiderFormatsPredict()
    {
        Assert.Equal(54, Study.Value.Rows.Count);
        foreach (var r in Study.Value.Rows)
        {
            // A per-channel scale fits each row's own max|x|; a group of 32 fits a part of a row (the same when rows are ≤ 32).
            Assert.True(Layer(r, "int4@channel") >= Layer(r, "int4@tensor"), r.Tensor);
            Assert.True(Layer(r, "int4@g32") >= Layer(r, "int4@channel"), r.Tensor);
            // Four more bits are worth ≈ 24 dB on a uniform grid.
            Assert.True(Layer(r, "int8@channel") >= Layer(r, "int4@channel") + 20, r.Tensor);
            // Three mantissa bits beat two at the same width.
            Assert.True(Layer(r, "fp8e4m3") > Layer(r, "fp8e5m2"), r.Tensor);
            // MX elements with 3 mantissa bits (fp6 e2m3, fp8 e4m3) beat fp4's one (≈ 12 dB on large layers; 7.4 on the 16-value conv2d_3).
            Assert.True(Layer(r, "mxfp8e4m3") >= Layer(r, "mxfp4") + 6, r.Tensor);
            Assert.True(Layer(r, "mxfp6e2m3") >= Layer(r, "mxfp4") + 6, r.Tensor);
        }
    }

    [Fact]
    public void PooledOverTheModel()
    {
        Assert.True(Pooled("int4@g32") > Pooled("int4@channel") + 1);
        Assert.True(Pooled("int4@channel") > Pooled("int4@tensor") + 3);
        Assert.True(Pooled("nvfp4") > Pooled("mxfp4") + 1); // E4M3 scales per 16 against E8M0 per 32
        // posit8 es1 keeps up to 5 fraction bits near the RMS, where most weights are; fp8e4m3 keeps 3.
        Assert.True(Pooled("posit8es1") > Pooled("fp8e4m3") + 3);
        Assert.InRange(Pooled("int8@channel"), 40, 50);
    }

    [Fact]
    public void PerChannelInt4WithExactScalesMatchesBruteForce()
    {
        // Independent recomputation: s = max|row|/7, q = clamp(round-half-even(x/s), -7, 7)·s, in double precision.
        var t = LayerWeights.Load(OnnxReaderTests.Fixture()).Single(l => l.Name == "conv2d_44.w_0");
        double se = 0, ss = 0;
        for (int r = 0; r < t.Rows; r++)
        {
            var row = t.Values.AsSpan(r * t.Columns, t.Columns);
            double amax = 0;
            foreach (var v in row) amax = Math.Max(amax, Math.Abs(v));
            double s = amax / 7;
            foreach (var v in row)
            {
                double q = Math.Clamp(Math.Round(v / s, MidpointRounding.ToEven), -7, 7) * s;
                se += (v - q) * (v - q); ss += (double)v * v;
            }
        }
        var report = TensorQuantizer.Measure(t, QuantSchemes.Resolve("int4", granularity: QuantGranularity.PerChannel, scaleFormat: "exact"));
        Assert.Equal(10 * Math.Log10(ss / se), report.Error.SqnrDb, 9);
    }
}
