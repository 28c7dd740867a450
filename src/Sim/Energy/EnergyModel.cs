using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Energy;

/// <summary>
/// Action counts × per-action energies from the cost model, plus leakage × time. PE energy charges busy PE-cycles
/// at the active energy and the remaining PE-cycles at the idle energy, or every PE every cycle at the active
/// energy when <c>charge_all_pes_every_cycle</c> is set (the BitMoD simulator's accounting).
/// </summary>
public static class EnergyModel
{
    public static EnergyBreakdown Compute(ArchitectureSpec arch, ArchCost cost, IReadOnlyList<LevelTraffic> traffic,
        double busyPeCycles, double cycles)
    {
        double allPeCycles = (double)arch.PeCount * cycles;
        double compute = arch.Switches.ChargeAllPesEveryCycle
            ? allPeCycles * cost.PeEnergyPerActiveCyclePj
            : busyPeCycles * cost.PeEnergyPerActiveCyclePj + Math.Max(0, allPeCycles - busyPeCycles) * cost.PeEnergyPerIdleCyclePj;
        var levels = new (string, double)[arch.Memory.Count];
        for (int l = 0; l < arch.Memory.Count; l++)
            levels[l] = (arch.Memory[l].Name, MemoryPj(cost.Levels[l], traffic[l]));
        return new EnergyBreakdown(compute, levels, LeakagePj(cost, cycles / (arch.ClockMhz * 1e6)));
    }

    public static double MemoryPj(LevelCost c, LevelTraffic t) => t.Reads * c.ReadEnergyPjPerWord + t.Writes * c.WriteEnergyPjPerWord;

    // mW × s = mJ = 1e9 pJ
    public static double LeakagePj(ArchCost cost, double seconds) => cost.LeakageMw * seconds * 1e9;
}
