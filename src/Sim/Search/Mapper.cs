using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Search;

/// <summary>The mapping the mapper chose, its exact traffic (one batch entry), what that traffic costs, and how many candidates it scored.</summary>
public sealed record MapperResult(GemmMapping Mapping, LevelTraffic[] Traffic, MemoryCost Memory, int Evaluated);

/// <summary>
/// Deterministic tile and loop-order search. For each on-chip shared level, outermost first, it tries every
/// tile whose extents are the array's fold granularity times a power of two (or the whole parent tile) and every
/// loop order, skips tiles that do not fit (half the capacity when double-buffered), keeps per (M, K) tile only
/// the largest N tile that fits, and scores each candidate with the closed-form latency and the exact traffic
/// energy. A dimension that indexes none of the tensors a level holds is left whole at that level. Deeper levels
/// are searched inside the chosen tile (level-by-level greedy).
/// </summary>
public sealed class Mapper
{
    private static readonly Dim[][] Orders =
    {
        new[] { Dim.M, Dim.K, Dim.N }, new[] { Dim.M, Dim.N, Dim.K }, new[] { Dim.K, Dim.M, Dim.N },
        new[] { Dim.K, Dim.N, Dim.M }, new[] { Dim.N, Dim.M, Dim.K }, new[] { Dim.N, Dim.K, Dim.M },
    };

    private const double Tolerance = 1e-4;

    private readonly ArchitectureSpec _arch;
    private readonly ArchCost _cost;
    private readonly SimOptions _options;
    private readonly PeThroughput _pe;
    private readonly int[] _shared;
    private readonly ArchView _view;
    private readonly TrafficBits _bits;
    private readonly TileCounts _counts = new();

    public Mapper(ArchitectureSpec arch, ArchCost cost, SimOptions options, PeThroughput pe)
    {
        _arch = arch; _cost = cost; _options = options; _pe = pe;
        _view = new ArchView(arch);
        _shared = _view.Shared;
        _bits = new TrafficBits(arch.Memory.Count);
    }

    public MapperResult Map(GemmProblem p, double computeCycles)
    {
        var fold = SystolicCompute.FoldTile(_arch.Array.Rows, _arch.Array.Cols, _arch.Array.Dataflow, p.Pe ?? _pe);
        var foldOrder = SystolicCompute.FoldOrder(_arch.Array.Dataflow);
        int depths = _shared.Length;
        var levels = new LevelTile[depths];
        levels[0] = new LevelTile(_shared[0], _arch.Memory[_shared[0]].Name, p.M, p.K, p.N, depths == 1 ? foldOrder : Orders[0]);
        for (int j = 1; j < depths; j++)
            levels[j] = new LevelTile(_shared[j], _arch.Memory[_shared[j]].Name, p.M, p.K, p.N, j == depths - 1 ? foldOrder : Orders[0]);
        var best = new GemmMapping(levels, Math.Min(fold.M, p.M), Math.Min(fold.K, p.K), Math.Min(fold.N, p.N), _arch.Array.Dataflow);
        int evaluated = 0;
        for (int j = 1; j < depths; j++)
        {
            // tiles are multiples of the array's fold; when not even one fold fits, try tiles below the fold (an edge fold)
            var chosen = SearchLevel(p, best, j, false, computeCycles, ref evaluated)
                         ?? SearchLevel(p, best, j, true, computeCycles, ref evaluated);
            if (chosen is null)
            {
                var level = _arch.Memory[_shared[j]];
                double need = TileBytes(level, p, Math.Min(1, p.M), Math.Min(1, p.K), Math.Min(1, p.N));
                throw new MantissaException(
                    $"architecture '{_arch.Name}': memory level '{level.Name}' ({level.CapacityBytes} bytes{(level.DoubleBuffered ? ", double-buffered" : "")}) " +
                    $"cannot hold even the smallest tile of GEMM M={p.M} K={p.K} N={p.N} ({need:0.##} bytes needed{(level.DoubleBuffered ? " per buffer" : "")})");
            }
            best = chosen;
        }
        _counts.Compute(p, best);
        _bits.Clear();
        TrafficModel.Accumulate(_view, p, best, _counts, _bits);
        return new MapperResult(best, TrafficCost.ToLevelTraffic(_arch, _bits), TrafficCost.Of(_arch, _cost, _bits), evaluated);
    }

