using Mantissa.Arch;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Quantization;

public class QuantizerTests
{
    private static FloatTensor Matrix(float[] v, int cols) => new("t", new long[] { v.Length / cols, cols }, v);

    private static FloatTensor Synthetic(SyntheticDistribution d, int count = 1 << 20, ulong seed = 1) =>
        SyntheticTensorGenerator.Generate(new SyntheticTensorSpec(d, count, seed));

    [Theory]
    [InlineData("int4", 0.25f, new float[] { -7, -3, 0, 1, 2, 5, 7, -1 })]
    [InlineData("fp4e2m1", 0.125f, new float[] { -6, -4, -3, -2, -1.5f, -1, -0.5f, 0, 0.5f, 1, 1.5f, 2, 3, 4, 6, 6 })]
    [InlineData("fp8e4m3", 1f, new float[] { -448, -0.001953125f, 0, 1.125f, 240, 448, 13, -96 })]
    [InlineData("int8", 0.0078125f, new float[] { -127, 127, 0, 64, -33, 1, 2, 100 })]
    [InlineData("flint4", 0.5f, new float[] { -16, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 16 })]
    [InlineData("pot4", 0.25f, new float[] { -64, -2, 0, 1, 4, 8, 16, 32 })]
    public void AGridQuantizedToItselfIsExact(string format, float unit, float[] grid)
    {
        var t = Matrix(grid.Select(g => g * unit).ToArray(), grid.Length);
        foreach (var g in new[] { QuantGranularity.PerTensor, QuantGranularity.PerChannel })
        {
            var r = TensorQuantizer.Measure(t, QuantSchemes.Resolve(format, granularity: g));
            Assert.Equal(0.0, r.Error.Mse);
            Assert.Equal(0.0, r.Error.MaxAbsError);
            Assert.Equal(double.PositiveInfinity, r.Error.SqnrDb);
        }
    }

    [Fact]
    public void FlintBeatsIntOnHeavyTailsAndPotOnGaussians()
    {
        // ANT's premise (MICRO'22): flint suits bell-shaped tensors; power-of-two is too coarse near the mode.
        double Mse(SyntheticDistribution d, string f) => TensorQuantizer.Measure(Synthetic(d, 1 << 16), QuantSchemes.Resolve(f)).Error.Mse;
        Assert.True(Mse(SyntheticDistribution.Laplace, "flint4") < 0.5 * Mse(SyntheticDistribution.Laplace, "int4"));
        Assert.True(Mse(SyntheticDistribution.Gaussian, "flint4") < 0.6 * Mse(SyntheticDistribution.Gaussian, "pot4"));
    }

    [Fact]
    public void UnsignedGridWithZeroPointIsExact()
    {
        var v = Enumerable.Range(0, 16).Select(k => -2f + 0.25f * k).ToArray();
        var r = TensorQuantizer.Measure(Matrix(v, 16), QuantSchemes.Resolve("uint4"));
        Assert.Equal(0.0, r.Error.Mse);
        Assert.Equal(4 + (16 + 4) / 16.0, r.BitsPerElement); // one fp16 scale and one 4-bit zero point per row
    }

    [Fact]
    public void IntegerQuantizationMatchesAnIndependentRoundHalfEvenReference()
    {
        var t = Synthetic(SyntheticDistribution.Laplace, 1 << 14, 3);
        var qt = TensorQuantizer.Quantize(t, QuantSchemes.Resolve("int5", group: 64, scaleFormat: "exact"));
        for (int g = 0; g < t.Count; g += 64)
        {
            double amax = 0;
            for (int i = g; i < g + 64; i++) amax = Math.Max(amax, Math.Abs(t.Values[i]));
            double s = amax / 15;
            for (int i = g; i < g + 64; i++)
            {
                double r = Math.Clamp(Math.Round(t.Values[i] / s, MidpointRounding.ToEven), -15, 15) * s;
                Assert.Equal(r, qt.Values[i]);
            }
        }
    }

    [Theory]
    [InlineData(6)]
    [InlineData(8)]
    [InlineData(10)]
    public void IntegerSqnrOfAGaussianFollowsTheSixDecibelPerBitRule(int bits)
    {
        // Uniform quantizer, step Δ = amax/(2^(b−1)−1), noise Δ²/12 (Bennett 1948; Widrow & Kollár):
        // SQNR = 10·log10(12·σ²·(2^(b−1)−1)²/amax²) ≈ 6.02·b + c. Clipping never happens with absmax scaling.
        var t = Synthetic(SyntheticDistribution.Gaussian);
        double amax = t.Values.Max(v => Math.Abs(v));
        double power = t.Values.Average(v => (double)v * v);
        double predicted = 10 * Math.Log10(12 * power * Math.Pow((1 << (bits - 1)) - 1, 2) / (amax * amax));
        var r = TensorQuantizer.Measure(t, QuantSchemes.Resolve($"int{bits}", granularity: QuantGranularity.PerTensor, scaleFormat: "exact"));
        Assert.InRange(r.Error.SqnrDb, predicted - 0.1, predicted + 0.1);
        var next = TensorQuantizer.Measure(t, QuantSchemes.Resolve($"int{bits + 1}", granularity: QuantGranularity.PerTensor, scaleFormat: "exact"));
        // One more bit shrinks the step by (2^b − 1)/(2^(b−1) − 1): 6.16 dB at b = 6, tending to 6.02 dB.
        double step = 20 * Math.Log10(((1 << bits) - 1) / (double)((1 << (bits - 1)) - 1));
        Assert.InRange(next.Error.SqnrDb - r.Error.SqnrDb, step - 0.05, step + 0.05);
        Assert.InRange(next.Error.SqnrDb - r.Error.SqnrDb, 6.02 - 0.15, 6.02 + 0.15);
    }

