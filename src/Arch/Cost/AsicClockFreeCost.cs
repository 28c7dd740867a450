using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>
/// The part of an ASIC design's cost that its clock does not change: area, per-access and per-cycle energies, leakage power.
/// <see cref="CostAt"/> adds what the clock does change (leakage energy per cycle, the clock tree's power), so designs that
/// differ only in their clock are costed once (<see cref="CostMemo"/>).
/// </summary>
internal sealed record AsicClockFreeCost(
    // The cost with every leak_cycle row of the energy table left unset (NaN) and no always-on power.
    ArchCost Cost,
    // Where the leak_cycle rows are in Cost.EnergyTable and the leakage power (mW) each turns into energy per cycle.
    IReadOnlyList<(int Row, double Mw)> LeakRows,
    // Energy the chip's clock tree draws every cycle (pJ); 0 without one.
    double ClockTreePjPerCycle,
    double NodeNm,
    double Vdd,
    // MACs per cycle of one PE at its configured formats (for the peak figures).
    double MacsPerPe,
    IReadOnlyList<CostOverride> AppliedOverrides,
    IReadOnlyList<string> ChipNotModelled)
{
    /// <summary>The cost at <paramref name="clockMhz"/>: what <see cref="AsicCostModel.Evaluate"/> returns for the design at that clock.</summary>
    public ArchCost CostAt(double clockMhz)
    {
        var energy = new List<ActionEnergy>(Cost.EnergyTable);
        foreach (var (row, mw) in LeakRows) energy[row] = energy[row] with { EnergyPj = AsicCostModel.LeakPerCycle(mw, clockMhz) };
        return Cost with { EnergyTable = energy, AlwaysOnMw = ClockTreePjPerCycle > 0 ? ClockTreePjPerCycle * clockMhz * 1e-3 : 0 };
    }

    /// <summary>The full report of <paramref name="arch"/> (this cost's design at its clock): cost, peak throughput and efficiency.</summary>
    public CostReport Report(ArchitectureSpec arch)
    {
        var cost = CostAt(arch.ClockMhz);
        double peakPowerMw = arch.PeCount * cost.PeEnergyPerActiveCyclePj * arch.ClockMhz * 1e-3 + cost.LeakageMw + cost.AlwaysOnMw;
        var peak = AsicCostModel.Peak(arch, MacsPerPe, peakPowerMw);
        double tops = peak[0].Tops;
        return new CostReport(arch.Name, Target.Asic, cost, arch.ClockMhz, NodeNm, Vdd, cost.PeAreaUm2, peak, peakPowerMw,
            peak[0].TopsPerWatt, cost.AreaMm2 > 0 ? tops / cost.AreaMm2 : 0, AppliedOverrides, null) { ChipNotModelled = ChipNotModelled };
    }
}
