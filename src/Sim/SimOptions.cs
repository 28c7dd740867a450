namespace Mantissa.Sim;

/// <summary>
/// What the mapper minimizes. Latency: the lowest latency, then the lowest energy among mappings within
/// <see cref="SimOptions.ObjectiveTolerance"/> of it. Energy: the reverse. Edp: the lowest energy × latency.
/// </summary>
public enum MappingObjective { Latency, Energy, Edp }

/// <summary>Simulator knobs that are not part of the architecture.</summary>
public sealed record SimOptions
{
    /// <summary>Quantity the mapper minimizes per operator.</summary>
    public MappingObjective Objective { get; init; } = MappingObjective.Latency;

    /// <summary>
    /// How far (relative) the first key of a latency or energy objective may rise to lower the second: 1 % means the
    /// default never buys a latency gain below 1 % with extra energy.
    /// </summary>
    public double ObjectiveTolerance { get; init; } = 0.01;

    /// <summary>
    /// Report a GEMM's compute cycles with SCALE-Sim v2's counting (its "Total Cycles" is folds × cycles-per-fold − 1;
    /// the −1 comes from its zero-based cycle index). Off gives folds × cycles-per-fold.
    /// </summary>
    public bool ScaleSimCounting { get; init; } = true;

    /// <summary>
    /// Layer fusion: an activation stays in the on-chip level for its consumers when it fits there, instead of going to
    /// DRAM and back (see docs/simulate.md, "Layer fusion"). Off simulates layer by layer.
    /// </summary>
    public bool Fusion { get; init; } = true;

    /// <summary>Above this many outer-level tiles the timing engine uses its closed form instead of the tile recurrence.</summary>
    public long MaxTimelineTiles { get; init; } = 1 << 20;
}
