using System.Runtime.InteropServices;

namespace Mantissa.Sim.Fusion;

internal static partial class FusionPlanner
{
    /// <summary>
    /// The plans already found for one <see cref="Skeleton"/>, by the rest of the planning inputs: the capacity, each
    /// item's saving (and a tiled item's working set) and each operator's own tiles. The search reads nothing else, so
    /// equal inputs give the plan a fresh search would: the designs of a sweep whose mappings leave the fusion level the
    /// same tiles and DRAM bytes (most array shapes of a decode step) share one plan. Thread-safe; bounded.
    /// </summary>
    private sealed class PlanMemo
    {
        private const int MaxPlans = 64;
        private readonly Dictionary<int, List<(double[] Key, FusionPlan Plan)>> _byHash = new();
        private int _count;

        // the key of the plan being looked up, kept per thread (a hit, the usual case, then allocates nothing); Add copies it
        [ThreadStatic] private static double[]? t_key;

        /// <summary>
        /// The inputs as one vector of doubles, compared bit for bit (-0 and 0, NaNs differ): a per-thread buffer, valid
        /// until this thread's next call.
        /// </summary>
        public static ReadOnlySpan<double> Key(double capacity, ItemValues items, Working working)
        {
            var tiles = working.Tiles;
            int length = 2 + 2 * items.Count + tiles.Length;
            var key = t_key is { } buffer && buffer.Length >= length ? buffer : t_key = new double[Math.Max(length, 2 * (t_key?.Length ?? 0))];
            key[0] = capacity; key[1] = items.Count;
            int k = 2;
            // the items in order (Items): each entry, then its tile if it has one
            for (int e = 0; e < items.Entries; e++)
            {
                key[k++] = items.Saving[e];
                // a whole item's segments are the skeleton's; a tiled one's is the working set its mapping gives
                key[k++] = -1;
                if (!items.HasTile[e]) continue;
                key[k++] = items.Saving[e];
                key[k++] = items.Tile[e];
            }
            tiles.CopyTo(key.AsSpan(k));
            return key.AsSpan(0, length);
        }

        public FusionPlan? Find(ReadOnlySpan<double> key, out int hash)
        {
            hash = Hash(key);
            lock (_byHash)
                if (_byHash.TryGetValue(hash, out var list))
                    foreach (var (k, plan) in list)
                        if (Bits(k).SequenceEqual(Bits(key))) return plan;
            return null;
        }

        public void Add(ReadOnlySpan<double> key, int hash, FusionPlan plan)
        {
            lock (_byHash)
            {
                if (_count >= MaxPlans) { _byHash.Clear(); _count = 0; }
                if (!_byHash.TryGetValue(hash, out var list)) _byHash[hash] = list = new List<(double[], FusionPlan)>(1);
                list.Add((key.ToArray(), plan));
                _count++;
            }
        }

        private static ReadOnlySpan<long> Bits(ReadOnlySpan<double> key) => MemoryMarshal.Cast<double, long>(key);

        private static int Hash(ReadOnlySpan<double> key)
        {
            var h = new HashCode();
            h.AddBytes(MemoryMarshal.AsBytes(key));
            return h.ToHashCode();
        }
    }
}
