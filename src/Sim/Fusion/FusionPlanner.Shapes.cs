namespace Mantissa.Sim.Fusion;

internal static partial class FusionPlanner
{
    /// <summary>
    /// The <see cref="PlanShape"/> of each set of decisions chosen with one <see cref="Skeleton"/>, by the entries chosen
    /// and whether each is tiled: the kept tensors are those entries' tensors, so equal sets give equal shapes. Designs
    /// whose tiles or savings differ (a new search each) mostly choose one of a few sets. Thread-safe; bounded.
    /// </summary>
    private sealed class ShapeMemo
    {
        private const int MaxShapes = 256;
        private readonly SpanMemo<int, PlanShape> _shapes = new(MaxShapes);

        /// <summary>The shape of <paramref name="chosen"/>: remembered, or made by <paramref name="make"/> and remembered.</summary>
        public PlanShape Of(ItemTable items, List<int> chosen, Func<PlanShape> make)
        {
            // each chosen item as its entry and whether it is tiled, sorted (the search lists them last decided first)
            var key = new int[chosen.Count];
            for (int i = 0; i < key.Length; i++) key[i] = 2 * items.Source[chosen[i]] + (items.Tiled[chosen[i]] ? 1 : 0);
            Array.Sort(key);
            int hash = SpanMemo<int, PlanShape>.Hash(key);
            if (_shapes.Find(key, hash) is { } known) return known;
            var made = make();
            _shapes.Add(key, hash, made);
            return made;
        }
    }
}
