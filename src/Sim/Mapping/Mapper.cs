using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Mapping;

/// <summary>The mapping the mapper chose, its exact traffic and how many candidates it scored.</summary>
public sealed record MapperResult(GemmMapping Mapping, LevelTraffic[] Traffic, int Evaluated);

/// <summary>
/// Deterministic tile and loop-order search. For each on-chip shared level, outermost first, it tries every
/// tile whose extents are the array's fold granularity times a power of two (or the whole parent tile) and every
/// loop order, skips tiles that do not fit (half the capacity when double-buffered), keeps per (M, K) tile only
/// the largest N tile that fits, and scores each candidate with the closed-form latency and the exact traffic
/// energy. Deeper levels are searched inside the chosen tile (level-by-level greedy).
/// </summary>
public sealed class Mapper
{
    private static readonly Dim[][] Orders =
    {
        new[] { Dim.M, Dim.K, Dim.N }, new[] { Dim.M, Dim.N, Dim.K }, new[] { Dim.K, Dim.M, Dim.N },
        new[] { Dim.K, Dim.N, Dim.M }, new[] { Dim.N, Dim.M, Dim.K }, new[] { Dim.N, Dim.K, Dim.M },
    };

    private readonly ArchitectureSpec _arch;
    private readonly ArchCost _cost;
    private readonly SimOptions _options;
    private readonly PeThroughput _pe;
    private readonly List<int> _shared;

    public Mapper(ArchitectureSpec arch, ArchCost cost, SimOptions options, PeThroughput pe)
    {
        _arch = arch; _cost = cost; _options = options; _pe = pe;
        _shared = SharedLevels.Of(arch);
    }

    public MapperResult Map(GemmProblem p, double computeCycles)
    {
        var fold = SystolicCompute.FoldTile(_arch.Array.Rows, _arch.Array.Cols, _arch.Array.Dataflow, _pe);
        var foldOrder = SystolicCompute.FoldOrder(_arch.Array.Dataflow);
        int depths = _shared.Count;
        var levels = new LevelTile[depths];
        levels[0] = new LevelTile(_shared[0], _arch.Memory[_shared[0]].Name, p.M, p.K, p.N, depths == 1 ? foldOrder : Orders[0]);
        for (int j = 1; j < depths; j++)
            levels[j] = new LevelTile(_shared[j], _arch.Memory[_shared[j]].Name, p.M, p.K, p.N, j == depths - 1 ? foldOrder : Orders[0]);
        var best = new GemmMapping(levels, Math.Min(fold.M, p.M), Math.Min(fold.K, p.K), Math.Min(fold.N, p.N), _arch.Array.Dataflow);
        int evaluated = 0;
        for (int j = 1; j < depths; j++)
        {
            var parent = best.Levels[j - 1];
            var level = _arch.Memory[_shared[j]];
            double usable = level.DoubleBuffered ? level.CapacityBytes / 2.0 : level.CapacityBytes;
            var cm = Candidates(parent.M, best.FoldM);
            var ck = Candidates(parent.K, best.FoldK);
            var cn = Candidates(parent.N, best.FoldN);
            GemmMapping? chosen = null;
            double bestScore = double.PositiveInfinity;
            foreach (long tm in cm)
            foreach (long tk in ck)
            {
                long tn = -1;
                for (int i = cn.Count - 1; i >= 0; i--)
                    if (level.CapacityBytes == 0 || TileBytes(level, p, tm, tk, cn[i]) <= usable) { tn = cn[i]; break; }
                if (tn < 0) continue;
                var seen = new HashSet<int>();
                foreach (var order in Orders)
                {
                    int key = NontrivialKey(parent, order, tm, tk, tn);
                    if (!seen.Add(key)) continue;
                    var cand = WithLevel(best, j, tm, tk, tn, order);
                    double score = Score(p, cand, computeCycles);
                    evaluated++;
                    if (score < bestScore * (1 - 1e-12)) { bestScore = score; chosen = cand; }
                }
            }
            if (chosen is null)
            {
                double need = TileBytes(level, p, cm[0], ck[0], cn[0]);
                throw new MantissaException(
                    $"architecture '{_arch.Name}': memory level '{level.Name}' ({level.CapacityBytes} bytes{(level.DoubleBuffered ? ", double-buffered" : "")}) " +
                    $"cannot hold even the smallest tile of GEMM M={p.M} K={p.K} N={p.N} ({need:0} bytes needed{(level.DoubleBuffered ? " per buffer" : "")})");
            }
            best = chosen;
        }
        return new MapperResult(best, TrafficModel.Compute(_arch, p, best), evaluated);
    }

