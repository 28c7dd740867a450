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

    /// <summary>
    /// The counts of <paramref name="p"/> under <paramref name="map"/> in this thread's scratch instance, valid until the
    /// thread's next call: for a caller that reads them at once and keeps nothing (pricing a layer counted a new instance,
    /// about 300 bytes, once for its traffic and once for its timing).
    /// </summary>
    internal static TileCounts Scratch(in GemmProblem p, GemmMapping map)
    {
        var c = t_scratch ??= new TileCounts();
        c.Compute(p, map);
        return c;
    }

    [ThreadStatic] private static TileCounts? t_scratch;

    public void Compute(in GemmProblem p, GemmMapping map)
    {
        var tiles = map.Tiles;
        int depths = tiles.Length + 1;
        // one on-chip level (the mapper's leaves): scored by the tile, twice or more per tile (class bounds, scores)
        if (depths == 3)
        {
            ref readonly var t = ref tiles[1];
            ComputeOneLevel(p.M, p.K, p.N, t.M, t.K, t.N, map.FoldM, map.FoldK, map.FoldN);
            return;
        }
        ComputeGeneral(p, map, tiles, depths);
    }

    // The counts of DRAM, one on-chip level and the array, as ComputeGeneral counts them (the integers are exact, so they
    // are equal; TileCountsOneLevelTests compares the two): along a dimension of extent e cut into tiles of t, then folds
    // of f, there are ⌊e/t⌋ full tiles of ⌈t/f⌉ folds and, when t does not divide e, one edge tile of ⌈(e mod t)/f⌉.
    // The extents are compared in place first: the mapper asks again for the tile it just counted.
    private void ComputeOneLevel(long m, long k, long n, long tm, long tk, long tn, long fm, long fk, long fn)
    {
        var e = _extents;
        if (_depths == 3 && e[0] == m && e[1] == k && e[2] == n && e[3] == tm && e[4] == tk && e[5] == tn
            && e[6] == fm && e[7] == fk && e[8] == fn) return;
        _depths = 3;
        e[0] = m; e[1] = k; e[2] = n; e[3] = tm; e[4] = tk; e[5] = tn; e[6] = fm; e[7] = fk; e[8] = fn;
        var c = _counts;
        c[0] = c[1] = c[2] = 1;
        for (int d = 0; d < 3; d++)
        {
            long ext = e[d], t = e[3 + d], f = e[6 + d];
            var (full, rem) = Math.DivRem(ext, t);
            c[3 + d] = full + (rem > 0 ? 1 : 0);
            c[6 + d] = full * SystolicCompute.CeilDiv(t, f) + (rem > 0 ? SystolicCompute.CeilDiv(rem, f) : 0);
        }
    }

    /// <summary>The general count (any number of levels), for tests comparing the one-level fast path with it.</summary>
    internal void ComputeGeneral(in GemmProblem p, GemmMapping map)
    {
        var tiles = map.Tiles;
        ComputeGeneral(p, map, tiles, tiles.Length + 1);
    }

    private void ComputeGeneral(in GemmProblem p, GemmMapping map, ReadOnlySpan<LevelTile> tiles, int depths)
    {
        // the extents along each dimension at every depth: the problem, each level's tile, the array's fold
        Span<long> ext = stackalloc long[3 * depths];
        ext[0] = p.M; ext[1] = p.K; ext[2] = p.N;
        for (int j = 1; j < tiles.Length; j++) { ext[3 * j] = tiles[j].M; ext[3 * j + 1] = tiles[j].K; ext[3 * j + 2] = tiles[j].N; }
        ext[3 * tiles.Length] = map.FoldM; ext[3 * tiles.Length + 1] = map.FoldK; ext[3 * tiles.Length + 2] = map.FoldN;
        // the mapper scores up to six loop orders of one tile in a row, and the counts do not depend on the orders
        if (_depths == depths && ext.SequenceEqual(_extents.AsSpan(0, 3 * depths))) return;
        _depths = depths;
        if (_counts.Length < depths * 3) { _counts = new long[depths * 3]; _extents = new long[depths * 3]; }
        ext.CopyTo(_extents);
        // a multiset of piece sizes along one dimension, cut depth by depth (at most one new size per depth)
        Span<long> sizes = stackalloc long[depths + 1], mult = stackalloc long[depths + 1];
        Span<long> nsizes = stackalloc long[depths + 1], nmult = stackalloc long[depths + 1];
        for (int d = 0; d < 3; d++)
        {
            int n = 1;
            sizes[0] = ext[d]; mult[0] = 1;
            _counts[d] = 1;
            for (int j = 1; j < depths; j++)
            {
                long t = ext[3 * j + d];
                int nn = 0;
                long total = 0;
                for (int i = 0; i < n; i++)
                {
                    long c = mult[i];
                    var (full, rem) = Math.DivRem(sizes[i], t);
                    if (full > 0) nn = Add(nsizes, nmult, nn, t, c * full);
                    if (rem > 0) nn = Add(nsizes, nmult, nn, rem, c);
                    total += c * (full + (rem > 0 ? 1 : 0));
                }
                _counts[j * 3 + d] = total;
                var swap = sizes; sizes = nsizes; nsizes = swap;
                swap = mult; mult = nmult; nmult = swap;
                n = nn;
            }
        }
    }

    // the extents the counts were computed for (see Compute)
    private long[] _extents = new long[12];

    private static int Add(Span<long> sizes, Span<long> mult, int n, long size, long count)
    {
        for (int i = 0; i < n; i++)
            if (sizes[i] == size) { mult[i] += count; return n; }
        sizes[n] = size; mult[n] = count;
        return n + 1;
    }
}
