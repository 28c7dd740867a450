using Mantissa.Arch.Cost.Chip;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>
/// The part of an ASIC design's cost that its clock does not change: area, per-access and per-cycle energies, leakage power.
/// <see cref="CostAt"/> adds what the clock does change (leakage and PCIe energy per cycle, the always-on power), so designs that
/// differ only in their clock are costed once (<see cref="CostMemo"/>).
/// </summary>
internal sealed record AsicClockFreeCost(
    // The cost with the per-cycle rows of constant powers (leak_cycle, the PCIe transmitters) unset (NaN) and no always-on power.
    ArchCost Cost,
    // Where the leak_cycle rows are in Cost.EnergyTable and the leakage power (mW) each turns into energy per cycle.
    IReadOnlyList<(int Row, double Mw)> LeakRows,
    // The chip: section's components, whose rows start at ChipRows in Cost.EnergyTable.
    ChipCost Chip,
    int ChipRows,
    double NodeNm,
    double Vdd,
    // MACs per cycle of one PE at its configured formats (for the peak figures).
    double MacsPerPe,
    IReadOnlyList<CostOverride> AppliedOverrides)
{
    /// <summary>The cost at <paramref name="clockMhz"/>: what <see cref="AsicCostModel.Evaluate"/> returns for the design at that clock.</summary>
    public ArchCost CostAt(double clockMhz)
    {
        // an array, not a list: the table is copied for every design a sweep costs
        var table = Cost.EnergyTable;
        var energy = new ActionEnergy[table.Count];
        for (int i = 0; i < energy.Length; i++) energy[i] = table[i];
        foreach (var (row, mw) in LeakRows) energy[row] = energy[row] with { EnergyPj = AsicCostModel.LeakPerCycle(mw, clockMhz) };
        if (Chip.PcieRow >= 0) energy[ChipRows + Chip.PcieRow] = Chip.PcieRowAt(clockMhz);
        return Cost with { EnergyTable = energy, AlwaysOnMw = Chip.AlwaysOnMw(clockMhz) };
    }

    /// <summary>The full report of <paramref name="arch"/> (this cost's design at its clock): cost, peak throughput and efficiency.</summary>
    public CostReport Report(ArchitectureSpec arch)
    {
        var cost = CostAt(arch.ClockMhz);
        double peakPowerMw = arch.PeCount * cost.PeEnergyPerActiveCyclePj * arch.ClockMhz * 1e-3 + cost.LeakageMw + cost.AlwaysOnMw;
        var peak = AsicCostModel.Peak(arch, MacsPerPe, peakPowerMw);
        double tops = peak[0].Tops;
        return new CostReport(arch.Name, Target.Asic, cost, arch.ClockMhz, NodeNm, Vdd, cost.PeAreaUm2, peak, peakPowerMw,
            peak[0].TopsPerWatt, cost.AreaMm2 > 0 ? tops / cost.AreaMm2 : 0, AppliedOverrides, null) { ChipNotModelled = Chip.NotDeclared };
    }
}
