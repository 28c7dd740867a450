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
/// <item>the spatial unrolling: the array's dataflow (os/ws/is, as SCALE-Sim folds it). One mapspace has one dataflow;
/// an array whose dataflow is open has one mapspace per dataflow it lists, and the mapper searches their union. The
/// PE's dot width always takes K (a dot product sums over the reduction dimension);</item>
/// <item>bypass: which of the tensors a level lists under <c>may_bypass</c> it skips (they move between the nearest
/// levels around it that hold them). One mapspace has one bypass choice (its <see cref="ArchView"/>); the mapper
/// searches the union over every choice the levels allow. Without <c>may_bypass</c> a level holds what <c>holds</c> lists.</item>
/// </list>
/// Operands layer fusion holds whole in a level (<see cref="GemmProblem.OnChip"/>) take their bytes off its capacity
/// and need no tile there; their DRAM crossing is not counted.
/// A level's mapping constraints (<see cref="LevelMappingSpec"/>) cut the space: a fixed tile extent (clipped to the
/// problem's extent, so one file serves every layer) is the only size along its dimension, and every level above must
/// hold at least that much; a fixed loop order is the only order at its level.
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
    // per depth: what the level holds in this mapspace's view (its holds less the bypassed tensors)
    private readonly TensorSet[] _holds;
    private readonly double[] _usable;
    // per depth: the tensors whose tile takes the level's capacity (its holds less the inputs fusion keeps there whole)
    private readonly TensorSet[] _tiled;
    private readonly GemmProblem _p;
    // per depth: the fixed loop order's index in Orders (-1: free); per depth and dimension the fixed tile extent,
    // clipped to the problem (0: free), and the largest fixed extent at this depth or deeper (a tile holds its children)
    private readonly int[] _fixedOrder;
    private readonly long[] _fixedTile;
    private readonly long[] _floor;
    // the depth of the level whose capacity fusion reserves bytes in (-1: none), whose Fits answers Window records
    private readonly int _reservedDepth;

    public Mapspace(ArchView v, GemmProblem p, PeThroughput pe, Dataflow dataflow)
    {
        _p = p;
        View = v;
        Dataflow = dataflow;
        var arch = v.Arch;
        var fold = SystolicCompute.FoldTile(arch.Array.Rows, arch.Array.Cols, dataflow, pe);
        FoldM = Math.Min(fold.M, p.M); FoldK = Math.Min(fold.K, p.K); FoldN = Math.Min(fold.N, p.N);
        FoldOrder = SystolicCompute.FoldOrder(dataflow);
        Depths = v.Shared.Length;
        // loops, not LINQ: a mapspace is built for every search (every fresh design point of a sweep)
        _specs = new MemoryLevelSpec[Depths];
        _holds = new TensorSet[Depths];
        for (int j = 0; j < Depths; j++) { _specs[j] = arch.Memory[v.Shared[j]]; _holds[j] = v.Holds(v.Shared[j]); }
        // Operands fusion holds whole in a level take their bytes off its capacity and need no tile there (a kept
        // output keeps its tile of partial sums): see OnChipOperands.
        var onChip = p.OnChip;
        if (onChip.Tensors != TensorSet.None)
            foreach (var t in PerTensor.All)
                if ((onChip.Tensors & ArchView.SetOf(t)) != 0 && v.FirstHolder(t) != onChip.Level)
                    throw new InvalidOperationException($"operand {t} is kept on chip in memory level {onChip.Level}, which is not its first on-chip holder");
        _tiled = new TensorSet[Depths];
        _usable = new double[Depths];
        for (int j = 0; j < Depths; j++)
        {
            _tiled[j] = v.Shared[j] == onChip.Level ? _holds[j] & ~onChip.Untiled : _holds[j];
            _usable[j] = Usable(_specs[j], v.Shared[j] == onChip.Level ? onChip.ReservedBytes : 0);
        }
        _reservedDepth = onChip.Tensors == TensorSet.None ? -1 : Array.IndexOf(v.Shared, onChip.Level);
        for (int j = 1; j < Depths; j++)
            if (!Fits(j, 1, 1, 1))
            {
                var level = _specs[j];
                double need = Mapper.TileBytes(_tiled[j], p, 1, 1, 1);
                bool reserved = v.Shared[j] == onChip.Level && onChip.ReservedBytes > 0;
                throw new MantissaException(
                    $"architecture '{arch.Name}': memory level '{level.Name}' ({level.CapacityBytes} bytes{(level.DoubleBuffered ? ", double-buffered" : "")}" +
                    $"{(reserved ? $", {onChip.ReservedBytes:0.##} of them holding activations kept on chip by layer fusion" : "")}) " +
                    $"cannot hold even the smallest tile of GEMM M={p.M} K={p.K} N={p.N} ({need:0.##} bytes needed{(level.DoubleBuffered ? " per buffer" : "")})");
            }
        _fixedOrder = new int[Depths];
        _fixedTile = new long[3 * Depths];
        for (int j = 0; j < Depths; j++)
        {
            var c = _specs[j].Mapping;
            _fixedOrder[j] = c?.Order is { } o ? (int)o : -1;
            _fixedTile[3 * j] = Math.Min(c?.TileM ?? 0, p.M); _fixedTile[3 * j + 1] = Math.Min(c?.TileK ?? 0, p.K);
            _fixedTile[3 * j + 2] = Math.Min(c?.TileN ?? 0, p.N);
            if (j == Depths - 1 && _fixedOrder[j] >= 0 && !Orders[_fixedOrder[j]].SequenceEqual(FoldOrder))
                throw new MantissaException(
                    $"{c!.Source}: order [{OrderText(Orders[_fixedOrder[j]])}]: the loops inside '{_specs[j].Name}', the innermost on-chip level, " +
                    $"walk the array's folds in the order its dataflow ({ArraySpec.Name(dataflow)}) fixes: [{OrderText(FoldOrder)}]");
        }
        if (_fixedTile[0] > 0 || _fixedTile[1] > 0 || _fixedTile[2] > 0)
            throw new MantissaException($"{_specs[0].Mapping!.Source}: the DRAM level holds the whole problem: constrain only its loop order there");
        _floor = new long[3 * Depths];
        for (int j = Depths - 1; j >= 0; j--)
            for (int d = 0; d < 3; d++)
                _floor[3 * j + d] = Math.Max(_fixedTile[3 * j + d], j + 1 < Depths ? _floor[3 * (j + 1) + d] : 0);
    }

    /// <summary>A loop order as the YAML writes it: "n, k, m".</summary>
    public static string OrderText(Dim[] order) => string.Join(", ", order.Select(d => d.ToString().ToLowerInvariant()));

    /// <summary>True when level <paramref name="depth"/>'s constraints allow the loop order <c>Orders[o]</c>.</summary>
    public bool AllowsOrder(int depth, int o) => _fixedOrder[depth] < 0 || _fixedOrder[depth] == o;

    /// <summary>The loop order a level gets when its loops all run once: its fixed order, else the first.</summary>
    public Dim[] DefaultOrder(int depth) => depth == Depths - 1 ? FoldOrder : Orders[Math.Max(0, _fixedOrder[depth])];

    /// <summary>True when level <paramref name="depth"/>'s tile constraints allow the tile (<paramref name="m"/>, <paramref name="k"/>, <paramref name="n"/>) inside <paramref name="parent"/>.</summary>
    public bool AllowsTile(int depth, in LevelTile parent, long m, long k, long n) =>
        Allows(depth, Dim.M, parent.M, m) && Allows(depth, Dim.K, parent.K, k) && Allows(depth, Dim.N, parent.N, n);

    private bool Allows(int depth, Dim d, long parent, long t)
    {
        long c = _fixedTile[3 * depth + (int)d];
        return (c == 0 || c == t) && t >= _floor[3 * depth + (int)d] && t <= parent;
    }

    /// <summary>The levels have constraints.</summary>
    public bool Constrained => _fixedOrder.Any(o => o >= 0) || _fixedTile.Any(t => t > 0);

    /// <summary>
    /// Why no mapping satisfies the constraints: a fixed tile larger than a fixed tile above it, or the first level
    /// whose smallest allowed tile (the largest fixed extent at or below it, free extents at 1) does not fit it.
    /// </summary>
    public string Infeasible()
    {
        var what = $"no mapping of GEMM M={_p.M} K={_p.K} N={_p.N} satisfies the mapping constraints";
        for (int i = 1; i < Depths; i++)
        for (int j = i + 1; j < Depths; j++)
        for (int d = 0; d < 3; d++)
            if (_fixedTile[3 * i + d] > 0 && _fixedTile[3 * j + d] > _fixedTile[3 * i + d])
                return $"{_specs[j].Mapping!.Source}: {what}: the tile of '{_specs[j].Name}' ({(Dim)d}={_fixedTile[3 * j + d]}) " +
                       $"is larger than the tile of '{_specs[i].Name}' around it ({(Dim)d}={_fixedTile[3 * i + d]}, {_specs[i].Mapping!.Source})";
        for (int j = 1; j < Depths; j++)
        {
            long Smallest(Dim d) => Math.Max(1, _floor[3 * j + (int)d]);
            long m = Smallest(Dim.M), k = Smallest(Dim.K), n = Smallest(Dim.N);
            if (Fits(j, m, k, n)) continue;
            var level = _specs[j];
            var source = _specs.Skip(j).Select(s => s.Mapping?.Source).FirstOrDefault(s => s is not null);
            return $"{source}: {what}: a tile of '{level.Name}' with M={m} K={k} N={n} needs " +
                   $"{Mapper.TileBytes(_tiled[j], _p, m, k, n):0.##} bytes, more than the {_usable[j]:0.##} bytes it holds" +
                   (level.DoubleBuffered ? " per buffer (double-buffered)" : "");
        }
        return $"{what} ({string.Join("; ", _specs.Where(s => s.Mapping is not null).Select(s => s.Mapping!.Source))}): " +
               "each level's fixed tiles fit it alone, but not nested inside the tiles of the levels above";
    }

    /// <summary>
    /// The dataflows of <paramref name="v"/>'s array the mapper may use: all it lists, less those whose fold order a fixed
    /// loop order at the innermost on-chip level contradicts (a fixed array keeps its one dataflow, and the mapspace
    /// reports the contradiction).
    /// </summary>
    public static IReadOnlyList<Dataflow> Candidates(ArchView v)
    {
        // the array's own list (shared, immutable: ArraySpec.Dataflows) unless a loop order rules some out
        var all = v.Arch.Array.Dataflows;
        if (all.Count == 1 || v.Shared.Length < 2) return all;
        var inner = v.Arch.Memory[v.Shared[^1]].Mapping?.Order;
        if (inner is null) return all;
        var allowed = Walking(all, Orders[(int)inner.Value]);
        if (allowed.Length > 0) return allowed;
        var level = v.Arch.Memory[v.Shared[^1]];
        throw new MantissaException(
            $"{level.Mapping!.Source}: order [{OrderText(Orders[(int)inner.Value])}]: the loops inside '{level.Name}', the innermost on-chip level, " +
            $"walk the array's folds in the order a dataflow fixes, and none of the array's dataflows ({string.Join(", ", all.Select(ArraySpec.Name))}) " +
            $"walks them so: {string.Join("; ", all.Select(d => $"{ArraySpec.Name(d)} [{OrderText(SystolicCompute.FoldOrder(d))}]"))}");
    }

    // The dataflows whose folds walk in the given order: a method of its own, since the lambda's capture is allocated on
    // entry to the method that declares it, and in Candidates that was every mapper's.
    private static Dataflow[] Walking(IReadOnlyList<Dataflow> all, Dim[] order) =>
        all.Where(d => order.SequenceEqual(SystolicCompute.FoldOrder(d))).ToArray();

    public ArchView View { get; }
    /// <summary>The array's dataflow in this mapspace.</summary>
    public Dataflow Dataflow { get; }
    /// <summary>Shared levels, DRAM included.</summary>
    public int Depths { get; }
    public long FoldM { get; }
    public long FoldK { get; }
    public long FoldN { get; }
    public Dim[] FoldOrder { get; }

    public long Fold(Dim d) => d switch { Dim.M => FoldM, Dim.K => FoldK, _ => FoldN };

    /// <summary>The tile of shared level <paramref name="depth"/> fits it (half of it when double-buffered).</summary>
    public bool Fits(int depth, long m, long k, long n)
    {
        if (double.IsPositiveInfinity(_usable[depth])) return true;
        double bytes = Mapper.TileBytes(_tiled[depth], _p, m, k, n);
        bool fits = bytes <= _usable[depth];
        if (depth == _reservedDepth) Window = Window.With(bytes, fits);
        return fits;
    }

    /// <summary>
    /// The bytes a level of <paramref name="spec"/> has for one tile when <paramref name="reserved"/> of them hold what
    /// fusion keeps there (half when double-buffered; unbounded for a capacity of 0).
    /// </summary>
    public static double Usable(MemoryLevelSpec spec, double reserved)
    {
        if (spec.CapacityBytes == 0) return double.PositiveInfinity;
        double free = spec.CapacityBytes - reserved;
        return spec.DoubleBuffered ? free / 2.0 : free;
    }

    /// <summary>
    /// The tile sizes every <see cref="Fits"/> so far asked about the level fusion reserves bytes in: a search of this
    /// problem with other reserved bytes whose usable bytes fall in it gets every answer the same.
    /// </summary>
    public UsableWindow Window { get; private set; } = UsableWindow.Any;

    /// <summary>The level holds a tensor that <paramref name="d"/> indexes.</summary>
    public bool Indexed(int depth, Dim d)
    {
        var h = _holds[depth];
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
            if (_fixedTile[3 * depth + (int)d] is > 0 and var c) return c;
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
            long floor = _floor[3 * depth + (int)d];
            if (floor > whole) return 0; // a deeper fixed tile does not fit inside this parent
            if (_fixedTile[3 * depth + (int)d] is > 0 and var c) { sizes[at] = c; return 1; }
            if (!Indexed(depth, d)) { sizes[at] = whole; return 1; }
            int n = 0;
            for (long t = Smallest(d, coarse, ratio); t < whole; t *= 2)
                if (t >= floor) sizes[at + n++] = t;
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

    /// <summary>Bit d set when the tile (<paramref name="tm"/>, <paramref name="tk"/>, <paramref name="tn"/>) splits <paramref name="parent"/> along dimension d: the loops of more than one trip.</summary>
    public static int SplitMask(in LevelTile parent, long tm, long tk, long tn) =>
        (tm < parent.M ? 1 : 0) | (tk < parent.K ? 2 : 0) | (tn < parent.N ? 4 : 0);

    /// <summary>
    /// <see cref="NontrivialKey(in LevelTile, Dim[], long, long, long)"/> of <c>Orders[o]</c> from the tile's
    /// <see cref="SplitMask"/>: the key depends on the tile only through which loops run more than once, so the mapper's
    /// leaf loop reads it from a table built by that definition (<see cref="KeyTable"/>) instead of walking the order.
    /// </summary>
    public static int NontrivialKey(int splitMask, int o) => KeyTable[splitMask * 6 + o];

    private static readonly int[] KeyTable = BuildKeyTable();

    // the definition's key for every split mask and order: a loop runs more than once exactly when its bit is set
    private static int[] BuildKeyTable()
    {
        var table = new int[8 * 6];
        var parent = new LevelTile(0, "", 2, 2, 2, Orders[0]);
        for (int mask = 0; mask < 8; mask++)
            for (int o = 0; o < 6; o++)
                table[mask * 6 + o] = NontrivialKey(parent, Orders[o], (mask & 1) != 0 ? 1 : 2, (mask & 2) != 0 ? 1 : 2, (mask & 4) != 0 ? 1 : 2);
        return table;
    }

    /// <summary>The first mapping of every point: DRAM holds the whole problem, deeper levels are filled in by the search (in <paramref name="reuse"/> when it has <see cref="Depths"/> levels).</summary>
    public LevelTile[] Root(LevelTile[]? reuse = null)
    {
        var levels = reuse is not null && reuse.Length == Depths ? reuse : new LevelTile[Depths];
        for (int j = 0; j < Depths; j++)
            levels[j] = new LevelTile(View.Shared[j], _specs[j].Name, _p.M, _p.K, _p.N, DefaultOrder(j));
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
            for (int o = 0; o < Orders.Length; o++)
            {
                var order = Orders[o];
                if (!AllowsOrder(depth - 1, o) || !seen.Add(NontrivialKey(parent, order, tm, tk, tn))) continue;
                var next = (LevelTile[])levels.Clone();
                next[depth - 1] = parent with { Order = order };
                next[depth] = next[depth] with { M = tm, K = tk, N = tn };
                if (depth == Depths - 1) yield return Make(next);
                else foreach (var m in Enumerate(next, depth + 1)) yield return m;
            }
        }
    }

    public GemmMapping Make(LevelTile[] levels) => new(levels.ToArray(), FoldM, FoldK, FoldN, Dataflow) { Bypass = View.Bypass };
}

