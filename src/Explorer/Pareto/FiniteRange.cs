namespace Mantissa.Explorer.Pareto;

/// <summary>
/// Clamps infinite objective values to the finite range of their objective. Dominance ranks ±∞ as ordinary extremes
/// (an exact format's +∞ SQNR beats every finite one); distances and areas (crowding, hypervolume, plot positions)
/// need finite numbers, so there +∞ sits at the largest finite value of its objective and −∞ at the smallest.
/// </summary>
public static class FiniteRange
{
    /// <summary>Copies of <paramref name="vectors"/> with each objective's ±∞ replaced by that objective's finite max/min (0 when none is finite).</summary>
    public static List<double[]> Clamp(IReadOnlyList<double[]> vectors)
    {
        if (vectors.Count == 0) return new List<double[]>();
        int m = vectors[0].Length;
        var lo = new double[m];
        var hi = new double[m];
        for (int k = 0; k < m; k++)
        {
            var finite = vectors.Select(v => v[k]).Where(double.IsFinite).ToList();
            (lo[k], hi[k]) = finite.Count == 0 ? (0, 0) : (finite.Min(), finite.Max());
        }
        return vectors.Select(v => v.Select((x, k) => double.IsPositiveInfinity(x) ? hi[k] : double.IsNegativeInfinity(x) ? lo[k] : x).ToArray()).ToList();
    }
}
