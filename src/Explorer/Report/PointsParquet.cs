using System.Globalization;
using System.Text;
using CsvHelper;
using Mantissa.Arch;
using Mantissa.Explorer.Sweep;
using Mantissa.Sim.Results;
using Parquet;
using Parquet.Schema;

namespace Mantissa.Explorer.Report;

/// <summary>
/// points.parquet: the rows of points.csv (readable by pandas, polars, DuckDB, Spark): metric columns and <c>point</c>
/// as nullable doubles (an empty cell is null), every other column as text. Written while points.csv is read, one
/// row group per <see cref="RowGroupRows"/> rows, so memory does not grow with the sweep.
/// </summary>
public static class PointsParquet
{
    public const string FileName = "points.parquet";

    /// <summary>Rows per row group (a sweep up to this size gives a file of one row group).</summary>
    public const int RowGroupRows = 65_536;

    private static readonly CsvReaderOptions ReadOptions = new() { HasHeader = false, FormatProvider = CultureInfo.InvariantCulture };

    /// <summary>True for the columns written as numbers.</summary>
    public static bool Numeric(string column) => column == ResultSchema.Fixed[ResultSchema.PointCol] || MetricCatalog.Find(column) is { } m && m.Name == column;

    /// <summary>Writes <paramref name="path"/> from the results file <paramref name="pointsCsv"/>.</summary>
    public static void Write(string path, string pointsCsv) => WriteAsync(path, pointsCsv).GetAwaiter().GetResult();

    private static async Task WriteAsync(string path, string pointsCsv)
    {
        var header = PointsCsv.ReadHeader(pointsCsv);
        var fields = header.Select(h => Numeric(h) ? new DataField(h, typeof(double), true) : new DataField(h, typeof(string), true)).ToArray();
        int m = fields.Length;
        var numbers = new double?[m][];
        var texts = new string?[m][];
        // repeated text (workload, status, parameter values) shares one string per row group
        var interned = new Dictionary<string, string>[m];
        for (int c = 0; c < m; c++)
        {
            if (fields[c].ClrType == typeof(double)) numbers[c] = new double?[RowGroupRows];
            else { texts[c] = new string?[RowGroupRows]; interned[c] = new Dictionary<string, string>(StringComparer.Ordinal); }
        }
        string tmp = path + ".tmp";
        await using (var stream = File.Create(tmp))
        await using (var writer = await ParquetWriter.CreateAsync(new ParquetSchema(fields), stream))
        {
            using var reader = new StreamReader(pointsCsv, Encoding.UTF8);
            using var csv = CsvReader.Create(reader, ReadOptions);
            int line = 0, n = 0;
            bool any = false;
            while (csv.Read())
            {
                if (line++ == 0) continue; // header
                if (csv.FieldCount != m) throw new MantissaException($"{pointsCsv}: record {line} has {csv.FieldCount} fields, the header has {m}");
                for (int c = 0; c < m; c++)
                {
                    string cell = csv.GetString(c);
                    if (numbers[c] is { } num) num[n] = ResultTable.Number(cell) is var v && double.IsNaN(v) ? null : v;
                    else if (cell.Length == 0) texts[c]![n] = null;
                    else
                    {
                        if (!interned[c].TryGetValue(cell, out var shared)) interned[c][cell] = shared = cell;
                        texts[c]![n] = shared;
                    }
                }
                if (++n == RowGroupRows) { await Flush(writer, fields, numbers, texts, n); n = 0; any = true; foreach (var d in interned) d?.Clear(); }
            }
            if (n > 0 || !any) await Flush(writer, fields, numbers, texts, n);
        }
        File.Move(tmp, path, overwrite: true);
    }

    private static async Task Flush(ParquetWriter writer, DataField[] fields, double?[][] numbers, string?[][] texts, int n)
    {
        using var group = writer.CreateRowGroup();
        for (int c = 0; c < fields.Length; c++)
        {
            if (numbers[c] is { } num) await group.WriteAsync<double>(fields[c], new ReadOnlyMemory<double?>(num, 0, n));
            else await group.WriteAsync(fields[c], texts[c]![..n]);
        }
    }
}
