using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// Chooses which activations stay on chip between operators: of all the sets that fit, one that moves the fewest DRAM
/// bytes. A tensor may be kept in the fusion level (the largest on-chip level holding inputs and outputs) when its
/// producer and every consumer take it there — for a GEMM, the level is the first on-chip holder of that operand. A
/// set fits when at every operator the kept tensors live across it (from producer to last consumer) plus the operator's
/// own tiles in that level (as its unfused mapping placed them, doubled when double-buffered; none for an input or
/// weight kept there whole, see <see cref="OnChipOperands"/>) fit the capacity. Keeping a tensor saves the DRAM bytes
/// its producer and consumers move for it (a GEMM's, from its unfused mapping's traffic), so the DRAM bytes of a set
/// are the layer-by-layer bytes less the sum of its savings.
/// <para>The choice is exact: a dynamic program over the operators in simulation (topological) order whose state is
/// the set of kept tensors live across the boundary between two operators, bounded by the capacity (a state that does
/// not fit is dropped). At each operator it decides the tensors that operator writes; of two partial plans reaching the
/// same state, the one that saved more dominates (everything after the boundary depends only on the state).</para>
/// <para>An attention block's score tensors are decided together: kept whole when they fit, or tiled FlashAttention-style
/// (Dao et al., "FlashAttention", NeurIPS 2022, Algorithm 1; the block sizes here are the Q·Kᵀ mapping's tile in the
/// fusion level, Br query rows × Bc keys): one tile's working set — Q block Br×d, K and V blocks Bc×d, the output block
/// Br×d at accumulator width and the Br×Bc score tiles of every score-shaped tensor — is live from Q·Kᵀ to P·V and
/// replaces those two GEMMs' own tiles. Both save the score tensors' DRAM traffic.</para>
/// </summary>
internal static partial class FusionPlanner
{
    /// <summary>
    /// The tensors kept on chip (whole, or as attention tiles), and per operator the bytes of kept tensors (or attention
    /// tiles) live while it runs: a plan shared with earlier calls whose planning inputs were equal (do not modify it).
    /// </summary>
    public static FusionPlan Plan(ArchitectureSpec arch, ArchView view, IReadOnlyList<SimOperator> ops, IReadOnlyList<LayerResult> unfused,
        IReadOnlyList<FusibleTensor> candidates, IReadOnlyList<AttentionChain>? chains = null)
    {
        if (view.FusionLevel is not { } level || candidates.Count == 0)
            return new FusionPlan(ops, new HashSet<string>(StringComparer.Ordinal), new HashSet<string>(StringComparer.Ordinal), new double[ops.Count]);
        var spec = arch.Memory[level];
        double capacity = spec.CapacityBytes == 0 ? double.PositiveInfinity : spec.CapacityBytes;
        var skeleton = Skeleton.For(view, level, ops, candidates, chains);
        // what the GEMM classes' mappings give decides the plan: a known one is found from them alone
        var classes = ClassValues.Of(skeleton, view, spec, level, unfused);
        var key = PlanMemo.Key(capacity, classes);
        if (skeleton.Plans.Find(key, out int hash) is { } known) return known;
        var values = ItemValues.Of(skeleton, unfused, classes);
        var working = new Working(unfused.Count, skeleton, classes);
        var items = ItemTable.Of(skeleton, values, ops.Count);
        var chosen = t_chosen ??= new List<int>();
        new PlanSearch(ops.Count, items, working, capacity, skeleton.Entries.Length).Run(chosen);
        var live = new double[ops.Count];
        foreach (int id in chosen)
            for (int g = items.SegStart[id], end = g + items.SegCount[id]; g < end; g++)
                for (int i = items.SegFrom[g]; i <= items.SegTo[g]; i++) live[i] += items.SegBytes[g];
        // the kept tensors follow from the decisions chosen alone: designs choosing the same share what they derive
        var plan = new FusionPlan(skeleton.Shapes.Of(items, chosen, () => ShapeOf(ops, skeleton, items, chosen)), live);
        skeleton.Plans.Add(key, hash, plan);
        return plan;
    }

