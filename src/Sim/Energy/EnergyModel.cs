using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Energy;

/// <summary>
/// Action counts × per-action energies from the cost model, plus leakage × time. PE energy charges busy PE-cycles
/// at the active energy and the remaining PE-cycles at the idle energy, or every PE every cycle at the active
/// energy when <c>charge_all_pes_every_cycle</c> is set (the BitMoD simulator's accounting). Memory energy comes from
/// the traffic-cost kernel (<see cref="TrafficCost"/>), the same figures the mapper scores.
/// </summary>
public static class EnergyModel
{
    public static EnergyBreakdown Compute(ArchitectureSpec arch, ArchCost cost, IReadOnlyList<LevelTraffic> traffic,
        double busyPeCycles, double cycles)
    {
        var levels = new (string, double)[arch.Memory.Count];
        for (int l = 0; l < arch.Memory.Count; l++)
            levels[l] = (arch.Memory[l].Name, TrafficCost.LevelPj(cost.Levels[l], traffic[l].Reads, traffic[l].Writes));
        return new EnergyBreakdown(PePj(arch, cost, busyPeCycles, cycles), levels, LeakagePj(cost, Seconds(arch, cycles)));
    }

    /// <summary>Total energy of a run whose memory energy is <paramref name="memoryPj"/> (what <see cref="Compute"/> sums to).</summary>
    public static double TotalPj(ArchitectureSpec arch, ArchCost cost, double memoryPj, double busyPeCycles, double cycles) =>
        PePj(arch, cost, busyPeCycles, cycles) + memoryPj + LeakagePj(cost, Seconds(arch, cycles));

    /// <summary>PE array energy: busy PE-cycles active, the rest idle (or all active under <c>charge_all_pes_every_cycle</c>).</summary>
    public static double PePj(ArchitectureSpec arch, ArchCost cost, double busyPeCycles, double cycles) =>
        PePj(arch.PeCount, arch.Switches.ChargeAllPesEveryCycle, cost.PeEnergyPerActiveCyclePj, cost.PeEnergyPerIdleCyclePj, busyPeCycles, cycles);

    /// <summary><see cref="PePj(ArchitectureSpec, ArchCost, double, double)"/> from its operands (a mapper segment reads them once).</summary>
    public static double PePj(double peCount, bool chargeAllPesEveryCycle, double activePj, double idlePj, double busyPeCycles, double cycles)
    {
        double allPeCycles = peCount * cycles;
        return chargeAllPesEveryCycle
            ? allPeCycles * activePj
            : busyPeCycles * activePj + Math.Max(0, allPeCycles - busyPeCycles) * idlePj;
    }

    // mW × s = mJ = 1e9 pJ. The always-on power (a declared clock tree and its buffers, PCIe transmitters) accrues like
    // leakage, busy or not.
    public static double LeakagePj(ArchCost cost, double seconds) => LeakagePj(cost.LeakageMw + cost.AlwaysOnMw, seconds);

    /// <summary>Leakage and always-on energy of <paramref name="mw"/> over <paramref name="seconds"/> (pJ).</summary>
    public static double LeakagePj(double mw, double seconds) => mw * seconds * 1e9;

    private static double Seconds(ArchitectureSpec arch, double cycles) => cycles / (arch.ClockMhz * 1e6);
}
