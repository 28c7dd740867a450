using System.Globalization;

namespace Mantissa.Workloads;

/// <summary>One row of the per-layer table: an operator's GEMM shape (or output shape), MACs, weights and traffic.</summary>
public sealed record OperatorRow(
    string Name, string Op, string Shape, string Detail, long Macs, long WeightParams, double WeightBytes,
    double BytesRead, double BytesWritten, string Formats);

/// <summary>Totals of one operator kind: how many, their MACs, weight bytes and traffic.</summary>
public sealed record KindTotals(string Op, int Count, long Macs, double WeightBytes, double BytesRead, double BytesWritten);

/// <summary>Builds the per-layer table data of a workload (formatting is the caller's business).</summary>
public static class WorkloadTable
{
    public static IReadOnlyList<OperatorRow> Rows(Workload w) => w.Graph.Operators.Select(Row).ToList();

    /// <summary>Per-kind totals in descending MAC order (then by bytes moved).</summary>
    public static IReadOnlyList<KindTotals> ByKind(Workload w) => w.Graph.Operators
        .GroupBy(o => o.Kind.Name())
        .Select(g => new KindTotals(g.Key, g.Count(), g.Sum(o => o.Macs), g.Sum(o => o.WeightBytes), g.Sum(o => o.BytesRead), g.Sum(o => o.BytesWritten)))
        .OrderByDescending(k => k.Macs).ThenByDescending(k => k.BytesRead + k.BytesWritten).ToList();

    public static OperatorRow Row(Operator o)
    {
        string shape = o.Gemm is { } g
            ? (g.Batch > 1 ? $"{g.Batch}x" : "") + $"{g.M}x{g.K}x{g.N}"
            : string.Join("x", o.Outputs.FirstOrDefault()?.Shape ?? Array.Empty<long>());
        return new OperatorRow(o.Name, o.Kind.Name(), shape, o.Detail, o.Macs, o.WeightElements, o.WeightBytes,
            o.BytesRead, o.BytesWritten, Formats(o));
    }

    /// <summary>
    /// Operand formats: <c>left x right -> out</c> for GEMMs (weights with their group size); for other operators the
    /// output format, preceded by <c>in -> </c> when the activations they read are in another format.
    /// </summary>
    public static string Formats(Operator o)
    {
        static string F(TensorSpec t) => t.Format.Name + (t.GroupSize > 0 ? "g" + t.GroupSize.ToString(CultureInfo.InvariantCulture) : "");
        if (o.Gemm is { } g) return $"{F(g.Left)} x {F(g.Right)} -> {F(g.Output)}";
        if (o.Outputs.Count == 0) return "";
        var ins = o.Inputs.Where(t => t.Role != TensorRole.Weight).Select(F).Distinct().ToList();
        string outF = F(o.Outputs[0]);
        return ins.Count == 0 || ins.SequenceEqual(new[] { outF }) ? outF : $"{string.Join(", ", ins)} -> {outF}";
    }
}