    // the items a search chose, per thread (read only until the plan is made)
    [ThreadStatic] private static List<int>? t_chosen;

    private static PlanShape ShapeOf(IReadOnlyList<SimOperator> ops, Skeleton skeleton, ItemTable items, List<int> chosen)
    {
        var resident = new HashSet<string>(StringComparer.Ordinal);
        var tiled = new HashSet<string>(StringComparer.Ordinal);
        foreach (int id in chosen)
        {
            var tensors = skeleton.Entries[items.Source[id]].Tensors;
            resident.UnionWith(tensors);
            if (items.Tiled[id]) tiled.UnionWith(tensors);
        }
        return new PlanShape(ops, resident, tiled);
    }

    /// <summary>
    /// What the items of one plan search read from the design, per skeleton entry: its saving and, for an attention block
    /// whose Q·Kᵀ mapping has a tile in the level, that tile's working set, derived from the <see cref="ClassValues"/>.
    /// Per-thread buffers, valid until this thread's next call.
    /// </summary>
    private sealed class ItemValues
    {
        [ThreadStatic] private static ItemValues? t_values;
        public double[] Saving = new double[64], Tile = new double[64];
        public bool[] HasTile = new bool[64];
        public int Entries, Count; // skeleton entries, items (entries plus tiles)

        public static ItemValues Of(Skeleton skeleton, IReadOnlyList<LayerResult> unfused, ClassValues classes)
        {
            var v = t_values ??= new ItemValues();
            int n = skeleton.Entries.Length;
            if (v.Saving.Length < n) { v.Saving = new double[n]; v.Tile = new double[n]; v.HasTile = new bool[n]; }
            v.Entries = n; v.Count = n;
            var gemmIndex = skeleton.Classes.GemmIndex;
            for (int e = 0; e < n; e++)
            {
                var x = skeleton.Entries[e];
                double saving;
                if (x.Chain is null) saving = SavingOf(x.Parts[0], gemmIndex, classes);
                else
                {
                    // an attention block saves each of its tensors' bytes, summed in flow order
                    saving = 0;
                    foreach (var part in x.Parts) saving += SavingOf(part, gemmIndex, classes);
                }
                v.Saving[e] = saving;
                v.HasTile[e] = x.Chain is { } c && AttentionTile(c, unfused, gemmIndex, classes, x.PartBytes) is { } tile && Set(v.Tile, e, tile);
                if (v.HasTile[e]) v.Count++;
            }
            return v;
        }

        // The bytes the uses of one tensor move, summed in operator and use order: a GEMM operand its class's mapped
        // DRAM bytes, an element-wise operator's use its bytes.
        private static double SavingOf(Skeleton.Use[] uses, int[] gemmIndex, ClassValues classes)
        {
            double sum = 0;
            foreach (var u in uses) sum += u.Operand is { } x ? classes.Saving[gemmIndex[u.Op]][x] : u.Bytes;
            return sum;
        }

        // The FlashAttention tile's working set when the Q·Kᵀ mapping has a tile in the level (both ends GEMMs).
        private static double? AttentionTile(AttentionChain c, IReadOnlyList<LayerResult> unfused, int[] gemmIndex, ClassValues classes,
            double[] partBytes)
        {
            int scores = gemmIndex[c.Scores];
            if (scores < 0 || gemmIndex[c.Context] < 0 || !classes.HasLevelTile[scores]) return null;
            return TileBytes(unfused[c.Scores].Gemm!.Value, unfused[c.Context].Gemm!.Value, classes.TileM[scores], classes.TileN[scores], partBytes);
        }

        private static bool Set(double[] a, int i, double x) { a[i] = x; return true; }
    }

