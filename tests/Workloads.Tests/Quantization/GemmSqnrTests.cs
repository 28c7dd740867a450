using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Quantization;

public class GemmSqnrTests
{
    private static readonly FloatTensor W = SyntheticTensorGenerator.Generate(new SyntheticTensorSpec(SyntheticDistribution.Gaussian, 64 * 4096, 2));
    private static readonly FloatTensor X = GemmSqnr.SampleActivations(8, 4096, 3);

    private static double[] D(float[] v) => v.Select(x => (double)x).ToArray();

    [Fact]
    public void UnquantizedOperandsGiveAnExactGemm()
    {
        var e = GemmSqnr.Measure(W, D(W.Values), X, D(X.Values));
        Assert.Equal(0.0, e.Mse);
        Assert.Equal(double.PositiveInfinity, e.SqnrDb);
    }

    [Fact]
    public void WeightOnlyOutputSqnrMatchesTheWeightSqnr()
    {
        // With independent unit-variance activations, E[(Σ x·e)²] = Σ e² and E[(Σ x·w)²] = Σ w²: the output SQNR
        // equals the weight SQNR up to sampling noise (8 tokens × 64 outputs).
        var qw = TensorQuantizer.Quantize(W, QuantSchemes.Resolve("int6"));
        double weightSqnr = QuantErrorMetrics.Compute(W.Values, qw.Values).SqnrDb;
        var e = GemmSqnr.Measure(W, qw.Values, X, D(X.Values));
        Assert.InRange(e.SqnrDb, weightSqnr - 0.5, weightSqnr + 0.5);
    }

    [Fact]
    public void WeightAndActivationNoisePowersAdd()
    {
        var qw = TensorQuantizer.Quantize(W, QuantSchemes.Resolve("int6"));
        var qx = TensorQuantizer.Quantize(X, QuantSchemes.Resolve("int6"));
        double sw = QuantErrorMetrics.Compute(W.Values, qw.Values).SqnrDb;
        double sx = QuantErrorMetrics.Compute(X.Values, qx.Values).SqnrDb;
        double predicted = -10 * Math.Log10(Math.Pow(10, -sw / 10) + Math.Pow(10, -sx / 10));
        var e = GemmSqnr.Measure(W, qw.Values, X, qx.Values);
        Assert.InRange(e.SqnrDb, predicted - 0.5, predicted + 0.5);
    }
}
