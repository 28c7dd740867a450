using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>Peak throughput of the array for one supported (weight, activation) format pair.</summary>
public sealed record PeakThroughput(string Weight, string Activation, double MacsPerCyclePerPe, double MacsPerCycle, double Tops, double TopsPerWatt);

/// <summary>Everything <c>mantissa cost</c> prints: the simulator's <see cref="ArchCost"/> plus peak and efficiency figures.</summary>
public sealed record CostReport(
    string Name,
    Target Target,
    ArchCost Cost,
    double ClockMhz,
    // ASIC: node and supply actually used (nominal supply when the spec gives none).
    double? NodeNm,
    double? Vdd,
    double PeAreaUm2,
    IReadOnlyList<PeakThroughput> Peak,
    // PE array at peak (every PE active every cycle) plus leakage, excluding memory traffic (mW).
    double PeakPowerMw,
    double TopsPerWatt,
    // 0 for FPGA targets.
    double TopsPerMm2,
    IReadOnlyList<CostOverride> AppliedOverrides,
    FpgaReport? Fpga)
{
    /// <summary>Whole-chip components the design does not declare (so not in the area or power); empty for FPGA targets.</summary>
    public IReadOnlyList<string> ChipNotModelled { get; init; } = [];
}
