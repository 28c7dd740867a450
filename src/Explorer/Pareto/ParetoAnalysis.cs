using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Pareto;

/// <summary>
/// The frontier of one workload: its rows with crowding distance, the number of valid rows, the normalised hypervolume,
/// and the objectives some valid rows do not report (such rows cannot be ranked; e.g. tokens_per_j of a GEMM).
/// </summary>
public sealed record WorkloadFront(string Workload, IReadOnlyList<(string[] Row, double Crowding)> Members, int ValidRows, double? Hypervolume,
                                   IReadOnlyList<string> Unreported)
{
    /// <summary>Row numbers (in the results file) of <see cref="Members"/>, in the same order.</summary>
    public IReadOnlyList<int> MemberRows { get; init; } = Array.Empty<int>();
}

/// <summary>Computes per-workload Pareto fronts of a results table (designs are only compared on the same workload).</summary>
public static class ParetoAnalysis
{
    /// <summary>Reference point of the normalised hypervolume (objectives scaled to [0, 1] over the valid rows).</summary>
    public const double Reference = 1.1;

    public static IReadOnlyList<WorkloadFront> Fronts(ResultTable table, IReadOnlyList<Objective> objectives)
    {
        using var columns = PointsColumns.Of(table, objectives.Select(o => o.Metric), new[] { "workload" });
        return Fronts(columns, objectives);
    }

    /// <summary>
    /// The fronts from typed columns (the objectives as numbers, workload and status as labels): per workload, the
    /// objective vectors go into one flat array of 8·M bytes per design; only the front's rows are read back as text.
    /// </summary>
    public static IReadOnlyList<WorkloadFront> Fronts(PointsColumns table, IReadOnlyList<Objective> objectives)
    {
        int m = objectives.Count;
        var cols = objectives.Select(o => table.Numbers(o.Metric)).ToArray();
        var workloads = table.Has("workload") ? table.Labels("workload") : null;
        // valid rows per workload, workloads in order of their first valid row
        var groups = new List<(int code, List<int> rows)>();
        var slotOf = new Dictionary<int, int>();
        for (int i = 0; i < table.Count; i++)
        {
            if (!table.IsValid(i)) continue;
            int code = workloads?.Codes[i] ?? 0;
            if (!slotOf.TryGetValue(code, out int g)) { slotOf[code] = g = groups.Count; groups.Add((code, new List<int>())); }
            groups[g].rows.Add(i);
        }
        var result = new List<WorkloadFront>();
        foreach (var (code, all) in groups)
        {
            // an empty cell is unreported (NaN); ±Infinity (the +inf SQNR of an exact format) is a value and ranks as an extreme
            var unreportedAt = new bool[m];
            var complete = new List<int>(all.Count);
            foreach (int r in all)
            {
                bool ok = true;
                for (int k = 0; k < m; k++)
                    if (double.IsNaN(cols[k][r])) { unreportedAt[k] = true; ok = false; }
                if (ok) complete.Add(r);
            }
            var unreported = objectives.Where((o, k) => unreportedAt[k]).Select(o => o.Metric).ToList();
            var vectors = new double[complete.Count * m];
            for (int i = 0; i < complete.Count; i++)
                for (int k = 0; k < m; k++) vectors[i * m + k] = objectives[k].Minimised(cols[k][complete[i]]);
            var front = ParetoSort.Front(vectors, m);
            var frontVectors = front.Select(i => vectors.AsSpan(i * m, m).ToArray()).ToList();
            var crowd = ParetoSort.Crowding(frontVectors, Enumerable.Range(0, front.Length).ToList());
            var order = Enumerable.Range(0, front.Length).OrderBy(j => frontVectors[j][0]).ThenBy(j => front[j]).ToList();
            var memberRows = order.Select(j => complete[front[j]]).ToList();
            var members = order.Select((j, n) => (table.Row(memberRows[n]), crowd[j])).ToList();
            result.Add(new WorkloadFront(workloads?.Levels[code] ?? "", members, all.Count, NormalisedHypervolume(vectors, m, front), unreported) { MemberRows = memberRows });
        }
        return result;
    }

    /// <summary>
    /// Hypervolume of the front after scaling each objective to [0, 1] over all valid rows, divided by the volume of the
    /// reference box (so 0..1, larger is better); null for 1 or more than 4 objectives. Infinite values are first clamped
    /// to their objective's finite range (<see cref="FiniteRange"/>).
    /// </summary>
    public static double? NormalisedHypervolume(IReadOnlyList<double[]> vectors, IReadOnlyList<int> front)
    {
        if (vectors.Count == 0) return null;
        int m = vectors[0].Length;
        var flat = new double[vectors.Count * m];
        for (int i = 0; i < vectors.Count; i++) vectors[i].CopyTo(flat, i * m);
        return NormalisedHypervolume(flat, m, front);
    }

    /// <summary><see cref="NormalisedHypervolume(IReadOnlyList{double[]}, IReadOnlyList{int})"/> of flat vectors (vector i at <c>i·m</c>).</summary>
    public static double? NormalisedHypervolume(double[] vectors, int m, IReadOnlyList<int> front)
    {
        int n = m == 0 ? 0 : vectors.Length / m;
        if (n == 0) return null;
        if (m is < 2 or > 4) return null;
        // the bounds of the clamped values: an objective's finite min and max (0 when none is finite)
        var lo = new double[m];
        var hi = new double[m];
        for (int k = 0; k < m; k++)
        {
            bool any = false;
            for (int i = 0; i < n; i++)
            {
                double v = vectors[i * m + k];
                if (!double.IsFinite(v)) continue;
                if (!any || v < lo[k]) lo[k] = v;
                if (!any || v > hi[k]) hi[k] = v;
                any = true;
            }
        }
        double Clamped(int i, int k)
        {
            double v = vectors[i * m + k];
            return double.IsPositiveInfinity(v) ? hi[k] : double.IsNegativeInfinity(v) ? lo[k] : v;
        }
        var scaled = front.Select(i => Enumerable.Range(0, m).Select(k => hi[k] > lo[k] ? (Clamped(i, k) - lo[k]) / (hi[k] - lo[k]) : 0).ToArray()).ToList();
        return Hypervolume.Compute(scaled, Enumerable.Repeat(Reference, m).ToArray()) / Math.Pow(Reference, m);
    }
}
