using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Pareto;

/// <summary>
/// The frontier of one workload: its rows with crowding distance, the number of valid rows, the normalised hypervolume,
/// and the objectives some valid rows do not report (such rows cannot be ranked; e.g. tokens_per_j of a GEMM).
/// </summary>
public sealed record WorkloadFront(string Workload, IReadOnlyList<(string[] Row, double Crowding)> Members, int ValidRows, double? Hypervolume,
                                   IReadOnlyList<string> Unreported);

/// <summary>Computes per-workload Pareto fronts of a results table (designs are only compared on the same workload).</summary>
public static class ParetoAnalysis
{
    /// <summary>Reference point of the normalised hypervolume (objectives scaled to [0, 1] over the valid rows).</summary>
    public const double Reference = 1.1;

    public static IReadOnlyList<WorkloadFront> Fronts(ResultTable table, IReadOnlyList<Objective> objectives)
    {
        var cols = objectives.Select(o => table.Column(o.Metric)).ToArray();
        var result = new List<WorkloadFront>();
        int wc = table.Has("workload") ? table.Column("workload") : -1;
        var byWorkload = table.Rows.Where(table.IsValid).GroupBy(r => wc < 0 ? "" : r[wc]);
        foreach (var group in byWorkload)
        {
            var all = group.ToList();
            // each cell is parsed once; an empty cell is unreported (NaN); ±Infinity (the +inf SQNR of an exact format)
            // is a value and ranks as an extreme
            var parsed = all.Select(r => objectives.Select((o, k) => o.Minimised(ResultTable.Number(r[cols[k]]))).ToArray()).ToList();
            var unreported = objectives.Where((o, k) => parsed.Any(v => double.IsNaN(v[k]))).Select(o => o.Metric).ToList();
            var complete = Enumerable.Range(0, all.Count).Where(i => !parsed[i].Any(double.IsNaN)).ToList();
            var rows = complete.Select(i => all[i]).ToList();
            var vectors = complete.Select(i => parsed[i]).ToList();
            var front = ParetoSort.Front(vectors);
            var crowd = ParetoSort.Crowding(vectors, front);
            var members = front.Select((i, j) => (i, c: crowd[j]))
                               .OrderBy(m => vectors[m.i][0]).ThenBy(m => m.i)
                               .Select(m => (rows[m.i], m.c)).ToList();
            result.Add(new WorkloadFront(group.Key, members, all.Count, NormalisedHypervolume(vectors, front), unreported));
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
        vectors = FiniteRange.Clamp(vectors);
        int m = vectors[0].Length;
        if (m is < 2 or > 4) return null;
        var lo = Enumerable.Range(0, m).Select(k => vectors.Min(v => v[k])).ToArray();
        var hi = Enumerable.Range(0, m).Select(k => vectors.Max(v => v[k])).ToArray();
        var scaled = front.Select(i => Enumerable.Range(0, m).Select(k => hi[k] > lo[k] ? (vectors[i][k] - lo[k]) / (hi[k] - lo[k]) : 0).ToArray()).ToList();
        return Hypervolume.Compute(scaled, Enumerable.Repeat(Reference, m).ToArray()) / Math.Pow(Reference, m);
    }
}
