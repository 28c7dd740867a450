namespace Mantissa.Arch.Cost;

/// <summary>A number from a cost data table with the source it came from.</summary>
/// <remarks>A class, not a (double, string) tuple: a dictionary of tuples is JIT-compiled at every start-up, one of
/// references is precompiled.</remarks>
internal sealed class SourcedValue(double value, string source)
{
    public double Value { get; } = value;
    public string Source { get; } = source;

    /// <summary>The rows of <paramref name="table"/> by <paramref name="key"/>, each the number in
    /// <paramref name="valueColumn"/> with its <c>source</c>; a repeated key is an error, as in ToDictionary.</summary>
    public static Dictionary<string, SourcedValue> ByKey(CsvTable table, Func<CsvRow, string> key, string valueColumn)
    {
        var result = new Dictionary<string, SourcedValue>(table.Rows.Count, StringComparer.Ordinal);
        for (int i = 0; i < table.Rows.Count; i++)
        {
            var r = table.Rows[i];
            result.Add(key(r), new SourcedValue(r.Number(valueColumn), r.Text("source")));
        }
        return result;
    }
}
