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
        var values = ItemValues.Of(skeleton, level, unfused, new Savings(view, unfused));
        var working = new Working(spec, level, unfused, skeleton);
        var key = PlanMemo.Key(capacity, values, working);
        if (skeleton.Plans.Find(key, out int hash) is { } known) return known;
        // the items themselves are needed only by a search
        var items = Items(skeleton, values);
        var chosen = new PlanSearch(ops.Count, items, working, capacity, skeleton.Entries.Length).Run();
        var live = new double[ops.Count];
        foreach (var item in chosen)
            foreach (var (bytes, from, to) in item.Segments)
                for (int i = from; i <= to; i++) live[i] += bytes;
        // the kept tensors follow from the decisions chosen alone: designs choosing the same share what they derive
        var plan = new FusionPlan(skeleton.Shapes.Of(chosen, () => ShapeOf(ops, chosen)), live);
        skeleton.Plans.Add(key, hash, plan);
        return plan;
    }

    private static PlanShape ShapeOf(IReadOnlyList<SimOperator> ops, List<Item> chosen)
    {
        var resident = new HashSet<string>(StringComparer.Ordinal);
        var tiled = new HashSet<string>(StringComparer.Ordinal);
        foreach (var item in chosen)
        {
            resident.UnionWith(item.Tensors);
            if (item.Tiled) tiled.UnionWith(item.Tensors);
        }
        return new PlanShape(ops, resident, tiled);
    }

    /// <summary>
    /// One decision: keep these tensors (a single activation, or an attention block's score tensors whole or as tiles).
    /// Items of the same <see cref="Group"/> exclude each other. <see cref="From"/> is the operator that decides it;
    /// <see cref="Entry"/> is the <see cref="Skeleton"/> entry of a whole (untiled) item, -1 for a tiled one;
    /// <see cref="Source"/> is the entry either comes from.
    /// </summary>
    private sealed record Item(int Id, string[] Tensors, (double Bytes, int From, int To)[] Segments, double Saving, int Group, bool Tiled,
        int From, int To, int Entry, int Source, int Scores = -1, int Context = -1);

    /// <summary>
    /// What the items of one plan call read from the design, per skeleton entry: its saving and, for an attention block
    /// whose Q·Kᵀ mapping has a tile in the level, that tile's working set. Per-thread buffers, valid until this thread's
    /// next call: the memo key is made from them, and the <see cref="Item"/>s only when the memo has no plan.
    /// </summary>
    private sealed class ItemValues
    {
        [ThreadStatic] private static ItemValues? t_values;
        public double[] Saving = new double[64], Tile = new double[64];
        public bool[] HasTile = new bool[64];
        public int Entries, Count; // skeleton entries, items (entries plus tiles)

        public static ItemValues Of(Skeleton skeleton, int level, IReadOnlyList<LayerResult> unfused, Savings savings)
        {
            var v = t_values ??= new ItemValues();
            int n = skeleton.Entries.Length;
            if (v.Saving.Length < n) { v.Saving = new double[n]; v.Tile = new double[n]; v.HasTile = new bool[n]; }
            v.Entries = n; v.Count = n;
            for (int e = 0; e < n; e++)
            {
                var x = skeleton.Entries[e];
                double saving;
                if (x.Chain is null) saving = savings.Of(x.Parts[0]);
                else
                {
                    // an attention block saves each of its tensors' bytes, summed in flow order
                    saving = 0;
                    foreach (var part in x.Parts) saving += savings.Of(part);
                }
                v.Saving[e] = saving;
                v.HasTile[e] = x.Chain is { } c && TileBytes(unfused[c.Scores], unfused[c.Context], level, x.PartBytes) is { } tile && Set(v.Tile, e, tile);
                if (v.HasTile[e]) v.Count++;
            }
            return v;
        }

        private static bool Set(double[] a, int i, double x) { a[i] = x; return true; }
    }

    // The skeleton's entries in order, each followed by its attention tile when the Q·Kᵀ mapping has one in the level;
    // ids are positions in this list (the search's tie-break order).
    private static List<Item> Items(Skeleton skeleton, ItemValues values)
    {
        var items = new List<Item>(values.Count);
        for (int e = 0; e < skeleton.Entries.Length; e++)
        {
            var x = skeleton.Entries[e];
            double saving = values.Saving[e];
            items.Add(new Item(items.Count, x.Tensors, x.Segments, saving, x.Group, false, x.From, x.To, e, e));
            if (values.HasTile[e] && x.Chain is { } c)
                items.Add(new Item(items.Count, x.Tensors, new[] { (values.Tile[e], c.Scores, c.Context) }, saving, x.Group, true, c.Scores, c.Context, -1, e, c.Scores, c.Context));
        }
        return items;
    }

    /// <summary>
    /// The DRAM bytes each operator moves for each tensor it uses: an element-wise operator its bytes, a GEMM its
    /// operand's DRAM traffic under its unfused mapping and that mapping's bypass (one traffic-kernel count per GEMM, all
    /// batch entries).
    /// </summary>
    private sealed class Savings
    {
        private readonly ArchView _view;
        private readonly IReadOnlyList<LayerResult> _unfused;
        // keyed on the unfused result object: operators of one shape share the simulator's memoised result, and the bytes
        // are a function of its problem and mapping alone
        private readonly Dictionary<LayerResult, PerTensor> _gemm = new(ReferenceEqualityComparer.Instance);

        public Savings(ArchView view, IReadOnlyList<LayerResult> unfused)
        {
            _view = view; _unfused = unfused;
        }

        /// <summary>The bytes the uses of one tensor move, summed in operator and use order.</summary>
        public double Of(Skeleton.Use[] uses)
        {
            double sum = 0;
            foreach (var u in uses) sum += u.Operand is { } x ? Gemm(u.Op)[x] : u.Bytes;
            return sum;
        }

        private PerTensor Gemm(int i)
        {
            var layer = _unfused[i];
            if (_gemm.TryGetValue(layer, out var have)) return have;
            var p = layer.Gemm!.Value;
            // the mapping's own bypass choice: a tensor it skips the fusion level for crosses DRAM as often as its
            // first holder under that choice fetches it
            var map = layer.Mapping!;
            var view = map.Bypass is null ? _view : new ArchView(_view.Arch, map.Bypass);
            var bits = TrafficModel.Compute(view, p with { Batch = 1 }, map, TensorSet.None);
            var r = bits.Reads(MemoryLevels.Dram);
            var w = bits.Writes(MemoryLevels.Dram);
            var bytes = new PerTensor(r.Left + w.Left, r.Right + w.Right, r.Output + w.Output) * (p.Batch / 8.0);
            _gemm[layer] = bytes;
            return bytes;
        }
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

        public Working(MemoryLevelSpec spec, int level, IReadOnlyList<LayerResult> unfused, Skeleton skeleton)
        {
            // valid until this thread's next plan: Working lives within one Plan call
            _length = Slots * unfused.Count;
            _tile = t_tile is { } buffer && buffer.Length >= _length ? buffer : t_tile = new double[_length];
            Array.Clear(_tile, 0, _length);
            double copies = spec.DoubleBuffered ? 2 : 1;
            var byLayer = new Dictionary<LayerResult, int>(ReferenceEqualityComparer.Instance);
            for (int i = 0; i < unfused.Count; i++)
            {
                if (unfused[i].Mapping is not { } map || unfused[i].Gemm is not { } p) continue;
                // operators sharing one memoised result share its tiles
                if (byLayer.TryGetValue(unfused[i], out int same))
                {
                    Array.Copy(_tile, Slots * same, _tile, Slots * i, Slots);
                    continue;
                }
                byLayer[unfused[i]] = i;
                if (LevelTileAt(map, level) is not { LevelName: not null } tile) continue;
                var bypass = map.BypassAt(level);
                foreach (var x in PerTensor.All)
                    _tile[Slots * i + (int)x] = Mapper.TileBytes(spec.Holds & ~bypass & ArchView.SetOf(x), p, tile.M, tile.K, tile.N) * copies;
                _tile[Slots * i + 3] = Mapper.TileBytes(spec.Holds & bypass & TensorSet.Outputs, p, tile.M, tile.K, tile.N) * copies;
            }
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
    private static double? TileBytes(LayerResult scores, LayerResult context, int level, IEnumerable<double> scoreTensorBytes)
    {
        if (scores.Gemm is not { } qk || context.Gemm is not { } pv || scores.Mapping is not { } map) return null;
        if (LevelTileAt(map, level) is not { LevelName: not null } tile) return null;
        long br = tile.M, bc = tile.N, d = qk.K;
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
