namespace Mantissa.Explorer.Sweep;

/// <summary>The column layout of points.csv: fixed columns, then swept parameters, labels and metrics.</summary>
public sealed class ResultSchema
{
    public static readonly string[] Fixed = { "point", "workload", "key", "status", "reason" };
    public const int PointCol = 0, WorkloadCol = 1, KeyCol = 2, StatusCol = 3, ReasonCol = 4;

    public ResultSchema(IReadOnlyList<string> parameters, IReadOnlyList<string> labels, IReadOnlyList<Metric> metrics)
    {
        Parameters = parameters;
        Labels = labels;
        MetricIds = metrics;
        Metrics = metrics.Select(m => m.Name()).ToList();
        Header = Fixed.Concat(parameters).Concat(labels).Concat(Metrics).ToArray();
    }

    public IReadOnlyList<string> Parameters { get; }
    public IReadOnlyList<string> Labels { get; }
    public IReadOnlyList<Metric> MetricIds { get; }
    /// <summary>The metric column names.</summary>
    public IReadOnlyList<string> Metrics { get; }
    public string[] Header { get; }

    public int ParamStart => Fixed.Length;
    public int LabelStart => Fixed.Length + Parameters.Count;
    public int MetricStart => LabelStart + Labels.Count;
}
