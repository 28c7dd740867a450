namespace Mantissa.Arch.Cost;

/// <summary>Cost of one architecture as the simulator consumes it: per-action energies, leakage, area.</summary>
public sealed record ArchCost(
    // Energy of one PE during one active cycle (pJ).
    double PeEnergyPerActiveCyclePj,
    // Energy of one PE during one idle (clock-gated) cycle (pJ).
    double PeEnergyPerIdleCyclePj,
    // Per memory level, in the order of <c>ArchitectureSpec.Memory</c>.
    IReadOnlyList<LevelCost> Levels,
    // Leakage power of the whole design (mW).
    double LeakageMw,
    // Total area (mm²); for FPGA targets, 0.
    double AreaMm2,
    // Every component's per-action energies (Accelergy ERT style).
    IReadOnlyList<ActionEnergy> EnergyTable,
    // Area per component (mm²).
    IReadOnlyList<AreaItem> AreaBreakdown)
{
    /// <summary>Area of one PE (µm²); for FPGA targets, 0.</summary>
    public double PeAreaUm2 { get; init; }

    /// <summary>Leakage of one PE (mW); included in <see cref="LeakageMw"/>.</summary>
    public double PeLeakageMw { get; init; }

    /// <summary>Power drawn every cycle whether or not the array works (a <c>chip:</c> section's clock tree and buffers,
    /// PCIe transmitters), mW; not in <see cref="LeakageMw"/>. The simulator charges it for the whole run, like leakage.</summary>
    public double AlwaysOnMw { get; init; }
}

/// <summary>Cost of one memory level: energy per access of one word of the level's width.</summary>
public sealed record LevelCost(string Name, double ReadEnergyPjPerWord, double WriteEnergyPjPerWord, double LeakageMw, double AreaMm2);

/// <summary>One row of the energy reference table: component, action, energy (pJ), source.</summary>
public sealed record ActionEnergy(string Component, string Action, double EnergyPj, string Source);

/// <summary>One row of the area breakdown: component, count, area (mm²), source.</summary>
public sealed record AreaItem(string Component, int Count, double AreaMm2, string Source);
