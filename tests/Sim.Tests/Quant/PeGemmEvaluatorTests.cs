using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Quant;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Sim.Tests.Quant;

public class PeGemmEvaluatorTests
{
    private static readonly FloatTensor W = SyntheticTensorGenerator.Generate(new SyntheticTensorSpec(SyntheticDistribution.Gaussian, 8 * 1024, 2));
    private static readonly FloatTensor WideW = new("w", new long[] { 8, 1024 }, W.Values);
    private static readonly FloatTensor X = GemmSqnr.SampleActivations(4, 1024, 3);

    private static PeGemmResult Run(PeKind kind, string w, string a, string acc, int group = 0) =>
        PeGemmEvaluator.Measure(PeGemmEvaluator.Spec(kind, NumberFormat.Parse(w), NumberFormat.Parse(a), NumberFormat.Parse(acc), group), WideW, X);

    [Fact]
    public void IntMacAccumulatesExactly()
    {
        // int8 × int8 into int32 cannot overflow for K = 1024, so the datapath equals exact accumulation of the same codes.
        var r = Run(PeKind.IntMac, "int8", "int8", "int32");
        Assert.InRange(r.Datapath.SqnrDb - r.Ideal.SqnrDb, -1e-6, 1e-6);
        Assert.InRange(r.Datapath.SqnrDb, 35, 45); // int8 weights and activations, per channel / per token
        Assert.Equal(8, r.Rows);
        Assert.Equal(4, r.Tokens);
    }

    [Fact]
    public void KulischMinifloatMacRoundsOnceSoItMatchesExactAccumulation()
    {
        var r = Run(PeKind.MinifloatMac, "fp8e4m3", "fp8e4m3", "fp32");
        Assert.InRange(r.Datapath.SqnrDb - r.Ideal.SqnrDb, -0.01, 0.01);
        Assert.InRange(r.Datapath.SqnrDb, 25, 32);
    }

    [Fact]
    public void MxDotAndBitSerialStayCloseToExactAccumulation()
    {
        var mx = Run(PeKind.MxDot, "mxfp4", "mxfp4", "fp32");
        Assert.InRange(mx.Datapath.SqnrDb - mx.Ideal.SqnrDb, -0.1, 0.1);
        Assert.InRange(mx.Datapath.SqnrDb, 12, 20);
        var bs = Run(PeKind.BitSerial, "int4", "fp16", "fp32", group: 128);
        Assert.InRange(bs.Datapath.SqnrDb - bs.Ideal.SqnrDb, -0.1, 0.1);
        Assert.InRange(bs.Datapath.SqnrDb, 15, 22);
        Assert.True(bs.Cycles > 0);
    }

    [Fact]
    public void IdealMatchesTheWorkloadGemmOnTheSameOperands()
    {
        // bit_serial gets fp16-rounded activations and int4 g128 weights; its exact-accumulation figure must equal
        // GemmSqnr on those same dequantized operands.
        var r = Run(PeKind.BitSerial, "int4", "fp16", "fp32", group: 128);
        var wq = TensorQuantizer.Quantize(WideW, QuantSchemes.Resolve("int4", group: 128)).Values;
        var xq = TensorQuantizer.Quantize(X, QuantSchemes.Resolve("fp16")).Values;
        var e = GemmSqnr.Measure(WideW, wq, X, xq);
        Assert.Equal(e.SqnrDb, r.Ideal.SqnrDb, 9);
    }
}
