using Mantissa.Explorer.Sweep;
using Mantissa.Sim.Results;
using Parquet;
using Parquet.Schema;

namespace Mantissa.Explorer.Report;

/// <summary>
/// points.parquet: the rows of points.csv as one Parquet row group (readable by pandas, polars, DuckDB, Spark):
/// metric columns and <c>point</c> as nullable doubles (an empty cell is null), every other column as text.
/// </summary>
public static class PointsParquet
{
    public const string FileName = "points.parquet";

    /// <summary>True for the columns written as numbers.</summary>
    public static bool Numeric(string column) => column == ResultSchema.Fixed[ResultSchema.PointCol] || MetricCatalog.Find(column) is { } m && m.Name == column;

    public static void Write(string path, ResultTable table) => WriteAsync(path, table).GetAwaiter().GetResult();

    private static async Task WriteAsync(string path, ResultTable table)
    {
        var fields = table.Header.Select(h => Numeric(h) ? new DataField(h, typeof(double), true) : new DataField(h, typeof(string), true)).ToArray();
        string tmp = path + ".tmp";
        await using (var stream = File.Create(tmp))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        using (var group = writer.CreateRowGroup())
        {
            for (int c = 0; c < fields.Length; c++)
            {
                int col = c;
                if (fields[c].ClrType == typeof(double))
                {
                    var values = table.Rows.Select(r => ResultTable.Number(r[col]) is var v && double.IsNaN(v) ? (double?)null : v).ToArray();
                    await group.WriteAsync<double>(fields[c], new ReadOnlyMemory<double?>(values));
                }
                else
                {
                    var values = table.Rows.Select(r => r[col].Length == 0 ? null : r[col]).ToArray();
                    await group.WriteAsync(fields[c], values!);
                }
            }
        }
        File.Move(tmp, path, overwrite: true);
    }
}
