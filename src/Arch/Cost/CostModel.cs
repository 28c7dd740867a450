using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>The single entry point: costs a design with the ASIC or FPGA model according to <see cref="ArchitectureSpec.Target"/>.</summary>
/// <remarks>
/// An array whose dataflow is open (<see cref="ArraySpec.Open"/>) is one piece of hardware that runs each dataflow it
/// lists. Its PEs carry both operand registers under every dataflow (so its area is that of any one of them), and it is
/// priced at the listed dataflow whose PE active-cycle energy is highest (operand-register rewrites and forwarded bits
/// differ by dataflow): the mapper's choice of dataflow then moves time and memory traffic, never the price per PE
/// cycle. The muxes that switch a PE between dataflows are not modelled.
/// </remarks>
public static class CostModel
{
    /// <summary>The per-action energies, leakage and area the simulator consumes.</summary>
    public static ArchCost Evaluate(ArchitectureSpec arch) => Fixed(Priced(arch));

    /// <summary>The full report (<c>mantissa cost</c>): ArchCost, peak throughput per format, efficiency, FPGA fit.</summary>
    public static CostReport Report(ArchitectureSpec arch)
    {
        var priced = Priced(arch);
        return priced.Target == Target.Fpga ? FpgaCostModel.Report(priced) : AsicCostModel.Report(priced);
    }

    /// <summary>The clock-free part of an ASIC design's cost (<see cref="CostMemo"/>); its <see cref="AsicClockFreeCost.CostAt"/> at the design's clock is <see cref="Evaluate"/>.</summary>
    internal static AsicClockFreeCost ClockFree(ArchitectureSpec arch) => AsicCostModel.ClockFree(Priced(arch));

    /// <summary>The dataflow an open array is priced at (the fixed one otherwise).</summary>
    public static Dataflow PricedDataflow(ArchitectureSpec arch) => Priced(arch).Array.Dataflow;

    private static ArchCost Fixed(ArchitectureSpec arch) =>
        arch.Target == Target.Fpga ? FpgaCostModel.Evaluate(arch).Cost : AsicCostModel.Evaluate(arch);

    private static ArchitectureSpec Priced(ArchitectureSpec arch)
    {
        if (arch.Array is null || arch.Array.Open == DataflowSet.None) return arch;
        ArchitectureSpec? best = null;
        double most = double.NegativeInfinity;
        foreach (var d in arch.Array.Dataflows)
        {
            var one = arch with { Array = arch.Array with { Dataflow = d, Open = DataflowSet.None } };
            double pj = Fixed(one).PeEnergyPerActiveCyclePj;
            if (pj > most) { most = pj; best = one; }
        }
        return best!;
    }
}
