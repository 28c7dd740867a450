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
        if (view.FusionLevel is not { } level || candidates.Count == 0) return (resident, tiled, live);
        var spec = arch.Memory[level];
        double capacity = spec.CapacityBytes == 0 ? double.PositiveInfinity : spec.CapacityBytes;
        var savings = new Savings(view, ops, unfused);
        var items = Items(view, level, ops, unfused, candidates, chains, savings);
        var working = new Working(spec, level, ops, unfused, items);
        var chosen = Choose(ops.Count, items, working, capacity);
        foreach (var item in chosen)
        {
            foreach (var (bytes, from, to) in item.Segments)
                for (int i = from; i <= to; i++) live[i] += bytes;
            resident.UnionWith(item.Tensors);
            if (item.Tiled) tiled.UnionWith(item.Tensors);
        }
        return (resident, tiled, live);
    }

    /// <summary>
    /// One decision: keep these tensors (a single activation, or an attention block's score tensors whole or as tiles).
    /// Items of the same <see cref="Group"/> exclude each other. <see cref="From"/> is the operator that decides it.
    /// </summary>
    private sealed record Item(int Id, string[] Tensors, (double Bytes, int From, int To)[] Segments, double Saving, int Group, bool Tiled,
        int Scores = -1, int Context = -1)
    {
        public int From { get; } = Segments.Min(s => s.From);
        public int To { get; } = Segments.Max(s => s.To);
    }

    private static List<Item> Items(ArchView view, int level, IReadOnlyList<SimOperator> ops, IReadOnlyList<LayerResult> unfused,
        IReadOnlyList<FusibleTensor> candidates, IReadOnlyList<AttentionChain>? chains, Savings savings)
    {
        var byName = new Dictionary<string, FusibleTensor>(candidates.Count, StringComparer.Ordinal);
        foreach (var c in candidates) byName[c.Name] = c;
        var items = new List<Item>();
        var inChain = new HashSet<string>(StringComparer.Ordinal);
        int group = 0;
        foreach (var c in chains ?? Array.Empty<AttentionChain>())
        {
            if (!c.Tensors.All(byName.ContainsKey)) continue;
            inChain.UnionWith(c.Tensors);
            var parts = c.Tensors.Select(n => byName[n]).ToList();
            if (parts.Any(x => !OnChipEverywhere(view, level, ops, x))) continue;
            var names = c.Tensors.ToArray();
            double saving = parts.Sum(savings.Of);
            group++;
            items.Add(new Item(items.Count, names, parts.Select(x => (x.Bytes, x.Producer, x.LastConsumer)).ToArray(), saving, group, false));
            if (TileBytes(unfused[c.Scores], unfused[c.Context], level, parts.Select(x => x.Bytes)) is { } tile)
                items.Add(new Item(items.Count, names, new[] { (tile, c.Scores, c.Context) }, saving, group, true, c.Scores, c.Context));
        }
        foreach (var t in candidates)
            if (!inChain.Contains(t.Name) && OnChipEverywhere(view, level, ops, t))
                items.Add(new Item(items.Count, new[] { t.Name }, new[] { (t.Bytes, t.Producer, t.LastConsumer) }, savings.Of(t), 0, false));
        return items;
    }

    // The dynamic program: states are the kept items live across a boundary (sorted ids), each with the best saving that
    // reaches it and how.
    private static List<Item> Choose(int operators, List<Item> items, Working working, double capacity)
    {
        var startingAt = new List<Item>[operators];
        foreach (var item in items) (startingAt[item.From] ??= new List<Item>()).Add(item);
        var states = new Dictionary<StateKey, Node> { [StateKey.Empty] = new Node(Array.Empty<Item>(), 0, null, Array.Empty<Item>()) };
        var next = new Dictionary<StateKey, Node>();
        var added = new List<Item>();
        for (int i = 0; i < operators; i++)
        {
            var fresh = startingAt[i];
            if (fresh is null)
            {
                // nothing decided here: every state carries on unless it does not fit this operator
                added.Clear();
                foreach (var s in states.Values)
                    if (Fits(i, s.Items, added, working, capacity))
                        Put(next, Leave(i, s.Items, added), s.Saving, s, added);
            }
            else
            {
                int choices = 1 << fresh.Count;
                foreach (var s in states.Values)
                    for (int mask = 0; mask < choices; mask++)
                    {
                        added.Clear();
                        bool clash = false;
                        for (int b = 0; b < fresh.Count && !clash; b++)
                        {
                            if ((mask >> b & 1) == 0) continue;
                            var x = fresh[b];
                            if (x.Group != 0)
                                foreach (var a in added) clash |= a.Group == x.Group;
                            added.Add(x);
                        }
                        if (clash || !Fits(i, s.Items, added, working, capacity)) continue;
                        double saving = 0;
                        foreach (var a in added) saving += a.Saving;
                        Put(next, Leave(i, s.Items, added), s.Saving + saving, s, added);
                    }
            }
            (states, next) = (next, states);
            next.Clear();
        }
        // every item ends by the last operator: one state remains, the empty set
        var best = states.Values.MaxBy(s => s.Saving)!;
        var chosen = new List<Item>();
        for (var n = best; n is not null; n = n.Previous) chosen.AddRange(n.Added);
        return chosen;
    }

    // A state reached with nothing added and the same items is its previous node again (the plan it stands for is the
    // same), so carrying a state across an operator allocates nothing.
    private static void Put(Dictionary<StateKey, Node> next, Item[] after, double saving, Node previous, List<Item> added)
    {
        var key = new StateKey(after);
        // strictly more: of equal plans the first found (fewest kept tensors decided early) stays, so the result is deterministic
        if (next.TryGetValue(key, out var have) && have.Saving >= saving) return;
        next[key] = added.Count == 0 && ReferenceEquals(after, previous.Items) && saving == previous.Saving ? previous
            : new Node(after, saving, previous, added.Count == 0 ? Array.Empty<Item>() : added.ToArray());
    }

    // The items still live after operator i, sorted by id (the state key): the held items (sorted) themselves when none
    // ends there and nothing is added.
    private static Item[] Leave(int i, Item[] held, List<Item> added)
    {
        int n = 0;
        foreach (var x in held) if (x.To > i) n++;
        if (n == held.Length && added.Count == 0) return held;
        foreach (var x in added) if (x.To > i) n++;
        if (n == 0) return Array.Empty<Item>();
        var after = new Item[n];
        n = 0;
        foreach (var x in held) if (x.To > i) after[n++] = x;
        foreach (var x in added) if (x.To > i) after[n++] = x;
        Array.Sort(after, (a, b) => a.Id.CompareTo(b.Id));
        return after;
    }

    // The kept items (held, then added) live at operator i and its own tiles fit the capacity.
    private static bool Fits(int i, Item[] held, List<Item> added, Working working, double capacity)
    {
        double bytes = 0;
        bool tiledHere = false;
        foreach (var x in held) Count(i, x, ref bytes, ref tiledHere);
        foreach (var x in added) Count(i, x, ref bytes, ref tiledHere);
        // a tiled attention block's working set replaces its two GEMMs' own tiles
        if (!tiledHere) bytes += working.At(i, held, added);
        return bytes <= capacity;
    }

    private static void Count(int i, Item x, ref double bytes, ref bool tiledHere)
    {
        foreach (var (b, from, to) in x.Segments)
            if (i >= from && i <= to) bytes += b;
        if (x.Tiled && (i == x.Scores || i == x.Context)) tiledHere = true;
    }

    private sealed record Node(Item[] Items, double Saving, Node? Previous, Item[] Added);

    /// <summary>A set of items by id, compared by value.</summary>
    private readonly struct StateKey : IEquatable<StateKey>
    {
        private readonly Item[] _items;
        private readonly int _hash;

        public StateKey(Item[] sorted)
        {
            _items = sorted;
            var h = new HashCode();
            foreach (var x in sorted) h.Add(x.Id);
            _hash = h.ToHashCode();
        }

        public static StateKey Empty => new(Array.Empty<Item>());

        public bool Equals(StateKey o)
        {
            if (_hash != o._hash || _items.Length != o._items.Length) return false;
            for (int i = 0; i < _items.Length; i++) if (_items[i].Id != o._items[i].Id) return false;
            return true;
        }

        public override bool Equals(object? obj) => obj is StateKey k && Equals(k);
        public override int GetHashCode() => _hash;
    }

    /// <summary>
    /// The DRAM bytes each operator moves for each tensor it uses: an element-wise operator its bytes, a GEMM its
    /// operand's DRAM traffic under its unfused mapping (one traffic-kernel count per GEMM, all batch entries).
    /// </summary>
    private sealed class Savings
    {
        private readonly ArchView _view;
        private readonly IReadOnlyList<SimOperator> _ops;
        private readonly IReadOnlyList<LayerResult> _unfused;
        private readonly Dictionary<(GemmProblem, GemmMapping), PerTensor> _gemm = new();

        public Savings(ArchView view, IReadOnlyList<SimOperator> ops, IReadOnlyList<LayerResult> unfused)
        {
            _view = view; _ops = ops; _unfused = unfused;
        }

        public double Of(FusibleTensor t)
        {
            double sum = 0;
            for (int i = t.Producer; i <= t.LastConsumer; i++)
                foreach (var u in _ops[i].Uses)
                    if (u.Name == t.Name) sum += u.Operand is { } x && _ops[i].Gemm is not null ? Gemm(i)[x] : u.Bytes;
            return sum;
        }

        // Operators of one shape share their unfused result's mapping (the simulator maps a shape once), so the traffic
        // kernel runs once per problem and mapping (records equal only when they share their level list), not once per operator.
        private PerTensor Gemm(int i)
        {
            var p = _unfused[i].Gemm!.Value;
            var map = _unfused[i].Mapping!;
            if (_gemm.TryGetValue((p, map), out var have)) return have;
            var bits = TrafficModel.Compute(_view, p with { Batch = 1 }, map, TensorSet.None);
            var r = bits.Reads(MemoryLevels.Dram);
            var w = bits.Writes(MemoryLevels.Dram);
            var bytes = new PerTensor(r.Left + w.Left, r.Right + w.Right, r.Output + w.Output) * (p.Batch / 8.0);
            _gemm[(p, map)] = bytes;
            return bytes;
        }
    }

    /// <summary>
    /// Each operator's own tiles in the fusion level, as its unfused mapping placed them (doubled when double-buffered):
    /// per GEMM operand, so an input or weight kept there whole needs no tile beside it (a kept output still needs its
    /// tile of accumulator-width partial sums), as the mapper counts it (<see cref="OnChipOperands"/>).
    /// </summary>
    private sealed class Working
    {
        private readonly double[] _tile; // per operator × operand (Left, Right, Output)
        // per operator, in the order of its uses: each input or weight use's tile index and the items holding it whole
        private readonly (int Tile, int[] Holders)[][] _whole;

        public Working(MemoryLevelSpec spec, int level, IReadOnlyList<SimOperator> ops, IReadOnlyList<LayerResult> unfused, List<Item> items)
        {
            _tile = new double[3 * ops.Count];
            double copies = spec.DoubleBuffered ? 2 : 1;
            for (int i = 0; i < ops.Count; i++)
                if (unfused[i].Mapping is { } map && unfused[i].Gemm is { } p &&
                    map.Levels.FirstOrDefault(t => t.LevelIndex == level) is { LevelName: not null } tile)
                    foreach (var x in PerTensor.All)
                        _tile[3 * i + (int)x] = Mapper.TileBytes(spec.Holds & ~map.BypassAt(level) & ArchView.SetOf(x), p, tile.M, tile.K, tile.N) * copies;
            var holders = new Dictionary<string, List<int>>(StringComparer.Ordinal);
            foreach (var item in items)
                if (!item.Tiled)
                    foreach (var t in item.Tensors)
                        (holders.TryGetValue(t, out var l) ? l : holders[t] = new List<int>()).Add(item.Id);
            _whole = new (int, int[])[ops.Count][];
            for (int i = 0; i < ops.Count; i++)
                _whole[i] = ops[i].Uses
                    .Where(u => u.Operand is { } x && x != Tensor.Output && holders.ContainsKey(u.Name))
                    .Select(u => (3 * i + (int)u.Operand!.Value, holders[u.Name].ToArray())).ToArray();
        }

        /// <summary>Operator <paramref name="i"/>'s tiles, leaving out the inputs and weights a kept item (<paramref name="held"/> or <paramref name="added"/>) holds whole.</summary>
        public double At(int i, Item[] held, List<Item> added)
        {
            double sum = _tile[3 * i] + _tile[3 * i + 1] + _tile[3 * i + 2];
            if (sum == 0) return 0;
            foreach (var (tile, ids) in _whole[i])
                if (Kept(ids, held, added)) sum -= _tile[tile];
            return sum;
        }

        private static bool Kept(int[] ids, Item[] held, List<Item> added)
        {
            foreach (int id in ids)
            {
                foreach (var x in held) if (x.Id == id) return true;
                foreach (var x in added) if (x.Id == id) return true;
            }
            return false;
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
