using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// How many times each element of a tensor crosses into a consumer depth under a mapping.
/// A tile stays resident while loops that do not index the tensor iterate inside the innermost loop that does;
/// every loop outside that point (relevant or not) forces a new visit. Relevant loops only partition the
/// tensor, so the visit factor is the product, over irrelevant dimensions, of the tile count of that dimension
/// at the deepest level whose loop lies outside the reuse point.
/// </summary>
internal static class Reuse
{
    public static long Factor(GemmMapping map, TileCounts counts, Tensor x, int consumerDepth)
    {
        var levels = map.Tiles;
        // find the last nontrivial loop that indexes x
        int lastLevel = -1, lastPos = -1;
        for (int j = 0; j < consumerDepth; j++)
        {
            var order = levels[j].Order;
            for (int i = 0; i < order.Length; i++)
            {
                var d = order[i];
                if (TensorDims.Indexes(x, d) && counts.Splits(j, d)) { lastLevel = j; lastPos = i; }
            }
        }
        if (lastLevel < 0) return 1;
        // one dimension does not index x: the tile count of its last nontrivial loop outside that point
        var other = TensorDims.NotIndexing(x);
        long f = 1;
        for (int j = 0; j <= lastLevel; j++)
        {
            var order = levels[j].Order;
            int limit = j == lastLevel ? lastPos : order.Length - 1;
            for (int i = 0; i <= limit; i++)
                if (order[i] == other && counts.Splits(j, other)) f = counts.At(j + 1, other);
        }
        return f;
    }
}
