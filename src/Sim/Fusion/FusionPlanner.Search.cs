namespace Mantissa.Sim.Fusion;

internal static partial class FusionPlanner
{
    /// <summary>
    /// The dynamic program over the operators: the states after each operator are the sets of kept items live across
    /// that boundary (sorted ids), each with the best saving that reaches it and how (the state before and the items
    /// added). States live in flat arrays (one arena of ids, one row per state), so a plan allocates per run, not per state.
    /// </summary>
    /// <remarks>
    /// The order of exploration is part of the result: of two plans reaching a state with equal savings the first found
    /// stays, and the bytes that decide whether a set fits are summed in a fixed order (the state's items by id, then the
    /// items added, then the operator's own tiles). States are visited in the order they were first reached and a better
    /// plan replaces a state in place.
    /// </remarks>
    private sealed class PlanSearch
    {
        private readonly int _operators;
        private readonly List<Item> _items;
        private readonly Working _working;
        private readonly double _capacity;
        private readonly List<Item>?[] _startingAt;
        private readonly bool[] _kept; // by skeleton entry: the whole items of the set being tried

        // one row per state: its ids in Ids[Start .. Start + Count), saving, the state it came from, the operator whose
        // starting items it added (Op) and which (the mask Added), the hash of its ids; kept per thread and reused by the
        // next plan. The states after the operator being decided are found by their ids in an open-addressing table
        // (Table: a row per slot, filled when its Stamp is the current step's), so a step starts without clearing it.
        private sealed class Rows
        {
            public int[] Ids = new int[1024];
            public int[] Start = new int[1024], Count = new int[1024], Prev = new int[1024], Added = new int[1024], Op = new int[1024], HashOf = new int[1024];
            public double[] Saving = new double[1024];
            public int[] Table = new int[64], Stamp = new int[64];
            public int Step;
            public int[] Scratch = new int[16];

            /// <summary>Starts a step: the table holds none of the earlier steps' states.</summary>
            public void NextStep()
            {
                if (Step == int.MaxValue) { Array.Clear(Stamp); Step = 0; }
                Step++;
            }
        }

        [ThreadStatic] private static Rows? t_rows;
        private readonly Rows _r;
        private int _idCount, _states, _stepFirst;

        /// <param name="entries">The skeleton's entry count (the whole items <see cref="Working"/> asks about).</param>
        public PlanSearch(int operators, List<Item> items, Working working, double capacity, int entries)
        {
            _operators = operators; _items = items; _working = working; _capacity = capacity;
            _startingAt = new List<Item>?[operators];
            foreach (var item in items) (_startingAt[item.From] ??= new List<Item>()).Add(item);
            _kept = new bool[entries];
            _r = t_rows ??= new Rows();
        }

        public List<Item> Run()
        {
            // state 0: nothing kept, before the first operator
            AddState(ReadOnlySpan<int>.Empty, 0, -1, 0, -1);
            int lo = 0, hi = 1;
            var clash = new List<bool>();
            var addedSaving = new List<double>();
            for (int i = 0; i < _operators; i++)
            {
                _r.NextStep();
                int first = _states;
                _stepFirst = first;
                var fresh = _startingAt[i];
                int choices = fresh is null ? 1 : 1 << fresh.Count;
                if (fresh is not null) Masks(fresh, clash, addedSaving);
                for (int s = lo; s < hi; s++)
                    for (int mask = 0; mask < choices; mask++)
                    {
                        if (fresh is not null && clash[mask]) continue;
                        if (!Fits(i, s, fresh, mask)) continue;
                        // with nothing decided here the saving carries over as it is
                        Put(i, s, fresh, mask, fresh is null ? _r.Saving[s] : _r.Saving[s] + addedSaving[mask]);
                    }
                lo = first; hi = _states;
            }
            // every item ends by the last operator: one state remains, the empty set (none when nothing fit)
            int best = -1;
            for (int s = lo; s < hi; s++)
                if (best < 0 || _r.Saving[s] > _r.Saving[best]) best = s;
            var chosen = new List<Item>();
            for (int n = best; n >= 0; n = _r.Prev[n])
                if (_r.Added[n] != 0)
                {
                    var fresh = _startingAt[_r.Op[n]]!;
                    for (int b = 0; b < fresh.Count; b++)
                        if ((_r.Added[n] >> b & 1) != 0) chosen.Add(fresh[b]);
                }
            return chosen;
        }

        // Per choice of the items starting at an operator: whether two of one group (exclusive) are in it, and the sum of
        // their savings in item order.
        private static void Masks(List<Item> fresh, List<bool> clash, List<double> addedSaving)
        {
            clash.Clear(); addedSaving.Clear();
            for (int mask = 0; mask < 1 << fresh.Count; mask++)
            {
                bool c = false;
                double sum = 0;
                for (int b = 0; b < fresh.Count && !c; b++)
                {
                    if ((mask >> b & 1) == 0) continue;
                    var x = fresh[b];
                    for (int a = 0; a < b && x.Group != 0; a++)
                        if ((mask >> a & 1) != 0 && fresh[a].Group == x.Group) { c = true; break; }
                    sum += x.Saving;
                }
                clash.Add(c); addedSaving.Add(sum);
            }
        }

