using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Cost.ChipDramSpecs;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The static power of a chip's DRAM PHYs (<c>chip.dram_phy</c>): CACTI-IO's DDR3/DDR4 PHY draws 30 mW static (phase rotator,
/// receivers, PLL: 10 mW each) busy or idle, charged per channel the level's bandwidth needs. Types without a tabulated figure
/// are listed as not priced.
/// </summary>
public class ChipDramPhyPowerTests
{
    private static double RowMw(CostReport r, string component, string action) =>
        r.Cost.EnergyTable.Single(e => e.Component == component && e.Action == action).EnergyPj * 1000 * 1e-3;

    [Theory]
    [InlineData(25.6, 1)] // one 64-bit DDR4-3200 channel carries 25.6 GB/s
    [InlineData(34, 2)]   // TPU v1's 34 GB/s needs two
    [InlineData(100, 4)]
    public void ThirtyMilliwattsPerDdr4ChannelBusyOrIdle(double gbPerS, int channels)
    {
        var r = Report(DramOnly, Dram("ddr4", 0, gbPerS));
        Assert.Equal(channels, r.Cost.AreaBreakdown.Single(a => a.Component == "dram.phy").Count);
        double mw = RowMw(r, "dram.phy", "static_cycle");
        Assert.Equal(channels * 30.0, mw, 9);
        // No capacity, so no devices: the PHYs are all of the always-on power, so in idle and in peak power.
        Assert.Equal(mw, r.Cost.AlwaysOnMw, 9);
        var off = Report(DramOnly with { DramPhy = false }, Dram("ddr4", 0, gbPerS));
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
        var r = Report(DramOnly, Dram(type, 0));
        Assert.DoesNotContain(r.Cost.EnergyTable, e => e.Action == "static_cycle");
        Assert.Contains($"dram.phy static power (no {type} PHY figure tabulated)", r.ChipNotModelled);
        Assert.Equal(0, r.Cost.AlwaysOnMw);
    }
}
