namespace Mantissa.Sim.Results;

/// <summary>
/// Operators joined by the activations fusion keeps on chip, in simulation order: the bytes of those activations
/// (<see cref="ResidentBytes"/>) and the most of them held at once (<see cref="PeakResidentBytes"/>), the DRAM bytes
/// the group moves fused and unfused, and the least it could move (<see cref="CompulsoryDramBytes"/>: every tensor
/// entering or leaving the group, weights included, crossing DRAM once).
/// </summary>
public sealed record FusionGroup(int Index, IReadOnlyList<string> Operators, IReadOnlyList<string> ResidentTensors,
    double ResidentBytes, double PeakResidentBytes, double UnfusedDramBytes, double DramBytes, double CompulsoryDramBytes)
{
    /// <summary>DRAM bytes fusion saves in this group.</summary>
    public double SavedBytes => UnfusedDramBytes - DramBytes;

    /// <summary>The group holds an attention block tiled FlashAttention-style: its score matrix stays on chip one tile at a time.</summary>
    public bool TiledAttention { get; init; }
}

/// <summary>
/// The fused schedule of a run: whether fusion was on, the level it keeps activations in, the groups it formed and the
/// whole run's DRAM bytes with and without it.
/// </summary>
public sealed record FusionSchedule(bool Enabled, string? Level, long LevelCapacityBytes, IReadOnlyList<FusionGroup> Groups,
    double UnfusedDramBytes, double DramBytes)
{
    /// <summary>DRAM bytes fusion saves over the whole run.</summary>
    public double SavedBytes => UnfusedDramBytes - DramBytes;

    /// <summary>A run without fusion (a bare GEMM, or fusion switched off).</summary>
    public static FusionSchedule Off(double dramBytes) => new(false, null, 0, Array.Empty<FusionGroup>(), dramBytes, dramBytes);
}
