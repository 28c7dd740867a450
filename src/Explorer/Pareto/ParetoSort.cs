namespace Mantissa.Explorer.Pareto;

/// <summary>
/// Non-dominated sorting of N-objective vectors (all minimised; ±∞ rank as ordinary extremes, NaN is not allowed):
/// the first front, ranks and crowding distance. Every algorithm first sorts the vectors lexicographically, so a vector
/// can only be dominated by one that comes before it; equal vectors never dominate each other.
/// </summary>
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
    /// Indices of the non-dominated vectors (rank 1), in input order. Two objectives: sort and sweep, O(N log N).
    /// Three: sort and sweep with a Fenwick tree of the smallest third objective over the second, O(N log N) (the
    /// maxima method of Kung, Luccio and Preparata, J. ACM 22(4), 1975). More: sort, then test each vector against the
    /// front found so far, O(N·front).
    /// </summary>
    public static int[] Front(IReadOnlyList<double[]> values)
    {
        if (values.Count == 0) return Array.Empty<int>();
        int m = values[0].Length;
        var flat = new double[values.Count * m];
        for (int i = 0; i < values.Count; i++) values[i].CopyTo(flat, i * m);
        return Front(flat, m);
    }

    /// <summary>
    /// <see cref="Front(IReadOnlyList{double[]})"/> of vectors stored row after row in one array (vector i is
    /// <c>values[i·m .. i·m+m)</c>): 8·m bytes per vector and no object per vector, for fronts of millions of designs.
    /// </summary>
    public static int[] Front(double[] values, int m)
    {
        int n = m == 0 ? 0 : values.Length / m;
        if (n == 0) return Array.Empty<int>();
        var order = LexOrder(values, m);
        var onFront = new bool[n];
        switch (m)
        {
            case 1:
                for (int i = 0; i < n && values[order[i]] == values[order[0]]; i++) onFront[order[i]] = true;
                break;
            case 2:
                Front2(values, order, onFront);
                break;
            case 3:
                Front3(values, order, onFront);
                break;
            default:
                var front = new List<int>();
                foreach (int i in order)
                    if (!DominatedByAny(values, m, front, i)) { front.Add(i); onFront[i] = true; }
                break;
        }
        var result = new List<int>();
        for (int i = 0; i < n; i++) if (onFront[i]) result.Add(i);
        return result.ToArray();
    }

    // In lexicographic order, a group of equal first objectives is dominated by an earlier group exactly when an earlier
    // vector has a second objective no larger; inside the group only the smallest second objective survives.
    private static void Front2(double[] v, int[] order, bool[] onFront)
    {
        bool seen = false;
        double best = 0;
        for (int i = 0; i < order.Length;)
        {
            double x = v[order[i] * 2], groupMin = v[order[i] * 2 + 1];
            int j = i;
            while (j < order.Length && v[order[j] * 2] == x) j++;
            if (!seen || groupMin < best)
                for (int k = i; k < j && v[order[k] * 2 + 1] == groupMin; k++) onFront[order[k]] = true;
            if (!seen || groupMin < best) best = groupMin;
            seen = true;
            i = j;
        }
    }

    // Runs of equal vectors are tested together against every earlier (hence different) vector: one with second
    // objective ≤ ours and third ≤ ours dominates, found as a prefix minimum over the ranks of the second objective.
    // NaN marks an empty tree node, so a third objective of +∞ is still a value.
    private static void Front3(double[] v, int[] order, bool[] onFront)
    {
        int n = order.Length;
        var distinct = new double[n];
        for (int i = 0; i < n; i++) distinct[i] = v[i * 3 + 1];
        Array.Sort(distinct);
        int d = 0;
        for (int i = 0; i < n; i++)
            if (i == 0 || !distinct[i].Equals(distinct[d - 1])) distinct[d++] = distinct[i];
        var tree = new double[d + 1];
        Array.Fill(tree, double.NaN);
        for (int i = 0; i < n;)
        {
            var p = v.AsSpan(order[i] * 3, 3);
            int j = i + 1;
            while (j < n && v.AsSpan(order[j] * 3, 3).SequenceEqual(p)) j++;
            int rank = Array.BinarySearch(distinct, 0, d, p[1]) + 1;
            bool dominated = false;
            for (int r = rank; r > 0 && !dominated; r -= r & -r) dominated = !double.IsNaN(tree[r]) && tree[r] <= p[2];
            if (!dominated)
            {
                for (int k = i; k < j; k++) onFront[order[k]] = true;
                for (int r = rank; r < tree.Length; r += r & -r)
                    if (double.IsNaN(tree[r]) || p[2] < tree[r]) tree[r] = p[2];
            }
            i = j;
        }
    }

    /// <summary>
    /// Rank of every vector: 1 for the non-dominated set, 2 for the set non-dominated once rank 1 is removed, ...
    /// Two objectives: efficient non-dominated sort with binary search (ENS-BS; Zhang, Tian, Cheng and Jin, IEEE TEVC
    /// 19(2), 2015): in lexicographic order each vector goes to the first front none of whose members dominates it,
    /// found by binary search because a vector dominated by front k is dominated by every earlier front too, and a
    /// front is tested in O(1) (its smallest second objective), giving O(N log N). Three or more objectives:
    /// Jensen's divide and conquer with Fortin et al.'s handling of equal values, O(N log^(M−1) N)
    /// (<see cref="DivideAndConquerSort"/>).
    /// </summary>
    public static int[] Ranks(IReadOnlyList<double[]> values)
    {
        int n = values.Count;
        var ranks = new int[n];
        if (n == 0) return ranks;
        int m = values[0].Length;
        if (m >= 3)
        {
            var flat = new double[n * m];
            for (int i = 0; i < n; i++) values[i].CopyTo(flat, i * m);
            return DivideAndConquerSort.Ranks(flat, m);
        }
        var order = LexOrder(values);
        var fronts = new List<List<int>>();
        bool two = m == 2;
        // two objectives: per front, the smallest second objective and the first objective of its first holder
        var minY = new List<double>();
        var minYx = new List<double>();
        foreach (int i in order)
        {
            var p = values[i];
            int lo = 0, hi = fronts.Count;
            while (lo < hi)
            {
                int mid = (lo + hi) >> 1;
                bool dominated = two
                    ? minY[mid] < p[1] || (minY[mid] == p[1] && minYx[mid] < p[0])
                    : DominatedByAny(values, fronts[mid], p);
                if (dominated) lo = mid + 1; else hi = mid;
            }
            if (lo == fronts.Count)
            {
                fronts.Add(new List<int>());
                if (two) { minY.Add(p[1]); minYx.Add(p[0]); }
            }
            else if (two && p[1] < minY[lo]) { minY[lo] = p[1]; minYx[lo] = p[0]; }
            fronts[lo].Add(i);
            ranks[i] = lo + 1;
        }
        return ranks;
    }

    private static bool DominatedByAny(double[] values, int m, List<int> front, int p)
    {
        var v = values.AsSpan(p * m, m);
        for (int k = front.Count - 1; k >= 0; k--)
            if (Dominates(values.AsSpan(front[k] * m, m), v)) return true;
        return false;
    }

    private static bool DominatedByAny(IReadOnlyList<double[]> values, List<int> front, double[] p)
    {
        // the latest members are the closest in lexicographic order, hence the likeliest dominators
        for (int k = front.Count - 1; k >= 0; k--)
            if (Dominates(values[front[k]], p)) return true;
        return false;
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
        var v = FiniteRange.Clamp(front.Select(i => values[i]).ToList());
        int m = v[0].Length;
        var order = new int[n];
        for (int k = 0; k < m; k++)
        {
            for (int i = 0; i < n; i++) order[i] = i;
            Array.Sort(order, (a, b) => v[a][k].CompareTo(v[b][k]) is var c && c != 0 ? c : a.CompareTo(b));
            double lo = v[order[0]][k], hi = v[order[n - 1]][k];
            distance[order[0]] = distance[order[n - 1]] = double.PositiveInfinity;
            if (hi <= lo) continue;
            for (int i = 1; i < n - 1; i++)
                distance[order[i]] += (v[order[i + 1]][k] - v[order[i - 1]][k]) / (hi - lo);
        }
        return distance;
    }

    /// <summary>Indices of the flat vectors sorted lexicographically by value, ties by index.</summary>
    internal static int[] LexOrder(double[] values, int m)
    {
        int n = values.Length / m;
        var first = new double[n];
        for (int i = 0; i < n; i++) first[i] = values[i * m];
        return LexOrder(first, Comparer<int>.Create((i, j) =>
        {
            for (int k = 1; k < m; k++)
            {
                int c = values[i * m + k].CompareTo(values[j * m + k]);
                if (c != 0) return c;
            }
            return i.CompareTo(j);
        }));
    }

    /// <summary>Indices sorted lexicographically by value, ties by index.</summary>
    private static int[] LexOrder(IReadOnlyList<double[]> values)
    {
        var first = new double[values.Count];
        for (int i = 0; i < first.Length; i++) first[i] = values[i][0];
        return LexOrder(first, Comparer<int>.Create((i, j) =>
        {
            var a = values[i];
            var b = values[j];
            for (int k = 1; k < a.Length; k++)
            {
                int c = a[k].CompareTo(b[k]);
                if (c != 0) return c;
            }
            return i.CompareTo(j);
        }));
    }

    // The order is unique (ties end at the index), so any correct sort gives it: the first objective goes through the
    // primitive key sort (several times faster than a comparison delegate over a million vectors), and only runs of an
    // equal first objective are ordered by the rest. Keys are never NaN, so == groups exactly what CompareTo calls equal.
    private static int[] LexOrder(double[] first, IComparer<int> rest)
    {
        int n = first.Length;
        var order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        Array.Sort(first, order);
        for (int i = 0; i < n;)
        {
            int j = i + 1;
            while (j < n && first[j] == first[i]) j++;
            if (j - i > 1) Array.Sort(order, i, j - i, rest);
            i = j;
        }
        return order;
    }
}