        // The kept items live at operator i and its own tiles fit the capacity.
        private bool Fits(int i, int s, List<Item>? fresh, int mask)
        {
            double bytes = 0;
            bool tiledHere = false;
            for (int k = _r.Start[s], end = _r.Start[s] + _r.Count[s]; k < end; k++)
                Live(i, _items[_r.Ids[k]], ref bytes, ref tiledHere);
            if (fresh is not null)
                for (int b = 0; b < fresh.Count; b++)
                    if ((mask >> b & 1) != 0) Live(i, fresh[b], ref bytes, ref tiledHere);
            // a tiled attention block's working set replaces its two GEMMs' own tiles (an operator without tiles in the
            // level adds nothing: the sum stays as it is)
            if (!tiledHere && _working.HasTiles(i))
            {
                Mark(s, fresh, mask, true);
                bytes += _working.At(i, _kept);
                Mark(s, fresh, mask, false);
            }
            return bytes <= _capacity;
        }

        private static void Live(int i, Item x, ref double bytes, ref bool tiledHere)
        {
            foreach (var (b, from, to) in x.Segments)
                if (i >= from && i <= to) bytes += b;
            if (x.Tiled && (i == x.Scores || i == x.Context)) tiledHere = true;
        }

        private void Mark(int s, List<Item>? fresh, int mask, bool on)
        {
            for (int k = _r.Start[s], end = _r.Start[s] + _r.Count[s]; k < end; k++)
                if (_items[_r.Ids[k]].Entry >= 0) _kept[_items[_r.Ids[k]].Entry] = on;
            if (fresh is not null)
                for (int b = 0; b < fresh.Count; b++)
                    if ((mask >> b & 1) != 0 && fresh[b].Entry >= 0) _kept[fresh[b].Entry] = on;
        }

        // The items still live after operator i (To > i), sorted by id: the state's (sorted) merged with the added ones
        // (sorted: items start in id order), kept as the next state unless one reached it with at least this saving.
        private void Put(int i, int s, List<Item>? fresh, int mask, double saving)
        {
            int need = _r.Count[s] + (fresh?.Count ?? 0);
            if (_r.Scratch.Length < need) _r.Scratch = new int[Math.Max(need, 2 * _r.Scratch.Length)];
            int n = 0, k = _r.Start[s], end = _r.Start[s] + _r.Count[s], b = 0, bs = fresh?.Count ?? 0;
            while (true)
            {
                while (b < bs && (mask >> b & 1) == 0) b++;
                bool haveOld = k < end, haveNew = b < bs;
                if (!haveOld && !haveNew) break;
                int id = haveNew && (!haveOld || fresh![b].Id < _r.Ids[k]) ? fresh![b++].Id : _r.Ids[k++];
                if (_items[id].To > i) _r.Scratch[n++] = id;
            }
            var after = _r.Scratch.AsSpan(0, n);
            int hash = Hash(after);
            int slotMask = _r.Table.Length - 1, slot = hash & slotMask;
            for (; _r.Stamp[slot] == _r.Step; slot = (slot + 1) & slotMask)
            {
                int t = _r.Table[slot];
                if (_r.HashOf[t] != hash || !after.SequenceEqual(_r.Ids.AsSpan(_r.Start[t], _r.Count[t]))) continue;
                // strictly more: of equal plans the first found (fewest kept tensors decided early) stays
                if (_r.Saving[t] >= saving) return;
                _r.Saving[t] = saving; _r.Prev[t] = s; _r.Added[t] = mask; _r.Op[t] = i;
                return;
            }
            int row = AddState(after, saving, s, mask, i);
            _r.HashOf[row] = hash;
            _r.Stamp[slot] = _r.Step; _r.Table[slot] = row;
            // at most half full: a new table holds this step's states
            if (2 * (_states - _stepFirst) > _r.Table.Length) Grow();
        }

        private void Grow()
        {
            int size = 2 * _r.Table.Length, slotMask = size - 1;
            _r.Table = new int[size]; _r.Stamp = new int[size];
            for (int t = _stepFirst; t < _states; t++)
            {
                int slot = _r.HashOf[t] & slotMask;
                while (_r.Stamp[slot] == _r.Step) slot = (slot + 1) & slotMask;
                _r.Stamp[slot] = _r.Step; _r.Table[slot] = t;
            }
        }

        private int AddState(ReadOnlySpan<int> ids, double saving, int prev, int mask, int op)
        {
            if (_states == _r.Start.Length)
            {
                int size = 2 * _states;
                Array.Resize(ref _r.Start, size); Array.Resize(ref _r.Count, size); Array.Resize(ref _r.Prev, size); Array.Resize(ref _r.Added, size);
                Array.Resize(ref _r.Op, size); Array.Resize(ref _r.HashOf, size); Array.Resize(ref _r.Saving, size);
            }
            if (_idCount + ids.Length > _r.Ids.Length) Array.Resize(ref _r.Ids, Math.Max(2 * _r.Ids.Length, _idCount + ids.Length));
            ids.CopyTo(_r.Ids.AsSpan(_idCount));
            int row = _states++;
            _r.Start[row] = _idCount; _r.Count[row] = ids.Length; _idCount += ids.Length;
            _r.Saving[row] = saving; _r.Prev[row] = prev; _r.Added[row] = mask; _r.Op[row] = op;
            return row;
        }

        // A multiplicative hash of the ids (only finds the slot: equal sets are compared id by id).
        private static int Hash(ReadOnlySpan<int> ids)
        {
            uint h = (uint)ids.Length;
            foreach (int id in ids) h = (h ^ (uint)id) * 0x9E3779B1u;
            return (int)(h ^ h >> 15);
        }
    }
}