    private double Score(GemmProblem p, GemmMapping m, double computeCycles)
    {
        var traffic = TrafficModel.Compute(_arch, p, m);
        double inner = InnerCycles(_arch, traffic);
        var counts = PieceCounts.Compute(p, m);
        double cycles = TileTimeline.ClosedForm(_arch, p, m, computeCycles, inner, traffic[0], counts);
        if (_options.Objective == Objective.Latency)
            return cycles + 1e-9 * MemoryPj(traffic); // energy breaks ties deterministically
        double pj = MemoryPj(traffic) + EnergyModel.LeakagePj(_cost, cycles / (_arch.ClockMhz * 1e6));
        return _options.Objective == Objective.Energy ? pj + 1e-9 * cycles : pj * cycles;
    }

    private double MemoryPj(LevelTraffic[] traffic)
    {
        double s = 0;
        for (int l = 0; l < traffic.Length; l++) s += EnergyModel.MemoryPj(_cost.Levels[l], traffic[l]);
        return s;
    }

    /// <summary>Cycles the on-chip levels need to move their traffic at their bandwidths (per-PE levels scale with the PE count).</summary>
    internal static double InnerCycles(ArchitectureSpec arch, IReadOnlyList<LevelTraffic> traffic)
    {
        double worst = 0;
        for (int l = 1; l < arch.Memory.Count; l++)
        {
            var m = arch.Memory[l];
            double copies = m.PerPe ? arch.PeCount : 1;
            if (m.ReadBytesPerCycle > 0) worst = Math.Max(worst, traffic[l].ReadBytes / (m.ReadBytesPerCycle * copies));
            if (m.WriteBytesPerCycle > 0) worst = Math.Max(worst, traffic[l].WriteBytes / (m.WriteBytesPerCycle * copies));
        }
        return worst;
    }

    internal static double TileBytes(MemoryLevelSpec level, GemmProblem p, long tm, long tk, long tn)
    {
        double bits = 0;
        if (SharedLevels.Holds(level, Tensor.Left)) bits += (double)tm * tk * p.LeftBits;
        if (SharedLevels.Holds(level, Tensor.Right)) bits += (double)tk * tn * p.RightBits;
        if (SharedLevels.Holds(level, Tensor.Output)) bits += (double)tm * tn * p.AccumulatorBits;
        return bits / 8;
    }

    private static List<long> Candidates(long parent, long granule)
    {
        var list = new List<long>();
        granule = Math.Max(1, Math.Min(granule, parent));
        long start = granule;
        // keep the list short for long extents: at most 12 sizes below the parent
        while (parent / start > 4096) start *= 2;
        for (long t = start; t < parent; t *= 2) list.Add(t);
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

    private static GemmMapping WithLevel(GemmMapping m, int j, long tm, long tk, long tn, Dim[] order)
    {
        var levels = m.Levels.ToArray();
        var parentOld = levels[j - 1];
        levels[j - 1] = parentOld with { Order = order };
        levels[j] = levels[j] with { M = tm, K = tk, N = tn };
        // deeper levels start as pass-throughs of this tile until their own turn
        for (int i = j + 1; i < levels.Length; i++) levels[i] = levels[i] with { M = tm, K = tk, N = tn };
        return m with { Levels = levels };
    }
}
