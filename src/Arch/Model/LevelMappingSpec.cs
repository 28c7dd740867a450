namespace Mantissa.Arch.Model;

/// <summary>An order of the three GEMM loops M, K, N at one memory level, outer → inner.</summary>
public enum LoopOrder { MKN, MNK, KMN, KNM, NMK, NKM }

/// <summary>
/// Mapping constraints at one memory level (Timeloop's per-level constraints, in tile sizes): the loop order of the
/// loops at this level that walk the next level's tiles, and the tile extents this level holds. A null field is left to
/// the mapper; a tile extent larger than the tile around it is clipped to it. <see cref="Source"/> says where the
/// constraints were written (file:line:column and key), for errors found only when a GEMM is mapped.
/// </summary>
public sealed record LevelMappingSpec(LoopOrder? Order, long? TileM, long? TileK, long? TileN, string Source)
{
    /// <summary>True when nothing is fixed.</summary>
    public bool IsEmpty => Order is null && TileM is null && TileK is null && TileN is null;

    /// <summary>These constraints with every field <paramref name="over"/> fixes replaced by its value.</summary>
    public LevelMappingSpec Merge(LevelMappingSpec over) =>
        new(over.Order ?? Order, over.TileM ?? TileM, over.TileK ?? TileK, over.TileN ?? TileN, over.Source);
}
