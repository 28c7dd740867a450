using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Cost.ChipDramSpecs;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The DRAM devices behind a chip's DRAM interface (<c>chip.dram_phy</c>) draw their standby and refresh power busy or
/// idle: devices = capacity / device size, each IDD2N x VDD + (IDD5 - IDD3N) x VDD x tRFC / tREFI (gem5's DDR4_2400_8x8,
/// Micron 8 Gbit x8 datasheet currents). Part of the always-on power.
/// </summary>
public class ChipDramDevicesTests
{
    // One DDR4 8 Gbit device: 34 mA x 1.2 V + (250 - 43) mA x 1.2 V x 350 / 7800 = 51.946 mW.
    private const double DeviceMw = 34 * 1.2 + (250 - 43) * 1.2 * 350 / 7800.0;

    [Theory]
    [InlineData(8L << 30, 8)]
    [InlineData(1L << 30, 1)]
    [InlineData(3L << 29, 2)] // 1.5 GiB needs two 1 GiB devices
    public void DevicesFromCapacityEachAtItsStandbyAndRefresh(long bytes, int devices)
    {
        var r = Report(DramOnly, Dram("ddr4", bytes));
        double mw = r.Cost.EnergyTable.Single(e => e.Component == "dram.devices").EnergyPj * 1000 * 1e-3;
        Assert.Equal(devices * DeviceMw, mw, 9);
        // Always on: the devices plus the static power of the two DDR4 channels' PHYs (34 GB/s over 25.6 GB/s channels;
        // ChipDramPhyPowerTests).
        const double PhyMw = 2 * 30;
        Assert.Equal(mw + PhyMw, r.Cost.AlwaysOnMw, 9);
        Assert.InRange(DeviceMw, 51.9, 52.0);
        // Busy or idle: in peak power too, and not in leakage.
        var off = Report(DramOnly with { DramPhy = false }, Dram("ddr4", bytes));
        Assert.Equal(off.PeakPowerMw + mw + PhyMw, r.PeakPowerMw - (r.Cost.LeakageMw - off.Cost.LeakageMw), 9);
        Assert.DoesNotContain(off.Cost.EnergyTable, e => e.Component == "dram.devices");
    }

    [Fact]
    public void TypesWithoutTabulatedCurrentsOrCapacityAreListedNotPriced()
    {
        var hbm = Report(DramOnly, Dram("hbm2e", 8L << 30));
        Assert.DoesNotContain(hbm.Cost.EnergyTable, e => e.Component == "dram.devices");
        Assert.Contains("dram.devices (no hbm2e device currents tabulated)", hbm.ChipNotModelled);
        Assert.Equal(0, hbm.Cost.AlwaysOnMw);
        var noCapacity = Report(DramOnly, Dram("ddr4", 0));
        Assert.Contains("dram.devices (no capacity declared)", noCapacity.ChipNotModelled);
    }
}
