namespace Mantissa.Sim.Fusion;

internal static partial class FusionPlanner
{
    /// <summary>
    /// The decisions of one plan search, in flat arrays indexed by item id. An item keeps tensors: a single activation, or
    /// an attention block's score tensors whole or as tiles; items of the same nonzero <see cref="Group"/> exclude each
    /// other. Ids are the skeleton's entries in order, each followed by its attention tile when the Q·Kᵀ mapping has one
    /// in the level (the search's tie-break order). <see cref="From"/> is the operator that decides an item;
    /// <see cref="Entry"/> the skeleton entry of a whole (untiled) item, -1 for a tiled one; <see cref="Source"/> the
    /// entry either comes from. Per-thread buffers, reused by this thread's next search (a search allocates no item).
    /// </summary>
    private sealed class ItemTable
    {
        [ThreadStatic] private static ItemTable? t_table;

        public int Count;
        public double[] Saving = new double[64];
        public int[] Group = new int[64], From = new int[64], To = new int[64], Entry = new int[64], Source = new int[64];
        public int[] Scores = new int[64], Context = new int[64];
        public bool[] Tiled = new bool[64];

        /// <summary>Per item, its live segments: SegBytes, SegFrom and SegTo from SegStart for SegCount.</summary>
        public int[] SegStart = new int[64], SegCount = new int[64];
        public double[] SegBytes = new double[64];
        public int[] SegFrom = new int[64], SegTo = new int[64];

        /// <summary>The items each operator decides, in id order: StartIds from StartAt[i] to StartAt[i + 1].</summary>
        public int[] StartAt = new int[64], StartIds = new int[64];

        public static ItemTable Of(Skeleton skeleton, ItemValues values, int operators)
        {
            var t = t_table ??= new ItemTable();
            t.Reserve(values.Count, operators);
            int n = 0, segs = 0;
            for (int e = 0; e < skeleton.Entries.Length; e++)
            {
                var x = skeleton.Entries[e];
                double saving = values.Saving[e];
                t.Set(n, saving, x.Group, false, x.From, x.To, e, e, -1, -1, segs, x.Segments.Length);
                t.ReserveSegments(segs + x.Segments.Length + 1);
                foreach (var (bytes, from, to) in x.Segments)
                {
                    t.SegBytes[segs] = bytes; t.SegFrom[segs] = from; t.SegTo[segs] = to; segs++;
                }
                n++;
                if (!values.HasTile[e] || x.Chain is not { } c) continue;
                t.Set(n, saving, x.Group, true, c.Scores, c.Context, -1, e, c.Scores, c.Context, segs, 1);
                t.SegBytes[segs] = values.Tile[e]; t.SegFrom[segs] = c.Scores; t.SegTo[segs] = c.Context; segs++;
                n++;
            }
            t.Count = n;
            // the items by deciding operator, each operator's in id order (a counting sort)
            Array.Clear(t.StartAt, 0, operators + 1);
            for (int id = 0; id < n; id++) t.StartAt[t.From[id] + 1]++;
            for (int i = 0; i < operators; i++) t.StartAt[i + 1] += t.StartAt[i];
            Span<int> next = operators <= 1024 ? stackalloc int[operators] : new int[operators];
            t.StartAt.AsSpan(0, operators).CopyTo(next);
            for (int id = 0; id < n; id++) t.StartIds[next[t.From[id]]++] = id;
            return t;
        }

        private void Set(int id, double saving, int group, bool tiled, int from, int to, int entry, int source, int scores, int context,
            int segStart, int segCount)
        {
            Saving[id] = saving; Group[id] = group; Tiled[id] = tiled; From[id] = from; To[id] = to; Entry[id] = entry; Source[id] = source;
            Scores[id] = scores; Context[id] = context; SegStart[id] = segStart; SegCount[id] = segCount;
        }

        private void Reserve(int items, int operators)
        {
            if (Saving.Length < items)
            {
                int size = Math.Max(items, 2 * Saving.Length);
                Saving = new double[size]; Group = new int[size]; From = new int[size]; To = new int[size]; Entry = new int[size];
                Source = new int[size]; Scores = new int[size]; Context = new int[size]; Tiled = new bool[size];
                SegStart = new int[size]; SegCount = new int[size]; StartIds = new int[size];
            }
            if (StartAt.Length < operators + 1) StartAt = new int[Math.Max(operators + 1, 2 * StartAt.Length)];
        }

        private void ReserveSegments(int segments)
        {
            if (SegBytes.Length >= segments) return;
            int size = Math.Max(segments, 2 * SegBytes.Length);
            Array.Resize(ref SegBytes, size); Array.Resize(ref SegFrom, size); Array.Resize(ref SegTo, size);
        }
    }
}
