using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Tests;

public class PeTimingTests
{
    private static PeSpec BitMod(string weights) => new(PeKind.BitSerial, NumberFormat.Parse(weights), NumberFormat.Parse("fp16"),
        NumberFormat.Parse("fp32"), 4, new PeParameters { BitsPerCycle = 2, SerialOperand = SerialOperand.Weights, GroupSize = 128 });

    [Theory]
    // BitMoD weight-serial at 2 bits/cycle: ⌈3/2⌉ = ⌈4/2⌉ = 2 cycles per weight, ⌈6/2⌉ = 3
    [InlineData("int3", 2)]
    [InlineData("int4", 2)]
    [InlineData("int6", 3)]
    public void BitModWeightSerialCyclesPerWeight(string weights, int cyclesPerWeight)
    {
        // BitMoD simulator accounting (no fill): tiles = ⌈K/4⌉·⌈M/rows⌉·⌈N/cols⌉ on os, each cyclesPerWeight long;
        // 32×32 array, 64×4096×4096: ⌈4096/4⌉ = 1024 passes × ⌈64/32⌉·⌈4096/32⌉ = 256 folds
        var arch = TestArchs.Systolic(32, 32, Dataflow.OS, pe: BitMod(weights), switches: new SimSwitches(ModelFill: false));
        var sim = TestArchs.Sim(arch);
        Assert.Equal(new PeThroughput(4, cyclesPerWeight, 128, 0), sim.Pe);
        Assert.Equal(1024L * 256 * cyclesPerWeight, sim.RunGemm(64, 4096, 4096).ComputeCycles);
    }

    [Fact]
    public void DotWidthShrinksTheReductionExtent()
    {
        // int_mac with a 4-wide dot product on os 16×16, 32×100×32: ⌈100/4⌉ = 25 steps, 2·2 folds,
        // per fold 25 + 16 + 16 − 2 = 55, total 4·55 − 1 = 219
        var arch = TestArchs.Systolic(16, 16, Dataflow.OS, pe: TestArchs.IntMac(4));
        Assert.Equal(219, TestArchs.Sim(arch).RunGemm(32, 100, 32).ComputeCycles);
    }

    [Fact]
    public void ShiftAddDequantCostsOneCyclePerGroup()
    {
        // shift_add: 1 cycle per pass + 1 dequant cycle per group of 128 (PeCycleModel). os 8×8, 8×1024×8, dp 1:
        // one fold, steps 1024 + 1024/128 = 1032, per fold 1032 + 14 = 1046, SCALE-Sim counting → 1045
        var pe = new PeSpec(PeKind.ShiftAdd, NumberFormat.Parse("int4"), NumberFormat.Parse("int8"), NumberFormat.Parse("int32"), 1,
            new PeParameters { GroupSize = 128 });
        var arch = TestArchs.Systolic(8, 8, Dataflow.OS, pe: pe);
        Assert.Equal(1045, TestArchs.Sim(arch).RunGemm(8, 1024, 8).ComputeCycles);
    }
}
