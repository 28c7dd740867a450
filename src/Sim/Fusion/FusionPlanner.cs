using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// Chooses which activations stay on chip between operators. A tensor is kept in the fusion level (the largest on-chip
/// level holding inputs and outputs) when its producer and every consumer take it there — for a GEMM, the level is the
/// first on-chip holder of that operand — and the level can hold it from production to its last consumer: at every
/// operator in between, the tensors already kept plus this one plus the operator's own tiles in that level (as the
/// unfused mapping placed them, doubled when double-buffered; none for an input or weight kept there whole) fit the
/// capacity. Tensors are taken greedily in the order
/// they are produced, so an early activation is never evicted for a later one.
/// <para>An attention block whose score matrix does not fit whole is then tiled FlashAttention-style (Dao et al.,
/// "FlashAttention", NeurIPS 2022, Algorithm 1; the block sizes here are the Q·Kᵀ mapping's tile in the fusion level,
/// Br query rows × Bc keys): the score tensors stay on chip when one tile's working set — Q block Br×d, K and V blocks
/// Bc×d, the output block Br×d at accumulator width and the Br×Bc score tiles of every score-shaped tensor — fits
/// beside the activations already kept, at every operator of the block.</para>
/// </summary>
internal static class FusionPlanner
{
    /// <summary>
    /// The tensors kept on chip (whole, or as attention tiles: <c>Tiled</c>), and per operator the bytes of kept
    /// tensors (or attention tiles) live while it runs.
    /// </summary>
    public static (HashSet<string> Resident, HashSet<string> Tiled, double[] Live) Plan(ArchitectureSpec arch, ArchView view,
        IReadOnlyList<SimOperator> ops, IReadOnlyList<LayerResult> unfused, IReadOnlyList<FusibleTensor> candidates,
        IReadOnlyList<AttentionChain>? chains = null)
    {
        var resident = new HashSet<string>(StringComparer.Ordinal);
        var tiled = new HashSet<string>(StringComparer.Ordinal);
        var live = new double[ops.Count];
        if (view.FusionLevel is not { } level) return (resident, tiled, live);
        var spec = arch.Memory[level];
        double capacity = spec.CapacityBytes == 0 ? double.PositiveInfinity : spec.CapacityBytes;
        var working = new Working(spec, level, ops, unfused);
        var byName = candidates.ToDictionary(c => c.Name, StringComparer.Ordinal);
        var chainOf = new Dictionary<string, AttentionChain>(StringComparer.Ordinal);
        foreach (var c in chains ?? Array.Empty<AttentionChain>())
            if (c.Tensors.All(byName.ContainsKey)) chainOf[c.Tensors[0]] = c;
        var decided = new HashSet<string>(StringComparer.Ordinal);
        foreach (var t in candidates)
        {
            if (!decided.Add(t.Name)) continue;
            if (chainOf.TryGetValue(t.Name, out var chain))
            {
                // An attention block's score tensors are decided together: whole when all fit, else as tiles.
                var parts = chain.Tensors.Select(n => byName[n]).ToList();
                decided.UnionWith(chain.Tensors);
                if (parts.Any(x => !OnChipEverywhere(view, level, ops, x))) continue;
                if (Fits(parts, live, working, resident, capacity)) { Keep(parts, live, resident); continue; }
                if (TileBytes(unfused[chain.Scores], unfused[chain.Context], level, parts.Select(x => x.Bytes)) is not { } tile) continue;
                var asTile = new FusibleTensor(chain.Tensors[0], tile, chain.Scores, chain.Context);
                // the tile's working set replaces the two GEMMs' own tiles, so it is not added to them
                if (!Fits(new[] { asTile }, live, null, resident, capacity)) continue;
                Keep(new[] { asTile }, live, resident);
                resident.UnionWith(chain.Tensors);
                tiled.UnionWith(chain.Tensors);
                continue;
            }
            if (!OnChipEverywhere(view, level, ops, t) || !Fits(new[] { t }, live, working, resident, capacity)) continue;
            Keep(new[] { t }, live, resident);
        }
        return (resident, tiled, live);
    }