    [Fact]
    public void Int8GaussianPerTensorSqnrIsAboutThirtyNineDecibels()
    {
        // With amax ≈ 5σ for 2^20 samples the rule gives 6.02·8 + 10·log10(3) − 20·log10(5) + 20·log10(127/128) ≈ 38.9 dB.
        var r = TensorQuantizer.Measure(Synthetic(SyntheticDistribution.Gaussian), QuantSchemes.Resolve("int8", granularity: QuantGranularity.PerTensor));
        Assert.InRange(r.Error.SqnrDb, 38.0, 40.0);
    }

    [Fact]
    public void Nvfp4BeatsMxfp4OnHeavyTails()
    {
        var t = Synthetic(SyntheticDistribution.StudentT);
        var mx = TensorQuantizer.Measure(t, QuantSchemes.Resolve("mxfp4"));
        var nv = TensorQuantizer.Measure(t, QuantSchemes.Resolve("nvfp4"));
        Assert.True(nv.Error.SqnrDb > mx.Error.SqnrDb + 1, $"nvfp4 {nv.Error.SqnrDb:F2} dB vs mxfp4 {mx.Error.SqnrDb:F2} dB");
        Assert.Equal(4.25, mx.BitsPerElement);                             // 8-bit E8M0 per 32
        Assert.Equal(4.5 + 32.0 / t.Count, nv.BitsPerElement, 12);          // 8-bit E4M3 per 16 + one fp32 tensor scale
    }

    [Fact]
    public void MxBlockUsesTheOcpSharedExponentAndSaturates()
    {
        // amax 7: shared exponent floor(log2 7) − 2 = 0, scale 1; 7 saturates to FP4's 6, 2.75 rounds to 3 (nearest),
        // 0.25 ties between 0 and 0.5 and goes to the even code (0).
        var v = new float[32];
        v[0] = 7; v[1] = 2.75f; v[2] = 0.25f; v[3] = -5f; v[4] = 1.25f;
        var q = TensorQuantizer.Quantize(Matrix(v, 32), QuantSchemes.Resolve("mxfp4")).Values;
        Assert.Equal(new double[] { 6, 3, 0, -4, 1 }, q.Take(5));
        // amax 0.75: floor(log2 0.75) − 2 = −3, scale 1/8: 0.75 → 6/8, 0.1 → 0.1·8 = 0.8 → 1 → 0.125.
        var w = new float[32];
        w[0] = 0.75f; w[1] = 0.1f;
        var qw = TensorQuantizer.Quantize(Matrix(w, 32), QuantSchemes.Resolve("mxfp4")).Values;
        Assert.Equal(0.75, qw[0]);
        Assert.Equal(0.125, qw[1]);
    }

    [Fact]
    public void TernaryUsesAbsmeanScaling()
    {
        // mean|w| = 3.0/6 = 0.5; w/0.5 = [0.2, −1, 1.8, 0, −2.4, 0.6] → round, clamp to [−1, 1] → [0, −1, 1, 0, −1, 1].
        var w = new[] { 0.1f, -0.5f, 0.9f, 0f, -1.2f, 0.3f };
        var qt = TensorQuantizer.Quantize(Matrix(w, 6), QuantSchemes.Resolve("ternary"));
        Assert.Equal(QuantGranularity.PerTensor, qt.Scheme.Granularity);
        Assert.Equal(new[] { 0, -0.5, 0.5, 0, -0.5, 0.5 }, qt.Values);
        Assert.Equal(2 + 16 / 6.0, qt.BitsPerElement, 12);
    }

    [Fact]
    public void TernaryOfAGaussianHasTheExpectedError()
    {
        // For N(0,1), absmean scale s = sqrt(2/π) ≈ 0.798 and zero band |x| < s/2. In closed form
        // MSE = 1 − 4sφ(s/2) + s²·erfc(s/(2√2)) = 0.26338, so SQNR = 5.794 dB.
        var r = TensorQuantizer.Measure(Synthetic(SyntheticDistribution.Gaussian), QuantSchemes.Resolve("ternary"));
        Assert.InRange(r.Error.SqnrDb, 5.794 - 0.05, 5.794 + 0.05);
    }

