namespace Mantissa.Explorer.Pareto;

/// <summary>Non-dominated sorting of N-objective vectors (all minimised; ±∞ rank as ordinary extremes, NaN is not allowed): ranks and crowding distance.</summary>
public static class ParetoSort
{
    /// <summary>True when <paramref name="a"/> is no worse than <paramref name="b"/> everywhere and better somewhere.</summary>
    public static bool Dominates(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
    {
        bool better = false;
        for (int k = 0; k < a.Length; k++)
        {
            if (a[k] > b[k]) return false;
            if (a[k] < b[k]) better = true;
        }
        return better;
    }

    /// <summary>
    /// Rank of every vector: 1 for the non-dominated set, 2 for the set non-dominated once rank 1 is removed, ...
    /// Vectors are visited in lexicographic order, so a vector only needs checking against the front found so far.
    /// </summary>
    public static int[] Ranks(IReadOnlyList<double[]> values)
    {
        int n = values.Count;
        var ranks = new int[n];
        var remaining = Enumerable.Range(0, n).ToList();
        remaining.Sort((i, j) => Lexicographic(values[i], values[j]) is var c && c != 0 ? c : i.CompareTo(j));
        int rank = 0;
        var front = new List<int>();
        var rest = new List<int>();
        while (remaining.Count > 0)
        {
            rank++;
            front.Clear();
            rest.Clear();
            foreach (int i in remaining)
            {
                bool dominated = false;
                foreach (int f in front)
                    if (Dominates(values[f], values[i])) { dominated = true; break; }
                if (dominated) rest.Add(i);
                else { front.Add(i); ranks[i] = rank; }
            }
            (remaining, rest) = (rest, remaining);
        }
        return ranks;
    }

    /// <summary>Indices of the non-dominated vectors (rank 1), in input order.</summary>
    public static int[] Front(IReadOnlyList<double[]> values)
    {
        var ranks = Ranks(values);
        return Enumerable.Range(0, values.Count).Where(i => ranks[i] == 1).ToArray();
    }

    /// <summary>
    /// Crowding distance of each member of <paramref name="front"/> (NSGA-II): boundary points get +∞. Infinite
    /// objective values are clamped to the front's finite range (<see cref="FiniteRange"/>) so gaps stay finite.
    /// </summary>
    public static double[] Crowding(IReadOnlyList<double[]> values, IReadOnlyList<int> front)
    {
        int n = front.Count;
        var distance = new double[n];
        if (n == 0) return distance;
        var clamped = FiniteRange.Clamp(front.Select(i => values[i]).ToList());
        values = clamped;
        front = Enumerable.Range(0, n).ToArray();
        int m = values[front[0]].Length;
        var order = new int[n];
        for (int k = 0; k < m; k++)
        {
            for (int i = 0; i < n; i++) order[i] = i;
            Array.Sort(order, (a, b) => values[front[a]][k].CompareTo(values[front[b]][k]) is var c && c != 0 ? c : a.CompareTo(b));
            double lo = values[front[order[0]]][k], hi = values[front[order[n - 1]]][k];
            distance[order[0]] = distance[order[n - 1]] = double.PositiveInfinity;
            if (hi <= lo) continue;
            for (int i = 1; i < n - 1; i++)
                distance[order[i]] += (values[front[order[i + 1]]][k] - values[front[order[i - 1]]][k]) / (hi - lo);
        }
        return distance;
    }

    private static int Lexicographic(double[] a, double[] b)
    {
        for (int k = 0; k < a.Length; k++)
        {
            int c = a[k].CompareTo(b[k]);
            if (c != 0) return c;
        }
        return 0;
    }
}