    /// <summary>Best tile and parent loop order for level <paramref name="j"/> inside the current mapping, or null if no tile fits.</summary>
    private GemmMapping? SearchLevel(GemmProblem p, GemmMapping best, int j, bool fine, double computeCycles, ref int evaluated)
    {
        int depths = _shared.Length;
        var parent = best.Levels[j - 1];
        var level = _arch.Memory[_shared[j]];
        double usable = level.DoubleBuffered ? level.CapacityBytes / 2.0 : level.CapacityBytes;
        GemmMapping? chosen = null;
        // a dimension that indexes nothing this level holds costs it no capacity: leave it whole here
        var cm = Indexed(level, Dim.M) ? Candidates(parent.M, fine ? 1 : best.FoldM) : new List<long> { parent.M };
        var ck = Indexed(level, Dim.K) ? Candidates(parent.K, fine ? 1 : best.FoldK) : new List<long> { parent.K };
        var cn = Indexed(level, Dim.N) ? Candidates(parent.N, fine ? 1 : best.FoldN) : new List<long> { parent.N };
        double bestScore = double.PositiveInfinity, bestTie = double.PositiveInfinity, bestVolume = 0;
        var seen = new HashSet<int>();
        foreach (long tm in cm)
        foreach (long tk in ck)
        {
            long tn = -1;
            for (int i = cn.Count - 1; i >= 0; i--)
                if (level.CapacityBytes == 0 || TileBytes(level, p, tm, tk, cn[i]) <= usable) { tn = cn[i]; break; }
            if (tn < 0) continue;
            seen.Clear();
            foreach (var order in Orders)
            {
                int key = NontrivialKey(parent, order, tm, tk, tn);
                if (!seen.Add(key)) continue;
                // deeper levels are provisional: try each shrink priority and keep the best
                GemmMapping cand = null!;
                double score = double.PositiveInfinity, tie = double.PositiveInfinity;
                for (int pr = 0; pr < (j < depths - 1 ? ShrinkPriorities.Length : 1); pr++)
                {
                    var c = WithLevel(p, best, j, tm, tk, tn, order, ShrinkPriorities[pr]);
                    if (pr > 0 && SameDeeperTiles(c, cand, j)) continue;
                    var (sc, ti) = Score(p, c, computeCycles);
                    evaluated++;
                    if (sc < score || cand is null) { score = sc; tie = ti; cand = c; }
                }
                // Scores within 0.01% tie (a few cycles of prologue are not worth more traffic); a tie goes to the
                // larger tile (it leaves deeper levels the most room), then to the lower secondary metric.
                double volume = (double)tm * tk * tn;
                bool better = score < bestScore * (1 - Tolerance)
                    || (score <= bestScore * (1 + Tolerance) && (volume > bestVolume || (volume == bestVolume && tie < bestTie)));
                if (better) { bestScore = score; bestTie = tie; bestVolume = volume; chosen = cand; }
            }
        }
        return chosen;
    }

    // The same quantities the full model reports, from the same kernel, without allocating.
    private (double Score, double Tie) Score(GemmProblem p, GemmMapping m, double computeCycles)
    {
        _counts.Compute(p, m);
        _bits.Clear();
        TrafficModel.Accumulate(_view, p, m, _counts, _bits);
        var memory = TrafficCost.Of(_arch, _cost, _bits);
        double cycles = TileTimeline.ClosedForm(_view, p, m, computeCycles, memory, _counts);
        if (_options.Objective == MappingObjective.Latency) return (cycles, memory.MemoryPj);
        double pj = EnergyModel.TotalPj(_arch, _cost, memory.MemoryPj, p.Macs / (p.Pe ?? _pe).MacsPerCycle, cycles);
        return _options.Objective == MappingObjective.Energy ? (pj, cycles) : (pj * cycles, cycles);
    }

    internal static double TileBytes(MemoryLevelSpec level, GemmProblem p, long tm, long tk, long tn)
    {
        double bits = 0;
        if ((level.Holds & TensorSet.Inputs) != 0) bits += (double)tm * tk * p.LeftBits;
        if ((level.Holds & TensorSet.Weights) != 0) bits += (double)tk * tn * p.RightBits;
        if ((level.Holds & TensorSet.Outputs) != 0) bits += (double)tm * tn * p.AccumulatorBits;
        return bits / 8;
    }

