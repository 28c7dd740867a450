using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>FPGA mapping result: resources used vs available, fit, clock estimate, bandwidth and the simulator's <see cref="ArchCost"/>.</summary>
public sealed record FpgaReport(
    FpgaDevice Device,
    FpgaResources Used,
    IReadOnlyList<FpgaUtilization> Utilization,
    bool Fits,
    double EstimatedClockMhz,
    bool ClockMet,
    // Off-chip bandwidth the design's DRAM levels are configured with, at the requested clock (GB/s).
    double DramGBps,
    IReadOnlyList<FpgaResourceItem> Breakdown,
    ArchCost Cost)
{
    /// <summary>The overrides that pinned a cost or resource count.</summary>
    public IReadOnlyList<CostOverride> AppliedOverrides { get; init; } = Array.Empty<CostOverride>();
}