    // The tensors fit together beside what is kept at every operator of their spans (with each operator's own tiles,
    // less the inputs kept whole: theirs or these).
    private static bool Fits(IReadOnlyList<FusibleTensor> ts, double[] live, Working? working, HashSet<string> resident, double capacity)
    {
        int from = ts.Min(t => t.Producer), to = ts.Max(t => t.LastConsumer);
        for (int i = from; i <= to; i++)
        {
            double add = 0;
            foreach (var t in ts) if (i >= t.Producer && i <= t.LastConsumer) add += t.Bytes;
            double own = working?.At(i, n => resident.Contains(n) || ts.Any(t => t.Name == n)) ?? 0;
            if (live[i] + add + own > capacity) return false;
        }
        return true;
    }

    /// <summary>
    /// Each operator's own tiles in the fusion level, as its unfused mapping placed them (doubled when double-buffered):
    /// per GEMM operand, so an input or weight kept there whole needs no tile beside it (a kept output still needs its
    /// tile of accumulator-width partial sums), as the mapper counts it (<see cref="OnChipOperands"/>).
    /// </summary>
    private sealed class Working
    {
        private readonly double[] _tile; // per operator × operand (Left, Right, Output)
        private readonly IReadOnlyList<SimOperator> _ops;

        public Working(MemoryLevelSpec spec, int level, IReadOnlyList<SimOperator> ops, IReadOnlyList<LayerResult> unfused)
        {
            _ops = ops;
            _tile = new double[3 * ops.Count];
            double copies = spec.DoubleBuffered ? 2 : 1;
            for (int i = 0; i < ops.Count; i++)
                if (unfused[i].Mapping is { } map && unfused[i].Gemm is { } p &&
                    map.Levels.FirstOrDefault(t => t.LevelIndex == level) is { LevelName: not null } tile)
                    foreach (var x in PerTensor.All)
                        _tile[3 * i + (int)x] = Mapper.TileBytes(spec.Holds & ArchView.SetOf(x), p, tile.M, tile.K, tile.N) * copies;
        }

        /// <summary>Operator <paramref name="i"/>'s tiles, leaving out the inputs and weights whose tensor is <paramref name="kept"/>.</summary>
        public double At(int i, Func<string, bool> kept)
        {
            double sum = _tile[3 * i] + _tile[3 * i + 1] + _tile[3 * i + 2];
            foreach (var u in _ops[i].Uses)
                if (u.Operand is { } x && x != Tensor.Output && kept(u.Name)) sum -= _tile[3 * i + (int)x];
            return sum;
        }
    }

    private static void Keep(IReadOnlyList<FusibleTensor> ts, double[] live, HashSet<string> resident)
    {
        foreach (var t in ts)
        {
            for (int i = t.Producer; i <= t.LastConsumer; i++) live[i] += t.Bytes;
            resident.Add(t.Name);
        }
    }

    // One FlashAttention tile's working set in the fusion level: Br×d of Q, Bc×d of K and of V, Br×d of output partial
    // sums, and a Br×Bc tile of each score-shaped tensor, with Br×Bc the Q·Kᵀ mapping's output tile at that level.
    private static double? TileBytes(LayerResult scores, LayerResult context, int level, IEnumerable<double> scoreTensorBytes)
    {
        if (scores.Gemm is not { } qk || context.Gemm is not { } pv || scores.Mapping is not { } map) return null;
        if (map.Levels.FirstOrDefault(t => t.LevelIndex == level) is not { LevelName: not null } tile) return null;
        long br = tile.M, bc = tile.N, d = qk.K;
        double scoreBits = scoreTensorBytes.Sum(b => b * 8 / ((double)qk.Batch * qk.M * qk.N));
        return (br * d * qk.LeftBits + bc * d * qk.RightBits + bc * d * pv.RightBits + br * d * pv.AccumulatorBits + (double)br * bc * scoreBits) / 8;
    }

    // Every GEMM touching the tensor must take that operand from the fusion level itself: one whose first on-chip holder
    // of the operand is another level (a weight FIFO for an activation × activation product) would still go to DRAM.
    private static bool OnChipEverywhere(ArchView view, int level, IReadOnlyList<SimOperator> ops, FusibleTensor t)
    {
        for (int i = t.Producer; i <= t.LastConsumer; i++)
            foreach (var u in ops[i].Uses)
                if (u.Name == t.Name && u.Operand is { } operand && view.FirstHolder(operand) != level) return false;
        return true;
    }
}
