using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>The single entry point: costs a design with the ASIC or FPGA model according to <see cref="ArchitectureSpec.Target"/>.</summary>
public static class CostModel
{
    /// <summary>The per-action energies, leakage and area the simulator consumes.</summary>
    public static ArchCost Evaluate(ArchitectureSpec arch) =>
        arch.Target == Target.Fpga ? FpgaCostModel.Evaluate(arch).Cost : AsicCostModel.Evaluate(arch);

    /// <summary>The full report (<c>mantissa cost</c>): ArchCost, peak throughput per format, efficiency, FPGA fit.</summary>
    public static CostReport Report(ArchitectureSpec arch) =>
        arch.Target == Target.Fpga ? FpgaCostModel.Report(arch) : AsicCostModel.Report(arch);
}
