namespace Mantissa.Arch.Cost.Chip;

/// <summary>
/// The whole-chip components of one design: their area rows, energy rows and what they draw every cycle, busy or not (the
/// clock tree and its buffers, the PCIe transmitters, the DRAM PHYs' static power, the DRAM devices' standby). Clock-free: <see cref="AlwaysOnMw"/> and <see cref="PcieRowAt"/>
/// apply a clock.
/// </summary>
public sealed record ChipCost(IReadOnlyList<AreaItem> Areas, IReadOnlyList<ActionEnergy> Energies, IReadOnlyList<string> NotDeclared)
{
    public static readonly ChipCost None = new([], [], []);

    /// <summary>Energy the clock tree and its buffers draw every cycle (pJ); 0 without a clock tree.</summary>
    public double ClockTreePjPerCycle { get; init; }

    /// <summary>Power of the PCIe transmitters (mW; a link in L0 sends logical idle when it has no data); 0 without PCIe.</summary>
    public double PcieMw { get; init; }

    /// <summary>Leakage of the chip's logic outside the PE array (mW): control, DMA, post-processing, controllers and the
    /// fitted logic area, at the PE array's leakage per area; part of the design's leakage.</summary>
    public double LeakageMw { get; init; }

    /// <summary>Standby and refresh power of the DRAM devices behind the chip's DRAM interface (mW), drawn busy or idle.</summary>
    public double DramStandbyMw { get; init; }

    /// <summary>Static power of the DRAM channels' PHYs on the die (mW; phase rotator, receivers, PLL), drawn busy or idle.</summary>
    public double DramPhyMw { get; init; }

    /// <summary>Rows of <see cref="Energies"/> that are a constant power (the logic's leakage, the DRAM PHYs' static power, the
    /// DRAM devices' standby): their
    /// energy per cycle is left unset and filled in at the clock, like every leak_cycle row.</summary>
    public IReadOnlyList<(int Row, double Mw)> ConstantPowerRows { get; init; } = [];

    /// <summary>Where the PCIe transmitters' row is in <see cref="Energies"/> (its energy per cycle left unset), or -1.</summary>
    public int PcieRow { get; init; } = -1;

    /// <summary>The PCIe transmitters' row at <paramref name="clockMhz"/>: their power as energy per cycle.</summary>
    public ActionEnergy PcieRowAt(double clockMhz) => Energies[PcieRow] with { EnergyPj = PcieMw / (clockMhz * 1e-3) };

    /// <summary>Power drawn every cycle at <paramref name="clockMhz"/> (mW): the PCIe transmitters, the DRAM PHYs' static power,
    /// the DRAM devices' standby, then the clock tree and buffers.</summary>
    public double AlwaysOnMw(double clockMhz)
    {
        double mw = (PcieRow >= 0 ? PcieRowAt(clockMhz).EnergyPj * clockMhz * 1e-3 : 0) + DramPhyMw + DramStandbyMw;
        if (ClockTreePjPerCycle > 0) mw += ClockTreePjPerCycle * clockMhz * 1e-3;
        return mw;
    }
}
