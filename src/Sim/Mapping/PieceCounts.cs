using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// Number of tiles ("pieces") along each dimension at each depth of a mapping, counting edge tiles exactly:
/// a dimension is cut independently at each level, so the count is exact and the loop nest is a product over dims.
/// </summary>
internal static class PieceCounts
{
    /// <summary>counts[depth·3 + dim]; depth 0 = DRAM (1 piece), depth Levels.Count = folds/streamed steps.</summary>
    public static long[] Compute(GemmProblem p, GemmMapping map)
    {
        var counts = new long[(map.Levels.Count + 1) * 3];
        Compute(p, map, counts);
        return counts;
    }

    public static void Compute(GemmProblem p, GemmMapping map, long[] counts)
    {
        int depths = map.Levels.Count + 1;
        Span<long> sizes = stackalloc long[2 * depths + 2];
        Span<long> mult = stackalloc long[2 * depths + 2];
        Span<long> nsizes = stackalloc long[2 * depths + 2];
        Span<long> nmult = stackalloc long[2 * depths + 2];
        for (int d = 0; d < 3; d++)
        {
            int n = 1;
            sizes[0] = p.Extent((Dim)d); mult[0] = 1;
            counts[d] = 1;
            for (int j = 1; j < depths; j++)
            {
                long t = map.TileAt(j, (Dim)d);
                int nn = 0;
                long total = 0;
                for (int i = 0; i < n; i++)
                {
                    long s = sizes[i], c = mult[i];
                    long full = s / t, rem = s % t;
                    if (full > 0) nn = Add(nsizes, nmult, nn, t, c * full);
                    if (rem > 0) nn = Add(nsizes, nmult, nn, rem, c);
                    total += c * (full + (rem > 0 ? 1 : 0));
                }
                counts[j * 3 + d] = total;
                nsizes[..nn].CopyTo(sizes); nmult[..nn].CopyTo(mult); n = nn;
            }
        }
    }

    private static int Add(Span<long> sizes, Span<long> mult, int n, long size, long count)
    {
        for (int i = 0; i < n; i++)
            if (sizes[i] == size) { mult[i] += count; return n; }
        sizes[n] = size; mult[n] = count;
        return n + 1;
    }
}
