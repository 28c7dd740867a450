using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Search;

/// <summary>
/// The mapspace of one GEMM on an architecture, the set the mapper searches exhaustively:
/// <list type="bullet">
/// <item>a tile (M, K, N extents) at every on-chip shared level, chosen jointly, each inside its parent's tile and
/// fitting the level (half of it when double-buffered). Along a dimension a tile is the array's fold extent times a
/// power of two, or the whole parent extent; the smallest size doubles until the parent holds at most 64 of it (at most
/// 7 sizes), or 4096 (13 sizes) when the level cannot hold tiles that size; a level that cannot hold one fold-sized tile
/// takes sizes from 1 up instead. A dimension that indexes no tensor the level holds stays whole there (it costs the
/// level no capacity);</item>
/// <item>the loop order at every shared level but the innermost (whose loops are the array's folds, in the order the
/// dataflow fixes); orders that differ only in loops of one trip are one point;</item>
/// <item>spatial unrolling is the array's dataflow (os/ws/is, as SCALE-Sim folds it) and bypass is the levels'
/// <c>holds</c>: both are architecture choices here, not searched.</item>
/// </list>
/// </summary>
internal sealed class Mapspace
{
    /// <summary>The six loop orders, outer → inner.</summary>
    public static readonly Dim[][] Orders =
    {
        new[] { Dim.M, Dim.K, Dim.N }, new[] { Dim.M, Dim.N, Dim.K }, new[] { Dim.K, Dim.M, Dim.N },
        new[] { Dim.K, Dim.N, Dim.M }, new[] { Dim.N, Dim.M, Dim.K }, new[] { Dim.N, Dim.K, Dim.M },
    };

    public const int MaxSizes = 14;

    private readonly MemoryLevelSpec[] _specs;
    private readonly double[] _usable;
    private readonly GemmProblem _p;

    public Mapspace(ArchView v, GemmProblem p, PeThroughput pe)
    {
        _p = p;
        View = v;
        var arch = v.Arch;
        var fold = SystolicCompute.FoldTile(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, pe);
        FoldM = Math.Min(fold.M, p.M); FoldK = Math.Min(fold.K, p.K); FoldN = Math.Min(fold.N, p.N);
        FoldOrder = SystolicCompute.FoldOrder(arch.Array.Dataflow);
        Depths = v.Shared.Length;
        _specs = v.Shared.Select(l => arch.Memory[l]).ToArray();
        _usable = _specs.Select(s => s.CapacityBytes == 0 ? double.PositiveInfinity : s.DoubleBuffered ? s.CapacityBytes / 2.0 : s.CapacityBytes).ToArray();
        for (int j = 1; j < Depths; j++)
            if (!Fits(j, 1, 1, 1))
            {
                var level = _specs[j];
                double need = Mapper.TileBytes(level, p, 1, 1, 1);
                throw new MantissaException(
                    $"architecture '{arch.Name}': memory level '{level.Name}' ({level.CapacityBytes} bytes{(level.DoubleBuffered ? ", double-buffered" : "")}) " +
                    $"cannot hold even the smallest tile of GEMM M={p.M} K={p.K} N={p.N} ({need:0.##} bytes needed{(level.DoubleBuffered ? " per buffer" : "")})");
            }
    }

    public ArchView View { get; }
    /// <summary>Shared levels, DRAM included.</summary>
    public int Depths { get; }
    public long FoldM { get; }
    public long FoldK { get; }
    public long FoldN { get; }
    public Dim[] FoldOrder { get; }

    public long Fold(Dim d) => d switch { Dim.M => FoldM, Dim.K => FoldK, _ => FoldN };

    /// <summary>The tile of shared level <paramref name="depth"/> fits it (half of it when double-buffered).</summary>
    public bool Fits(int depth, long m, long k, long n) =>
        double.IsPositiveInfinity(_usable[depth]) || Mapper.TileBytes(_specs[depth], _p, m, k, n) <= _usable[depth];

    /// <summary>The level holds a tensor that <paramref name="d"/> indexes.</summary>
    public bool Indexed(int depth, Dim d)
    {
        var h = _specs[depth].Holds;
        return ((h & TensorSet.Inputs) != 0 && TensorDims.Indexes(Tensor.Left, d)) ||
               ((h & TensorSet.Weights) != 0 && TensorDims.Indexes(Tensor.Right, d)) ||
               ((h & TensorSet.Outputs) != 0 && TensorDims.Indexes(Tensor.Output, d));
    }

