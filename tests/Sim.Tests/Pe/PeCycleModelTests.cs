using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests.Pe;

public class PeCycleModelTests
{
    private static PeSpec Spec(PeKind kind, int dot, PeParameters p) =>
        new(kind, NumberFormat.Parse("int4"), NumberFormat.Parse("int8"), NumberFormat.Parse("fp32"), dot, p);

    [Theory]
    [InlineData(3, 2)]
    [InlineData(4, 2)]
    [InlineData(6, 3)]
    [InlineData(8, 4)]
    public void BitModTwoBitsPerCycle(int wBits, int cyclesPerWeight)
    {
        var c = PeCycleModel.For(Spec(PeKind.BitSerial, 4, new PeParameters { BitsPerCycle = 2 }), wBits, 16);
        Assert.Equal(cyclesPerWeight, c.CyclesPerPass);
        // BitMoD simulator: compute_cycles = tiles * ceil(floor(w_prec)/2); one tile = one pass of dp=4 MACs.
        Assert.Equal(32 * cyclesPerWeight, c.DotCycles(128));
    }

    [Fact]
    public void StripesSerialisesActivations()
    {
        var c = PeCycleModel.For(Spec(PeKind.BitSerial, 16, new PeParameters { BitsPerCycle = 1, SerialOperand = SerialOperand.Activations }),
            NumberFormat.Parse("int16"), NumberFormat.Parse("int5"));
        Assert.Equal(5, c.CyclesPerPass);
        Assert.Equal(5 * 2, c.DotCycles(17));
    }

    [Fact]
    public void SharedLutTablesCostOneLookupPerPlane()
    {
        // Default (shared): tables come from the precompute unit; dp=16 int2 → 8 MACs/cycle, as the cost model's peak.
        var c = PeCycleModel.For(Spec(PeKind.Lut, 16, new PeParameters { LutGroup = 4, GroupSize = 64 }), NumberFormat.Parse("int2"), NumberFormat.Parse("int8"));
        Assert.Equal((2, 0, 1), (c.CyclesPerPass, c.PrecomputeCyclesPerPass, c.DequantCyclesPerGroup));
        Assert.Equal(8 * 2 + 2 * 1, c.DotCycles(128));
        Assert.Equal(8.0, c.MacsPerCycle);
    }

    [Fact]
    public void PerPeLutTablesAddTheBuildToEveryPass()
    {
        var c = PeCycleModel.For(Spec(PeKind.Lut, 16, new PeParameters { LutGroup = 4, GroupSize = 64, LutPrecompute = LutPrecompute.PerPe }),
            NumberFormat.Parse("int2"), NumberFormat.Parse("int8"));
        Assert.Equal((2, 8, 1), (c.CyclesPerPass, c.PrecomputeCyclesPerPass, c.DequantCyclesPerGroup));
        Assert.Equal(8 * (2 + 8) + 2 * 1, c.DotCycles(128));
        Assert.Equal(1.6, c.MacsPerCycle, 12);
    }

    [Fact]
    public void PerChannelGroupDequantizesOncePerDotProduct()
    {
        var c = PeCycleModel.For(Spec(PeKind.Lut, 8, new PeParameters { LutGroup = 4, GroupSize = 0 }), NumberFormat.Parse("int2"), NumberFormat.Parse("int8"));
        Assert.Equal(16 * 2 + 1, c.DotCycles(128));
        Assert.Equal(1, c.Groups(128));
        Assert.Equal(0, c.Groups(0));
    }

    [Fact]
    public void ShiftAddDequantizesOncePerGroup()
    {
        var c = PeCycleModel.For(Spec(PeKind.ShiftAdd, 8, new PeParameters { GroupSize = 128 }), NumberFormat.Parse("uint4"), NumberFormat.Parse("int8"));
        Assert.Equal(38 + 3, c.DotCycles(300)); // ceil(300/8) passes + ceil(300/128) groups
    }

    [Theory]
    [InlineData("fp4e2m1", 4)]
    [InlineData("posit4es1", 4)]
    [InlineData("posit8es0", 2)]
    [InlineData("posit16es1", 1)]
    public void SimdLanesPerFormat(string fmt, int lanes)
    {
        var f = NumberFormat.Parse(fmt);
        var c = PeCycleModel.For(Spec(PeKind.SimdMac, 2, new PeParameters()), f, f);
        Assert.Equal(lanes, c.SimdLanes);
        Assert.Equal((100 + 2 * lanes - 1) / (2 * lanes), c.DotCycles(100));
    }

    [Fact]
    public void MxBlockTakesCeil32OverDotWidth()
    {
        var f = NumberFormat.Parse("mxfp4");
        Assert.Equal(4, PeCycleModel.For(Spec(PeKind.MxDot, 8, new PeParameters()), f, f).DotCycles(32));
        Assert.Equal(2, PeCycleModel.For(Spec(PeKind.MxDot, 32, new PeParameters()), f, f).DotCycles(64));
    }

    [Fact]
    public void BadBitsPerCycleIsAnError()
    {
        var e = Assert.Throws<Mantissa.Arch.MantissaException>(() =>
            PeCycleModel.For(Spec(PeKind.BitSerial, 4, new PeParameters { BitsPerCycle = 3 }), 4, 8));
        Assert.Contains("bits_per_cycle", e.Message);
    }
}

public class PeCycleModelPublishedFigureTests
{
    [Fact]
    public void BitModW4ArrayDoes2048MacsPerCycleAgainst768ForFp16()
    {
        // BitMoD simulator (bitmod_sim): a 32×32 array of dp=4 bit-serial PEs at 2 weight bits/cycle, against the
        // iso-area 32×24 FP16 baseline with dp=1: 2048 vs 768 MACs per cycle for W4.
        var bitmod = new PeSpec(PeKind.BitSerial, new BitModFormat(4, false, true), NumberFormat.Parse("fp16"), NumberFormat.Parse("fp32"), 4,
            new PeParameters { BitsPerCycle = 2, GroupSize = 128 });
        var fp16 = new PeSpec(PeKind.FpMac, NumberFormat.Parse("fp16"), NumberFormat.Parse("fp16"), NumberFormat.Parse("fp32"), 1, new PeParameters());
        Assert.Equal(2048, 32 * 32 * PeCycleModel.For(bitmod, bitmod.WeightFormat, bitmod.ActivationFormat).MacsPerCycle);
        Assert.Equal(768, 32 * 24 * PeCycleModel.For(fp16, fp16.WeightFormat, fp16.ActivationFormat).MacsPerCycle);
    }
}