    [Fact]
    public void PerGroupBeatsPerTensorOnOutlierChannels()
    {
        var t = Synthetic(SyntheticDistribution.OutlierChannels);
        var tensor = TensorQuantizer.Measure(t, QuantSchemes.Resolve("int4", granularity: QuantGranularity.PerTensor));
        var channel = TensorQuantizer.Measure(t, QuantSchemes.Resolve("int4", granularity: QuantGranularity.PerChannel));
        var group = TensorQuantizer.Measure(t, QuantSchemes.Resolve("int4", group: 128));
        Assert.True(group.Error.SqnrDb > tensor.Error.SqnrDb + 3, $"group {group.Error.SqnrDb:F2} vs tensor {tensor.Error.SqnrDb:F2}");
        Assert.True(group.Error.Mse < channel.Error.Mse);
        Assert.Equal(4 + 16 / 128.0, group.BitsPerElement, 12);
    }

    [Fact]
    public void BitModPicksTheTypeThatFitsTheGroup()
    {
        // In scale units 1: a group that is exactly representable in fp4_ea_pos (+16) and in no other type.
        var ea = new float[] { 16, 12, -12, 1, 0, 3, -2, 8 };
        Assert.Equal(0.0, TensorQuantizer.Measure(Matrix(ea, 8), QuantSchemes.Resolve("bitmod-w4", group: 8)).Error.Mse);
        // exactly representable in fp4_er_neg (−10): max|x| = 12 gives scale 1.
        var er = new float[] { -10, 12, 3, -1, 0.0f, 6, -8, 4 };
        Assert.Equal(0.0, TensorQuantizer.Measure(Matrix(er, 8), QuantSchemes.Resolve("bitmod-w4", group: 8)).Error.Mse);
        // Plain FP4 (no extra value) cannot represent −10 with max 12: the same group has error under fp4e2m1 scaling.
        Assert.True(TensorQuantizer.Measure(Matrix(er, 8), QuantSchemes.Resolve("fp4e2m1", group: 8)).Error.Mse > 0);
    }

    [Fact]
    public void BitModTiesGoToTheLowerValue()
    {
        var t = new ValueTable("x", new double[] { -1, 0, 1, 2, 4 });
        Assert.Equal(0, t.Nearest(0.5));
        Assert.Equal(-1, t.Nearest(-0.5));
        Assert.Equal(2, t.Nearest(3));
        Assert.Equal(4, t.Nearest(3.0000001));
        Assert.Equal(4, t.Nearest(100));
    }

    [Fact]
    public void BitModBeatsPlainFp4AndInt4AtTheSameGroupSizeOnAGaussian()
    {
        var t = Synthetic(SyntheticDistribution.Gaussian, 1 << 18);
        var bitmod = TensorQuantizer.Measure(t, QuantSchemes.Resolve("bitmod-w4"));
        var fp4 = TensorQuantizer.Measure(t, QuantSchemes.Resolve("fp4e2m1", group: 128));
        var int4 = TensorQuantizer.Measure(t, QuantSchemes.Resolve("int4", group: 128));
        Assert.True(bitmod.Error.Mse < fp4.Error.Mse);
        Assert.True(bitmod.Error.Mse < int4.Error.Mse);
        Assert.Equal(4 + 18 / 128.0, bitmod.BitsPerElement, 12);
    }

    [Fact]
    public void ParallelQuantizationIsDeterministic()
    {
        var t = Synthetic(SyntheticDistribution.StudentT, 1 << 18);
        foreach (var f in new[] { "nvfp4", "int4", "ternary" })
        {
            var s = QuantSchemes.Resolve(f, group: 32);
            Assert.Equal(TensorQuantizer.Quantize(t, s).Values, TensorQuantizer.Quantize(t, s).Values);
        }
    }

    [Fact]
    public void WideFloatsAreCastWithoutScales()
    {
        var t = Synthetic(SyntheticDistribution.Gaussian, 4096);
        var r = TensorQuantizer.Measure(t, QuantSchemes.Resolve("fp32"));
        Assert.Equal(0.0, r.Error.Mse); // float32 values are exact in fp32
        Assert.Equal(QuantGranularity.Cast, r.Scheme.Granularity);
        Assert.Equal(32.0, r.BitsPerElement);
    }

    [Fact]
    public void BadSchemesAreClearErrors()
    {
        Assert.Contains("unknown number format 'int65'", Assert.Throws<MantissaException>(() => QuantSchemes.Resolve("int65")).Message);
        Assert.Contains("scale format", Assert.Throws<MantissaException>(() => QuantSchemes.Resolve("e8m0")).Message);
        Assert.Contains("--group", Assert.Throws<MantissaException>(() => QuantSchemes.Resolve("int4", granularity: QuantGranularity.PerGroup)).Message);
    }
}