    /// <summary>
    /// Each operator's own tiles in the fusion level, as its unfused mapping placed them (doubled when double-buffered):
    /// per GEMM operand, so an input or weight kept there whole needs no tile beside it (a kept output still needs its
    /// tile of accumulator-width partial sums), as the mapper counts it (<see cref="OnChipOperands"/>). An output the
    /// mapping bypassed in the level takes its tile there only when kept: fusion holds a kept operand in the level again.
    /// </summary>
    private sealed class Working
    {
        /// <summary>Per operator × slot (Left, Right, Output tile bytes in the fusion level; then the output tile a kept output re-held there adds).</summary>
        public ReadOnlySpan<double> Tiles => _tile.AsSpan(0, _length);

        private const int Slots = 4;
        private readonly double[] _tile; // per operator × slot, the first _length entries of a per-thread buffer
        private readonly int _length;
        [ThreadStatic] private static double[]? t_tile;
        // per operator, its input and weight uses whose tensor a whole-kept item may hold: the operand and those items' skeleton entries, in use order
        private readonly (Tensor Operand, int[] Holders)[][] _held;
        private readonly int[][] _heldOutput;

        public Working(int operators, Skeleton skeleton, ClassValues classes)
        {
            // valid until this thread's next plan: Working lives within one Plan call
            _length = Slots * operators;
            _tile = t_tile is { } buffer && buffer.Length >= _length ? buffer : t_tile = new double[_length];
            var gemmIndex = skeleton.Classes.GemmIndex;
            // operators of one class have its tiles; the others none
            for (int i = 0; i < operators; i++)
                if (gemmIndex[i] >= 0) classes.Tile.AsSpan(Slots * gemmIndex[i], Slots).CopyTo(_tile.AsSpan(Slots * i, Slots));
                else _tile.AsSpan(Slots * i, Slots).Clear();
            _held = skeleton.Held;
            _heldOutput = skeleton.HeldOutput;
        }

        /// <summary>Whether operator <paramref name="i"/> has any tile in the level (else <see cref="At"/> is 0 whatever is kept).</summary>
        public bool HasTiles(int i) => _tile[Slots * i] != 0 || _tile[Slots * i + 1] != 0 || _tile[Slots * i + 2] != 0 || _tile[Slots * i + 3] != 0;

        /// <summary>Operator <paramref name="i"/>'s tiles, leaving out the inputs and weights a kept whole item (<paramref name="kept"/>[its skeleton entry]) holds.</summary>
        public double At(int i, bool[] kept)
        {
            double sum = _tile[Slots * i] + _tile[Slots * i + 1] + _tile[Slots * i + 2];
            if (_tile[Slots * i + 3] != 0)
                foreach (int id in _heldOutput[i])
                    if (kept[id]) { sum += _tile[Slots * i + 3]; break; }
            if (sum == 0) return 0;
            foreach (var (x, holders) in _held[i])
                foreach (int id in holders)
                    if (kept[id]) { sum -= _tile[Slots * i + (int)x]; break; }
            return sum;
        }
    }

    // One FlashAttention tile's working set in the fusion level: Br×d of Q, Bc×d of K and of V, Br×d of output partial
    // sums, and a Br×Bc tile of each score-shaped tensor, with Br×Bc the Q·Kᵀ mapping's output tile at that level.
    private static double TileBytes(GemmProblem qk, GemmProblem pv, long br, long bc, IEnumerable<double> scoreTensorBytes)
    {
        long d = qk.K;
        // summed in order, as Enumerable.Sum with a selector does
        double scoreBits = 0;
        foreach (double b in scoreTensorBytes) scoreBits += b * 8 / ((double)qk.Batch * qk.M * qk.N);
        return (br * d * qk.LeftBits + bc * d * qk.RightBits + bc * d * pv.RightBits + br * d * pv.AccumulatorBits + (double)br * bc * scoreBits) / 8;
    }

    // The mapping's tile at the level (the first with that index; default when none), as FirstOrDefault finds it, without a closure.
    private static LevelTile LevelTileAt(GemmMapping map, int level)
    {
        var levels = map.Levels;
        for (int j = 0; j < levels.Count; j++)
            if (levels[j].LevelIndex == level) return levels[j];
        return default;
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