/// <summary>
/// Usable bytes of a level (<see cref="Mapspace.Usable"/>) that answer a set of fit questions alike: every tile asked
/// about that fitted took at most <see cref="FitMax"/> bytes, every one that did not at least <see cref="MissMin"/>.
/// A usable size u with FitMax ≤ u &lt; MissMin gives the same answers.
/// </summary>
public readonly record struct UsableWindow(double FitMax, double MissMin)
{
    /// <summary>No question asked: any usable size answers alike.</summary>
    public static UsableWindow Any => new(double.NegativeInfinity, double.PositiveInfinity);

    /// <summary>No usable size is known to answer alike.</summary>
    public static UsableWindow None => new(double.PositiveInfinity, double.NegativeInfinity);

    /// <summary>This window narrowed by one answer: a tile of <paramref name="bytes"/> did or did not fit.</summary>
    public UsableWindow With(double bytes, bool fits) =>
        fits ? (bytes > FitMax ? this with { FitMax = bytes } : this) : (bytes < MissMin ? this with { MissMin = bytes } : this);

    /// <summary>Both windows' questions.</summary>
    public UsableWindow And(UsableWindow o) => new(Math.Max(FitMax, o.FitMax), Math.Min(MissMin, o.MissMin));

    /// <summary>A level with <paramref name="usable"/> bytes answers every question asked as they were answered.</summary>
    public bool Contains(double usable) => FitMax <= usable && usable < MissMin;
}
