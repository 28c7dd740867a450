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

        /// <summary>The inputs as one vector of doubles, compared bit for bit (-0 and 0, NaNs differ).</summary>
        public static double[] Key(double capacity, List<Item> items, Working working)
        {
            var tiles = working.Tiles;
            var key = new double[2 + 2 * items.Count + tiles.Length];
            key[0] = capacity; key[1] = items.Count;
            int k = 2;
            foreach (var item in items)
            {
                key[k++] = item.Saving;
                // a whole item's segments are the skeleton's; a tiled one's is the working set its mapping gives
                key[k++] = item.Tiled ? item.Segments[0].Bytes : -1;
            }
            tiles.CopyTo(key, k);
            return key;
        }

        public FusionPlan? Find(double[] key, out int hash)
        {
            hash = Hash(key);
            lock (_byHash)
                if (_byHash.TryGetValue(hash, out var list))
                    foreach (var (k, plan) in list)
                        if (Bits(k).SequenceEqual(Bits(key))) return plan;
            return null;
        }

        public void Add(double[] key, int hash, FusionPlan plan)
        {
            lock (_byHash)
            {
                if (_count >= MaxPlans) { _byHash.Clear(); _count = 0; }
                if (!_byHash.TryGetValue(hash, out var list)) _byHash[hash] = list = new List<(double[], FusionPlan)>(1);
                list.Add((key, plan));
                _count++;
            }
        }

        private static ReadOnlySpan<long> Bits(double[] key) => MemoryMarshal.Cast<double, long>(key.AsSpan());

        private static int Hash(double[] key)
        {
            var h = new HashCode();
            h.AddBytes(MemoryMarshal.AsBytes(key.AsSpan()));
            return h.ToHashCode();
        }
    }
}
