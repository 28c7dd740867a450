using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// The tile one shared memory level holds (extents along M, K, N) and the order, outer → inner, of the loops
/// at that level that walk the next level's tiles (the innermost level walks the array's folds).
/// </summary>
public readonly record struct LevelTile(int LevelIndex, string LevelName, long M, long K, long N, Dim[] Order)
{
    public long Extent(Dim d) => d switch { Dim.M => M, Dim.K => K, _ => N };
}