    private static bool Indexed(MemoryLevelSpec level, Dim d) =>
        ((level.Holds & TensorSet.Inputs) != 0 && TensorDims.Indexes(Tensor.Left, d)) ||
        ((level.Holds & TensorSet.Weights) != 0 && TensorDims.Indexes(Tensor.Right, d)) ||
        ((level.Holds & TensorSet.Outputs) != 0 && TensorDims.Indexes(Tensor.Output, d));

    private static List<long> Candidates(long parent, long granule)
    {
        var list = new List<long>();
        granule = Math.Max(1, Math.Min(granule, parent));
        long start = granule;
        // keep the list short for long extents: at most 12 sizes below the parent
        while (parent / start > 4096) start *= 2;
        for (long t = start; t < parent && t <= long.MaxValue / 2; t *= 2) list.Add(t);
        list.Add(parent);
        return list;
    }

    private static int NontrivialKey(LevelTile parent, Dim[] order, long tm, long tk, long tn)
    {
        int key = 0;
        foreach (var d in order)
        {
            long t = d switch { Dim.M => tm, Dim.K => tk, _ => tn };
            if (t < parent.Extent(d)) key = key * 4 + (int)d + 1;
        }
        return key;
    }

    private static readonly Dim[][] ShrinkPriorities = { new[] { Dim.N, Dim.M, Dim.K }, new[] { Dim.M, Dim.N, Dim.K } };

    // Deeper levels have not been searched yet; give them a provisional tile so the candidate is scored with their
    // capacity in mind: the parent's tile, halving the dimensions they hold in the given priority until it fits,
    // and loops ordered with the most trips innermost.
    private GemmMapping WithLevel(GemmProblem p, GemmMapping m, int j, long tm, long tk, long tn, Dim[] order, Dim[] shrink)
    {
        var levels = m.Levels.ToArray();
        levels[j - 1] = levels[j - 1] with { Order = order };
        levels[j] = levels[j] with { M = tm, K = tk, N = tn };
        for (int i = j + 1; i < levels.Length; i++)
        {
            var spec = _arch.Memory[_shared[i]];
            double usable = spec.DoubleBuffered ? spec.CapacityBytes / 2.0 : spec.CapacityBytes;
            long sm = levels[i - 1].M, sk = levels[i - 1].K, sn = levels[i - 1].N;
            while (spec.CapacityBytes > 0 && TileBytes(spec, p, sm, sk, sn) > usable)
            {
                bool shrunk = false;
                foreach (var d in shrink)
                {
                    if (!Indexed(spec, d)) continue;
                    if (d == Dim.M && sm > m.FoldM) { sm = Math.Max(m.FoldM, (sm + 1) / 2); shrunk = true; break; }
                    if (d == Dim.K && sk > m.FoldK) { sk = Math.Max(m.FoldK, (sk + 1) / 2); shrunk = true; break; }
                    if (d == Dim.N && sn > m.FoldN) { sn = Math.Max(m.FoldN, (sn + 1) / 2); shrunk = true; break; }
                }
                if (!shrunk) break;
            }
            levels[i] = levels[i] with { M = sm, K = sk, N = sn };
        }
        for (int i = j; i < levels.Length - 1; i++)
        {
            var (a, b) = (levels[i], levels[i + 1]);
            levels[i] = a with { Order = ByTrips(a.M / Math.Max(1, b.M), a.K / Math.Max(1, b.K), a.N / Math.Max(1, b.N)) };
        }
        return m with { Levels = levels };
    }

    private static bool SameDeeperTiles(GemmMapping a, GemmMapping? b, int j)
    {
        if (b is null) return false;
        for (int i = j + 1; i < a.Levels.Count; i++)
        {
            var (x, y) = (a.Levels[i], b.Levels[i]);
            if (x.M != y.M || x.K != y.K || x.N != y.N) return false;
        }
        return true;
    }

    private static Dim[] ByTrips(long m, long k, long n)
    {
        // Orders holds all six permutations; pick the one sorted by trips ascending (ties in M, K, N order)
        foreach (var o in Orders)
        {
            long a = Trips(o[0], m, k, n), b = Trips(o[1], m, k, n), c = Trips(o[2], m, k, n);
            if (Before(o[0], a, o[1], b) && Before(o[1], b, o[2], c)) return o;
        }
        return Orders[0];
    }

    private static long Trips(Dim d, long m, long k, long n) => d switch { Dim.M => m, Dim.K => k, _ => n };

    private static bool Before(Dim d1, long t1, Dim d2, long t2) => t1 < t2 || (t1 == t2 && d1 < d2);
}