    /// <summary>Fills <paramref name="sizes"/> (3 × <see cref="MaxSizes"/>, by dimension) with the tile sizes of level <paramref name="depth"/> inside <paramref name="parent"/>; returns the count per dimension.</summary>
    public (int M, int K, int N) Sizes(int depth, LevelTile parent, long[] sizes)
    {
        long Granule(Dim d, bool coarse) => Math.Max(1, Math.Min(coarse ? Fold(d) : 1, parent.Extent(d)));
        // the smallest size along d: the granule doubled until the parent holds at most `ratio` of them
        long Smallest(Dim d, bool coarse, long ratio)
        {
            if (!Indexed(depth, d)) return parent.Extent(d);
            long start = Granule(d, coarse);
            while (parent.Extent(d) / start > ratio) start *= 2;
            return start;
        }
        bool FitsAll(bool coarse, long ratio) => Fits(depth, Smallest(Dim.M, coarse, ratio), Smallest(Dim.K, coarse, ratio), Smallest(Dim.N, coarse, ratio));
        bool coarse = FitsAll(true, MaxShrink);
        long ratio = FitsAll(coarse, NarrowShrink) ? NarrowShrink : MaxShrink;
        int Fill(Dim d)
        {
            int at = (int)d * MaxSizes;
            long whole = parent.Extent(d);
            if (!Indexed(depth, d)) { sizes[at] = whole; return 1; }
            int n = 0;
            for (long t = Smallest(d, coarse, ratio); t < whole; t *= 2) sizes[at + n++] = t;
            sizes[at + n++] = whole;
            return n;
        }
        return (Fill(Dim.M), Fill(Dim.K), Fill(Dim.N));
    }

    /// <summary>How many tiles of the smallest size along one dimension a parent holds at most, when the level holds that size.</summary>
    public const long NarrowShrink = 64;

    /// <summary>The same limit for a level too small to hold tiles that size.</summary>
    public const long MaxShrink = 4096;

    /// <summary>A key equal for loop orders that agree on the loops with more than one trip.</summary>
    public static int NontrivialKey(in LevelTile parent, Dim[] order, long tm, long tk, long tn)
    {
        int key = 0;
        foreach (var d in order)
        {
            long t = d switch { Dim.M => tm, Dim.K => tk, _ => tn };
            if (t < parent.Extent(d)) key = key * 4 + (int)d + 1;
        }
        return key;
    }

    /// <summary>The first mapping of every point: DRAM holds the whole problem, deeper levels are filled in by the search.</summary>
    public LevelTile[] Root()
    {
        var levels = new LevelTile[Depths];
        for (int j = 0; j < Depths; j++)
            levels[j] = new LevelTile(View.Shared[j], _specs[j].Name, _p.M, _p.K, _p.N, j == Depths - 1 ? FoldOrder : Orders[0]);
        return levels;
    }

    /// <summary>Every point of the mapspace (brute force, for tests and small problems).</summary>
    public IEnumerable<GemmMapping> Enumerate()
    {
        var levels = Root();
        if (Depths == 1) { yield return Make(levels); yield break; }
        foreach (var m in Enumerate(levels, 1)) yield return m;
    }

    private IEnumerable<GemmMapping> Enumerate(LevelTile[] levels, int depth)
    {
        var sizes = new long[3 * MaxSizes];
        var parent = levels[depth - 1];
        var (nm, nk, nn) = Sizes(depth, parent, sizes);
        var seen = new HashSet<int>();
        for (int a = 0; a < nm; a++)
        for (int b = 0; b < nk; b++)
        for (int c = 0; c < nn; c++)
        {
            long tm = sizes[a], tk = sizes[MaxSizes + b], tn = sizes[2 * MaxSizes + c];
            if (!Fits(depth, tm, tk, tn)) continue;
            seen.Clear();
            foreach (var order in Orders)
            {
                if (!seen.Add(NontrivialKey(parent, order, tm, tk, tn))) continue;
                var next = (LevelTile[])levels.Clone();
                next[depth - 1] = parent with { Order = order };
                next[depth] = next[depth] with { M = tm, K = tk, N = tn };
                if (depth == Depths - 1) yield return Make(next);
                else foreach (var m in Enumerate(next, depth + 1)) yield return m;
            }
        }
    }

    public GemmMapping Make(LevelTile[] levels) => new(levels.ToArray(), FoldM, FoldK, FoldN, View.Arch.Array.Dataflow);
}
