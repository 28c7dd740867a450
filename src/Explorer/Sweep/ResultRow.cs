namespace Mantissa.Explorer.Sweep;

/// <summary>
/// One result of a sweep, typed: design point index, workload label, resume key, reason when invalid (null when
/// valid), swept values and labels as text, and metric values (NaN where not reported) in the schema's metric order.
/// It becomes CSV text only when written (<see cref="ResultSchema.ToCells"/>).
/// </summary>
public sealed record ResultRow(int Point, string Workload, string Key, string? Reason, string[] Parameters, string[] Labels, double[] Metrics)
{
    public bool Valid => Reason is null;
}
