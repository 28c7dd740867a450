using System.Globalization;
using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>The column layout of points.csv: fixed columns, then swept parameters, labels and metrics.</summary>
public sealed class ResultSchema
{
    public static readonly string[] Fixed = { "point", "workload", "key", "status", "reason" };
    public const int PointCol = 0, WorkloadCol = 1, KeyCol = 2, StatusCol = 3, ReasonCol = 4;

    // The last text of each metric column: many columns repeat from row to row (a clock sweep's area, MACs, quantization
    // error), and formatting a double is most of the cost of writing a row. Entries are replaced whole (thread-safe).
    private readonly FormattedValue?[] _lastText;

    private sealed record FormattedValue(double Value, string Text);

    public ResultSchema(IReadOnlyList<string> parameters, IReadOnlyList<string> labels, IReadOnlyList<Metric> metrics)
    {
        Parameters = parameters;
        Labels = labels;
        MetricIds = metrics;
        Metrics = metrics.Select(m => m.Name()).ToList();
        Header = Fixed.Concat(parameters).Concat(labels).Concat(Metrics).ToArray();
        _lastText = new FormattedValue?[metrics.Count];
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

    /// <summary>The CSV cells of <paramref name="row"/>, in <see cref="Header"/> order.</summary>
    public string[] ToCells(ResultRow row)
    {
        var cells = new string[Header.Length];
        cells[PointCol] = row.Point.ToString(CultureInfo.InvariantCulture);
        cells[WorkloadCol] = row.Workload;
        cells[KeyCol] = row.Key;
        cells[StatusCol] = row.Valid ? "valid" : "invalid";
        cells[ReasonCol] = row.Reason ?? "";
        row.Parameters.CopyTo(cells, ParamStart);
        row.Labels.CopyTo(cells, LabelStart);
        for (int m = 0; m < row.Metrics.Length; m++) cells[MetricStart + m] = FormatMetric(m, row.Metrics[m]);
        return cells;
    }

    private string FormatMetric(int column, double value)
    {
        var last = Volatile.Read(ref _lastText[column]);
        // compared by bits: 0.0 and -0.0 print differently, and NaN equals itself here
        if (last is not null && BitConverter.DoubleToInt64Bits(last.Value) == BitConverter.DoubleToInt64Bits(value)) return last.Text;
        var text = ResultTable.Format(value);
        Volatile.Write(ref _lastText[column], new FormattedValue(value, text));
        return text;
    }

    /// <summary>The typed row of CSV cells laid out as <see cref="Header"/> (numbers parsed once, here).</summary>
    public ResultRow FromCells(string[] cells, string source)
    {
        if (!int.TryParse(cells[PointCol], NumberStyles.None, CultureInfo.InvariantCulture, out int point))
            throw new MantissaException($"{source}: point '{cells[PointCol]}' is not a design point index");
        var metrics = new double[Metrics.Count];
        for (int m = 0; m < metrics.Length; m++) metrics[m] = ResultTable.Number(cells[MetricStart + m]);
        return new ResultRow(point, cells[WorkloadCol], cells[KeyCol], cells[StatusCol] == "valid" ? null : cells[ReasonCol],
            cells[ParamStart..LabelStart], cells[LabelStart..MetricStart], metrics);
    }
}
