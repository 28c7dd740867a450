using System.Runtime.InteropServices;

namespace Mantissa.Sim.Fusion;

internal static partial class FusionPlanner
{
    /// <summary>
    /// The plans already found for one <see cref="Skeleton"/>, by the rest of the planning inputs: the capacity and what
    /// each GEMM class's mapping gives (<see cref="ClassValues"/>), from which every item's saving (and a tiled item's
    /// working set) and each operator's own tiles follow. The search reads nothing else, so equal inputs give the plan a
    /// fresh search would: the designs of a sweep whose mappings leave the fusion level the
    /// same tiles and DRAM bytes (most array shapes of a decode step) share one plan. Thread-safe; bounded.
    /// </summary>
    private sealed class PlanMemo
    {
        private const int MaxPlans = 64;
        // the key's doubles as their bits
        private readonly SpanMemo<long, FusionPlan> _plans = new(MaxPlans);

        // the key of the plan being looked up, kept per thread (a hit, the usual case, then allocates nothing); Add copies it
        [ThreadStatic] private static double[]? t_key;

        /// <summary>
        /// The inputs as one vector of doubles, compared bit for bit (-0 and 0, NaNs differ): a per-thread buffer, valid
        /// until this thread's next call.
        /// </summary>
        public static ReadOnlySpan<double> Key(double capacity, ClassValues classes)
        {
            const int PerClass = 3 + ClassValues.Slots + 3;
            int length = 2 + PerClass * classes.Count;
            var key = t_key is { } buffer && buffer.Length >= length ? buffer : t_key = new double[Math.Max(length, 2 * (t_key?.Length ?? 0))];
            key[0] = capacity; key[1] = classes.Count;
            int k = 2;
            for (int c = 0; c < classes.Count; c++)
            {
                var saving = classes.Saving[c];
                key[k++] = saving.Left; key[k++] = saving.Right; key[k++] = saving.Output;
                for (int s = 0; s < ClassValues.Slots; s++) key[k++] = classes.Tile[ClassValues.Slots * c + s];
                key[k++] = classes.HasLevelTile[c] ? 1 : 0;
                key[k++] = classes.TileM[c]; key[k++] = classes.TileN[c];
            }
            return key.AsSpan(0, length);
        }

        public FusionPlan? Find(ReadOnlySpan<double> key, out int hash)
        {
            hash = SpanMemo<long, FusionPlan>.Hash(Bits(key));
            return _plans.Find(Bits(key), hash);
        }

        public void Add(ReadOnlySpan<double> key, int hash, FusionPlan plan) => _plans.Add(Bits(key), hash, plan);

        private static ReadOnlySpan<long> Bits(ReadOnlySpan<double> key) => MemoryMarshal.Cast<double, long>(key);
    }

    /// <summary>
    /// Values remembered by a key of numbers compared one by one, bucketed by the key's hash. Thread-safe; holds at most
    /// a given number of values (the next one after that starts afresh).
    /// </summary>
    private sealed class SpanMemo<TKey, TValue> where TKey : unmanaged, IEquatable<TKey> where TValue : class
    {
        private readonly int _max;
        private readonly Dictionary<int, List<(TKey[] Key, TValue Value)>> _byHash = new();
        private int _count;

        public SpanMemo(int max) => _max = max;

        /// <summary>The hash of a key's bytes (<see cref="Find"/> and <see cref="Add"/> take it).</summary>
        public static int Hash(ReadOnlySpan<TKey> key)
        {
            var h = new HashCode();
            h.AddBytes(MemoryMarshal.AsBytes(key));
            return h.ToHashCode();
        }

        public TValue? Find(ReadOnlySpan<TKey> key, int hash)
        {
            lock (_byHash)
                if (_byHash.TryGetValue(hash, out var list))
                    foreach (var (k, value) in list)
                        if (key.SequenceEqual(k)) return value;
            return null;
        }

        /// <summary>Remembers <paramref name="value"/> under a copy of <paramref name="key"/>.</summary>
        public void Add(ReadOnlySpan<TKey> key, int hash, TValue value)
        {
            lock (_byHash)
            {
                if (_count >= _max) { _byHash.Clear(); _count = 0; }
                if (!_byHash.TryGetValue(hash, out var list)) _byHash[hash] = list = new List<(TKey[], TValue)>(1);
                list.Add((key.ToArray(), value));
                _count++;
            }
        }
    }
}
