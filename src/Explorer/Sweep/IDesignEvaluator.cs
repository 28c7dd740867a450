namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The seam between the sweep engine and the models: evaluates one design point (base architecture + sets) on
/// workloads. Implementations must be thread-safe and deterministic.
/// </summary>
public interface IDesignEvaluator
{
    /// <summary>The metrics it reports, in CSV column order.</summary>
    IReadOnlyList<Metric> Metrics { get; }

    /// <summary>Text result columns (e.g. <c>pe_kind</c>), in CSV order.</summary>
    IReadOnlyList<string> LabelNames { get; }

    /// <summary>A canonical text of the resolved configuration; equal texts mean equal designs (the resume key).</summary>
    string ConfigKey(DesignPoint point);

    /// <summary>
    /// The row key of <paramref name="point"/> on each of <paramref name="workloads"/> into <paramref name="keys"/>:
    /// <paramref name="hasher"/>'s key of <see cref="ConfigKey"/> and the workload's label. An evaluator that has the
    /// configuration text at hand may hash it without making the string.
    /// </summary>
    internal void RowKeys(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads, RowKeyHasher hasher, string[] keys)
    {
        string config = ConfigKey(point);
        for (int w = 0; w < keys.Length; w++) keys[w] = hasher.Of(config, workloads[w].Label);
    }

    /// <summary>One evaluation per workload, in the order given.</summary>
    IReadOnlyList<Evaluation> Evaluate(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads);

    /// <summary>Breakdown and roofline data of one design on one workload, for the report; null if unavailable.</summary>
    DesignDetail? Detail(DesignPoint point, WorkloadSpec workload);
}

/// <summary>The outcome of one design on one workload: metrics and labels, and a reason when the design is invalid.</summary>
public sealed record Evaluation(MetricValues Metrics, IReadOnlyDictionary<string, string> Labels, string? InvalidReason)
{
    public static Evaluation Invalid(string reason, IReadOnlyDictionary<string, string>? labels = null) =>
        new(MetricValues.Empty(), labels ?? new Dictionary<string, string>(), reason);
}

/// <summary>Per-layer or per-component energy and time of one design, plus roofline data.</summary>
public sealed record DesignDetail(string Title, IReadOnlyList<BreakdownItem> Breakdown, RooflineData? Roofline);

/// <summary>Energy (pJ) and time (s) one component spends in one group (a layer, or the whole workload).</summary>
public sealed record BreakdownItem(string Group, string Component, double EnergyPj, double TimeS);

/// <summary>Roofline ceilings of a design and the operating points (ops/byte, ops/s) of its layers.</summary>
public sealed record RooflineData(double PeakOpsPerS, double BytesPerS, IReadOnlyList<RooflinePoint> Points);

/// <summary>One operating point on a roofline.</summary>
public sealed record RooflinePoint(string Label, double OpsPerByte, double OpsPerS);
