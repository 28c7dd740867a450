namespace Mantissa.Explorer.Pareto;

/// <summary>
/// Non-dominated sorting by divide and conquer in O(N log^(M−1) N): Jensen's algorithm (IEEE TEVC 7(5), 2003) in the
/// form of Fortin, Grenier and Parizeau (GECCO 2013), which stays correct when objective values repeat. All objectives
/// are minimised; NaN is not allowed.
/// </summary>
/// <remarks>
/// Equal vectors never dominate each other and share a rank, so the vectors are first sorted lexicographically and
/// equal ones merged. In that order a vector can only be dominated by one before it, so the first objective becomes the
/// position (distinct, compared strictly) and every other objective a dense integer rank compared with ≤: q dominates
/// p exactly when q comes first and is no larger in objectives 1..M−1. That removes the tie cases Jensen's original
/// split mishandled. <c>SortA(S, k)</c> finishes the ranks inside S on objectives 0..k, given every dominator outside
/// S already counted; it splits S at the median of objective k into L (smaller) and H (larger), finishes L, lets L
/// raise H on objectives 0..k−1 (<c>SortB</c>) and finishes H. <c>SortB(L, H, k)</c> raises the ranks of H by the
/// finished L on objectives 0..k, splitting both at one median. On two objectives both become a sweep in position
/// order with a Fenwick tree of prefix maxima over objective 1.
/// </remarks>
public static class DivideAndConquerSort
{
    /// <summary>Rank of every vector (1 = non-dominated) of flat vectors (vector i at <c>values[i·m .. i·m+m)</c>).</summary>
    public static int[] Ranks(double[] values, int m)
    {
        int n = m == 0 ? 0 : values.Length / m;
        var result = new int[n];
        if (n == 0) return result;
        var order = ParetoSort.LexOrder(values, m);
        // merge equal vectors: unique[j] is the first vector of the j-th run of equal ones in lexicographic order,
        // of[i] the run of vector i
        var unique = new List<int>(n);
        var of = new int[n];
        for (int i = 0; i < n; i++)
        {
            if (i == 0 || !values.AsSpan(order[i] * m, m).SequenceEqual(values.AsSpan(order[i - 1] * m, m))) unique.Add(order[i]);
            of[order[i]] = unique.Count - 1;
        }
        var engine = new Engine(values, m, unique);
        var all = new int[unique.Count];
        for (int j = 0; j < all.Length; j++) all[j] = j;
        if (m == 1) for (int j = 0; j < all.Length; j++) engine.Rank[j] = j;
        else engine.SortA(all, m - 1);
        for (int i = 0; i < n; i++) result[i] = engine.Rank[of[i]] + 1;
        return result;
    }

    /// <summary>The dense ranks of the merged vectors and their rank so far (0 = no dominator yet).</summary>
    private sealed class Engine
    {
        private readonly int[][] _y; // _y[k][j]: dense rank of objective k of unique vector j (k ≥ 1)
        private readonly int[] _tree; // Fenwick tree of prefix maxima over objective 1, all zero between sweeps
        public readonly int[] Rank;

        public Engine(double[] values, int m, List<int> unique)
        {
            int u = unique.Count;
            Rank = new int[u];
            _y = new int[m][];
            var keys = new double[u];
            var idx = new int[u];
            for (int k = 1; k < m; k++)
            {
                for (int j = 0; j < u; j++) { keys[j] = values[unique[j] * m + k]; idx[j] = j; }
                Array.Sort(keys, idx);
                var y = _y[k] = new int[u];
                int r = 0;
                for (int j = 0; j < u; j++)
                {
                    if (j > 0 && keys[j] != keys[j - 1]) r++;
                    y[idx[j]] = r;
                }
            }
            _tree = new int[u + 1];
        }

        /// <summary>Finishes the ranks of <paramref name="s"/> (ascending positions) on objectives 0..k.</summary>
        public void SortA(int[] s, int k)
        {
            while (true)
            {
                if (s.Length < 2) return;
                if (s.Length == 2)
                {
                    if (Weakly(s[0], s[1], k)) Raise(s[1], s[0]);
                    return;
                }
                if (k == 1) { SweepA(s); return; }
                var (lo, hi) = Bounds(s, k);
                if (lo == hi) { k--; continue; } // objective k cannot decide anything inside s
                var (l, h) = Split(s, k);
                SortA(l, k);
                SortB(l, h, k - 1);
                s = h;
            }
        }

        /// <summary>Raises the ranks of <paramref name="h"/> by those of the finished <paramref name="l"/> on objectives 0..k (every l no larger than every h in the objectives above k).</summary>
        private void SortB(int[] l, int[] h, int k)
        {
            while (true)
            {
                if (l.Length == 0 || h.Length == 0) return;
                if (l.Length == 1 || h.Length == 1)
                {
                    foreach (int p in h)
                        foreach (int q in l)
                            if (q < p && Weakly(q, p, k)) Raise(p, q);
                    return;
                }
                if (k == 1) { SweepB(l, h); return; }
                var (lLo, lHi) = Bounds(l, k);
                var (hLo, hHi) = Bounds(h, k);
                if (lHi <= hLo) { k--; continue; } // every l is no larger in objective k
                if (lLo > hHi) return; // no l is
                var (l1, l2, h1, h2) = Split2(l, h, k);
                SortB(l1, h1, k);
                SortB(l1, h2, k - 1);
                l = l2;
                h = h2;
            }
        }

