using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The static power of a chip's DRAM PHYs (<c>chip.dram_phy</c>): CACTI-IO's DDR3/DDR4 PHY draws 30 mW static (phase rotator,
/// receivers, PLL: 10 mW each) busy or idle, charged per channel the level's bandwidth needs. Types without a tabulated figure
/// are listed as not priced.
/// </summary>
public class ChipDramPhyPowerTests
{
    private static readonly ChipSpec DramOnly = new(false, 0, 0, 0, PcieGeneration.Gen4, true, false, false, FittedArea: false);

    private static MemoryLevelSpec Dram(string type, double gbPerS) =>
        new("dram", MemoryKind.Dram, type, 0, 64, 1, gbPerS, gbPerS, TensorSet.All, false, false);

    private static CostReport Report(ChipSpec chip, MemoryLevelSpec dram) =>
        AsicCostModel.Report(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), 16, 16, 28, 0.9,
            [dram, Specs.Sram("glb", 1 << 17)], clockMhz: 1000) with { Chip = chip });

    private static double RowMw(CostReport r, string component, string action) =>
        r.Cost.EnergyTable.Single(e => e.Component == component && e.Action == action).EnergyPj * 1000 * 1e-3;

    [Theory]
    [InlineData(25.6, 1)] // one 64-bit DDR4-3200 channel carries 25.6 GB/s
    [InlineData(34, 2)]   // TPU v1's 34 GB/s needs two
    [InlineData(100, 4)]
    public void ThirtyMilliwattsPerDdr4ChannelBusyOrIdle(double gbPerS, int channels)
    {
        var r = Report(DramOnly, Dram("ddr4", gbPerS));
        Assert.Equal(channels, r.Cost.AreaBreakdown.Single(a => a.Component == "dram.phy").Count);
        double mw = RowMw(r, "dram.phy", "static_cycle");
        Assert.Equal(channels * 30.0, mw, 9);
        // No capacity, so no devices: the PHYs are all of the always-on power, in idle and in peak, and not leakage.
        Assert.Equal(mw, r.Cost.AlwaysOnMw, 9);
        var off = Report(DramOnly with { DramPhy = false }, Dram("ddr4", gbPerS));
        Assert.Equal(0, off.Cost.AlwaysOnMw);
        Assert.Equal(off.PeakPowerMw + mw, r.PeakPowerMw - (r.Cost.LeakageMw - off.Cost.LeakageMw), 9);
        Assert.Contains("CACTI-IO", r.Cost.EnergyTable.Single(e => e.Component == "dram.phy").Source);
    }

    [Theory]
    [InlineData("hbm2e")]
    [InlineData("lpddr4")]
    [InlineData("ddr5")]
    public void TypesWithoutAPhyFigureAreListedNotPriced(string type)
    {
        var r = Report(DramOnly, Dram(type, 34));
        Assert.DoesNotContain(r.Cost.EnergyTable, e => e.Action == "static_cycle");
        Assert.Contains($"dram.phy static power (no {type} PHY figure tabulated)", r.ChipNotModelled);
        Assert.Equal(0, r.Cost.AlwaysOnMw);
    }
}
