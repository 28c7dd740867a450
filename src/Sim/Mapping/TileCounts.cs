using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// Number of tiles along each dimension at each depth of a mapping, counting edge tiles exactly: depth 0 is DRAM
/// (one tile), depth j the tiles of shared level j, the last depth the array's folds and streamed steps. A dimension
/// is cut independently at each level, so the count is exact and a loop nest's trips are a product over dimensions.
/// Reused across mappings: <see cref="Compute"/> refills it without allocating.
/// </summary>
public sealed class TileCounts
{
    private long[] _counts = new long[12];
    private int _depths;

    /// <summary>Depths counted: the shared levels plus the array.</summary>
    public int Depths => _depths;

    /// <summary>Tiles along <paramref name="d"/> at <paramref name="depth"/>.</summary>
    public long At(int depth, Dim d) => _counts[depth * 3 + (int)d];

    /// <summary>Tiles of the first on-chip level (depth 1) that the DRAM loops walk.</summary>
    public long OuterTiles => At(1, Dim.M) * At(1, Dim.K) * At(1, Dim.N);

    /// <summary>True when the loop over <paramref name="d"/> at shared level <paramref name="level"/> runs more than once per parent tile.</summary>
    public bool Splits(int level, Dim d) => At(level + 1, d) != At(level, d);

    public static TileCounts Of(GemmProblem p, GemmMapping map)
    {
        var c = new TileCounts();
        c.Compute(p, map);
        return c;
    }

    public void Compute(in GemmProblem p, GemmMapping map)
    {
        if (SameTiles(p, map)) return;
        _depths = map.Levels.Count + 1;
        if (_counts.Length < _depths * 3) _counts = new long[_depths * 3];
        Span<long> sizes = stackalloc long[2 * _depths + 2];
        Span<long> mult = stackalloc long[2 * _depths + 2];
        Span<long> nsizes = stackalloc long[2 * _depths + 2];
        Span<long> nmult = stackalloc long[2 * _depths + 2];
        for (int d = 0; d < 3; d++)
        {
            int n = 1;
            sizes[0] = p.Extent((Dim)d); mult[0] = 1;
            _counts[d] = 1;
            for (int j = 1; j < _depths; j++)
            {
                long t = map.TileAt(j, (Dim)d);
                int nn = 0;
                long total = 0;
                for (int i = 0; i < n; i++)
                {
                    long s = sizes[i], c = mult[i];
                    long full = s / t, rem = s % t;
                    if (full > 0) nn = Add(nsizes, nmult, nn, t, c * full);
                    if (rem > 0) nn = Add(nsizes, nmult, nn, rem, c);
                    total += c * (full + (rem > 0 ? 1 : 0));
                }
                _counts[j * 3 + d] = total;
                nsizes[..nn].CopyTo(sizes); nmult[..nn].CopyTo(mult); n = nn;
            }
        }
        Remember(p, map);
    }

    // The extents the counts were computed for (problem, then every depth's tile): the mapper scores up to six loop
    // orders of one tile in a row, and the counts do not depend on the orders.
    private long[] _extents = new long[12];
    private int _known;

    private bool SameTiles(in GemmProblem p, GemmMapping map)
    {
        int depths = map.Levels.Count + 1;
        if (_known != depths || _extents[0] != p.M || _extents[1] != p.K || _extents[2] != p.N) return false;
        for (int j = 1; j < depths; j++)
            for (int d = 0; d < 3; d++)
                if (_extents[j * 3 + d] != map.TileAt(j, (Dim)d)) return false;
        return true;
    }

    private void Remember(in GemmProblem p, GemmMapping map)
    {
        if (_extents.Length < _depths * 3) _extents = new long[_depths * 3];
        _extents[0] = p.M; _extents[1] = p.K; _extents[2] = p.N;
        for (int j = 1; j < _depths; j++)
            for (int d = 0; d < 3; d++)
                _extents[j * 3 + d] = map.TileAt(j, (Dim)d);
        _known = _depths;
    }

    private static int Add(Span<long> sizes, Span<long> mult, int n, long size, long count)
    {
        for (int i = 0; i < n; i++)
            if (sizes[i] == size) { mult[i] += count; return n; }
        sizes[n] = size; mult[n] = count;
        return n + 1;
    }
}