        // objective 0 is the position; q comes before p and is no larger in objectives 1..k
        private bool Weakly(int q, int p, int k)
        {
            for (int o = 1; o <= k; o++)
                if (_y[o][q] > _y[o][p]) return false;
            return true;
        }

        private void Raise(int p, int by)
        {
            if (Rank[by] + 1 > Rank[p]) Rank[p] = Rank[by] + 1;
        }

        private void SweepA(int[] s)
        {
            var y = _y[1];
            foreach (int p in s)
            {
                int best = Query(y[p]);
                if (best > Rank[p]) Rank[p] = best;
                Insert(y[p], Rank[p] + 1);
            }
            foreach (int p in s) Clear(y[p]);
        }

        private void SweepB(int[] l, int[] h)
        {
            var y = _y[1];
            int i = 0;
            foreach (int p in h)
            {
                for (; i < l.Length && l[i] < p; i++) Insert(y[l[i]], Rank[l[i]] + 1);
                int best = Query(y[p]);
                if (best > Rank[p]) Rank[p] = best;
            }
            for (int j = 0; j < i; j++) Clear(y[l[j]]);
        }

        // the largest value inserted at ranks ≤ r (0 when none)
        private int Query(int r)
        {
            int best = 0;
            for (int x = r + 1; x > 0; x -= x & -x)
                if (_tree[x] > best) best = _tree[x];
            return best;
        }

        private void Insert(int r, int value)
        {
            for (int x = r + 1; x < _tree.Length; x += x & -x)
                if (_tree[x] < value) _tree[x] = value;
        }

        private void Clear(int r)
        {
            for (int x = r + 1; x < _tree.Length && _tree[x] != 0; x += x & -x) _tree[x] = 0;
        }

        private (int lo, int hi) Bounds(int[] s, int k)
        {
            var y = _y[k];
            int lo = int.MaxValue, hi = int.MinValue;
            foreach (int p in s)
            {
                if (y[p] < lo) lo = y[p];
                if (y[p] > hi) hi = y[p];
            }
            return (lo, hi);
        }

        /// <summary>
        /// A split value of objective k over <paramref name="a"/> and <paramref name="b"/>: below it (or up to and
        /// including it, whichever balances better while leaving both sides non-empty) is the lower side. The values
        /// must not all be equal.
        /// </summary>
        private (int at, bool inclusive) Median(int[] a, int[]? b, int k)
        {
            var y = _y[k];
            var v = new int[a.Length + (b?.Length ?? 0)];
            for (int i = 0; i < a.Length; i++) v[i] = y[a[i]];
            if (b is not null) for (int i = 0; i < b.Length; i++) v[a.Length + i] = y[b[i]];
            int med = Select(v, v.Length / 2);
            int less = 0, equal = 0;
            foreach (int x in v)
                if (x < med) less++;
                else if (x == med) equal++;
            int greater = v.Length - less - equal;
            // exclusive: lower = less; inclusive: lower = less + equal. Prefer the valid one with the smaller imbalance.
            bool exclusiveOk = less > 0, inclusiveOk = greater > 0;
            if (!exclusiveOk) return (med, true);
            if (!inclusiveOk) return (med, false);
            return (med, Math.Abs(less + equal - greater) < Math.Abs(less - equal - greater));
        }

        private (int[] lower, int[] upper) Split(int[] s, int k)
        {
            var (at, inclusive) = Median(s, null, k);
            return Partition(s, _y[k], at, inclusive);
        }

        private (int[] l1, int[] l2, int[] h1, int[] h2) Split2(int[] l, int[] h, int k)
        {
            var (at, inclusive) = Median(l, h, k);
            var (l1, l2) = Partition(l, _y[k], at, inclusive);
            var (h1, h2) = Partition(h, _y[k], at, inclusive);
            return (l1, l2, h1, h2);
        }

        // stable: both sides keep ascending positions
        private static (int[] lower, int[] upper) Partition(int[] s, int[] y, int at, bool inclusive)
        {
            int n = 0;
            foreach (int p in s) if (y[p] < at || (inclusive && y[p] == at)) n++;
            var lower = new int[n];
            var upper = new int[s.Length - n];
            int a = 0, b = 0;
            foreach (int p in s)
                if (y[p] < at || (inclusive && y[p] == at)) lower[a++] = p;
                else upper[b++] = p;
            return (lower, upper);
        }

        /// <summary>The <paramref name="nth"/> smallest of <paramref name="v"/> (reorders it): Hoare quickselect with a median-of-three pivot.</summary>
        private static int Select(int[] v, int nth)
        {
            int lo = 0, hi = v.Length - 1;
            while (lo < hi)
            {
                int mid = lo + (hi - lo) / 2;
                int a = v[lo], b = v[mid], c = v[hi];
                int pivot = Math.Max(Math.Min(a, b), Math.Min(Math.Max(a, b), c));
                int i = lo, j = hi;
                while (i <= j)
                {
                    while (v[i] < pivot) i++;
                    while (v[j] > pivot) j--;
                    if (i <= j) { (v[i], v[j]) = (v[j], v[i]); i++; j--; }
                }
                if (nth <= j) hi = j;
                else if (nth >= i) lo = i;
                else return v[nth];
            }
            return v[nth];
        }
    }
}
