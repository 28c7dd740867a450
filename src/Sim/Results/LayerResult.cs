using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Workloads;

namespace Mantissa.Sim.Results;

/// <summary>Whether a layer's time is set by the PE array or by DRAM bandwidth (roofline).</summary>
public enum Bound { Compute, Memory }

/// <summary>Simulated cost of one operator of a workload; <see cref="FusionGroup"/> is the 1-based fused group it belongs to, if any.</summary>
public sealed record LayerResult(
    string Name,
    OpKind Kind,
    GemmProblem? Gemm,
    long Macs,
    double ComputeCycles,
    double Cycles,
    IReadOnlyList<LevelTraffic> Traffic,
    EnergyBreakdown Energy,
    Bound Bound,
    double Utilization,
    GemmMapping? Mapping,
    string? FormatNote = null,
    LayerBounds? Bounds = null,
    int? FusionGroup = null)
{
    public double StallCycles => Math.Max(0, Cycles - ComputeCycles);

    /// <summary>Bytes read from and written to DRAM.</summary>
    public double DramBytes => Traffic.Count == 0 ? 0 : Traffic[MemoryLevels.Dram].ReadBytes + Traffic[MemoryLevels.Dram].WriteBytes;

    /// <summary>Operational intensity: MACs per DRAM byte.</summary>
    public double MacsPerDramByte => Traffic.Count == 0 ? 0 : Macs / Math.Max(1e-30, DramBytes);
}
