namespace Mantissa.Sim.Results;

/// <summary>Whether a metric is better smaller (minimised) or larger (maximised).</summary>
public enum Goal { Min, Max }

/// <summary>Every metric a design can be judged on; <see cref="MetricCatalog"/> gives each its name, unit, goal and formula.</summary>
/// <remarks>The declaration order is the column order of sweep results files.</remarks>
public enum Metric
{
    LatencyS, EnergyPj, AreaMm2, Edp, TokensPerS, TokensPerJ, TopsEffective, TopsPerMm2, TopsPerW,
    PowerW, Utilization, Cycles, ComputeCycles, StallCycles, Macs, FpgaFits, FpgaUtilization,
    QuantSqnrDb, QuantMse, FramesPerS, FormatFallbacks, TtftS, TpotS, MaxBatch,
}
