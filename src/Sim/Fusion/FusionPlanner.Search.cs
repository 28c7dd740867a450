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
        private readonly ItemTable _items;
        private readonly Working _working;
        private readonly double _capacity;
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
            public bool[] Clash = new bool[16];
            public double[] AddedSaving = new double[16];
            public bool[] Kept = new bool[64];

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
        public PlanSearch(int operators, ItemTable items, Working working, double capacity, int entries)
        {
            _operators = operators; _items = items; _working = working; _capacity = capacity;
            _r = t_rows ??= new Rows();
            if (_r.Kept.Length < entries) _r.Kept = new bool[entries];
            _kept = _r.Kept;
        }

        /// <summary>The items of the best plan, last decided first, into <paramref name="chosen"/> (cleared first).</summary>
        public void Run(List<int> chosen)
        {
            // state 0: nothing kept, before the first operator
            AddState(ReadOnlySpan<int>.Empty, 0, -1, 0, -1);
            int lo = 0, hi = 1;
            for (int i = 0; i < _operators; i++)
            {
                _r.NextStep();
                int first = _states;
                _stepFirst = first;
                int fresh = _items.StartAt[i], count = _items.StartAt[i + 1] - fresh;
                int choices = 1 << count;
                if (count > 0) Masks(fresh, count);
                for (int s = lo; s < hi; s++)
                    for (int mask = 0; mask < choices; mask++)
                    {
                        if (count > 0 && _r.Clash[mask]) continue;
                        if (!Fits(i, s, fresh, count, mask)) continue;
                        // with nothing decided here the saving carries over as it is
                        Put(i, s, fresh, count, mask, count == 0 ? _r.Saving[s] : _r.Saving[s] + _r.AddedSaving[mask]);
                    }
                lo = first; hi = _states;
            }
            // every item ends by the last operator: one state remains, the empty set (none when nothing fit)
            int best = -1;
            for (int s = lo; s < hi; s++)
                if (best < 0 || _r.Saving[s] > _r.Saving[best]) best = s;
            chosen.Clear();
            for (int n = best; n >= 0; n = _r.Prev[n])
                if (_r.Added[n] != 0)
                {
                    int fresh = _items.StartAt[_r.Op[n]], count = _items.StartAt[_r.Op[n] + 1] - fresh;
                    for (int b = 0; b < count; b++)
                        if ((_r.Added[n] >> b & 1) != 0) chosen.Add(_items.StartIds[fresh + b]);
                }
        }

        // Per choice of the items starting at an operator: whether two of one group (exclusive) are in it, and the sum of
        // their savings in item order.
        private void Masks(int fresh, int count)
        {
            int choices = 1 << count;
            if (_r.Clash.Length < choices) { _r.Clash = new bool[choices]; _r.AddedSaving = new double[choices]; }
            var ids = _items.StartIds;
            var group = _items.Group;
            for (int mask = 0; mask < choices; mask++)
            {
                bool c = false;
                double sum = 0;
                for (int b = 0; b < count && !c; b++)
                {
                    if ((mask >> b & 1) == 0) continue;
                    int x = ids[fresh + b];
                    for (int a = 0; a < b && group[x] != 0; a++)
                        if ((mask >> a & 1) != 0 && group[ids[fresh + a]] == group[x]) { c = true; break; }
                    sum += _items.Saving[x];
                }
                _r.Clash[mask] = c; _r.AddedSaving[mask] = sum;
            }
        }

        // The kept items live at operator i and its own tiles fit the capacity.
        private bool Fits(int i, int s, int fresh, int count, int mask)
        {
            double bytes = 0;
            bool tiledHere = false;
            var ids = _r.Ids;
            for (int k = _r.Start[s], end = k + _r.Count[s]; k < end; k++)
                Live(i, ids[k], ref bytes, ref tiledHere);
            for (int b = 0; b < count; b++)
                if ((mask >> b & 1) != 0) Live(i, _items.StartIds[fresh + b], ref bytes, ref tiledHere);
            // a tiled attention block's working set replaces its two GEMMs' own tiles (an operator without tiles in the
            // level adds nothing: the sum stays as it is)
            if (!tiledHere && _working.HasTiles(i))
            {
                Mark(s, fresh, count, mask, true);
                bytes += _working.At(i, _kept);
                Mark(s, fresh, count, mask, false);
            }
            return bytes <= _capacity;
        }

        private void Live(int i, int id, ref double bytes, ref bool tiledHere)
        {
            var t = _items;
            for (int g = t.SegStart[id], end = g + t.SegCount[id]; g < end; g++)
                if (i >= t.SegFrom[g] && i <= t.SegTo[g]) bytes += t.SegBytes[g];
            if (t.Tiled[id] && (i == t.Scores[id] || i == t.Context[id])) tiledHere = true;
        }

        private void Mark(int s, int fresh, int count, int mask, bool on)
        {
            var entry = _items.Entry;
            for (int k = _r.Start[s], end = k + _r.Count[s]; k < end; k++)
                if (entry[_r.Ids[k]] >= 0) _kept[entry[_r.Ids[k]]] = on;
            for (int b = 0; b < count; b++)
                if ((mask >> b & 1) != 0 && entry[_items.StartIds[fresh + b]] >= 0) _kept[entry[_items.StartIds[fresh + b]]] = on;
        }

        // The items still live after operator i (To > i), sorted by id: the state's (sorted) merged with the added ones
        // (sorted: items start in id order), kept as the next state unless one reached it with at least this saving.
        private void Put(int i, int s, int fresh, int count, int mask, double saving)
        {
            int need = _r.Count[s] + count;
            if (_r.Scratch.Length < need) _r.Scratch = new int[Math.Max(need, 2 * _r.Scratch.Length)];
            var scratch = _r.Scratch;
            var ids = _r.Ids;
            var startIds = _items.StartIds;
            var to = _items.To;
            int n = 0, k = _r.Start[s], end = k + _r.Count[s], b = 0;
            while (true)
            {
                while (b < count && (mask >> b & 1) == 0) b++;
                bool haveOld = k < end, haveNew = b < count;
                if (!haveOld && !haveNew) break;
                int id = haveNew && (!haveOld || startIds[fresh + b] < ids[k]) ? startIds[fresh + b++] : ids[k++];
                if (to[id] > i) scratch[n++] = id;
            }
            var after = scratch.AsSpan(0, n);
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
