using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Report;
using Mantissa.Explorer.Sweep;
using Parquet;
using Parquet.Schema;

namespace Mantissa.Explorer.Tests;

public class ParquetTests
{
    [Fact]
    public async Task PointsParquetHoldsTheRowsOfPointsCsv()
    {
        using var dir = new TempSweepDir();
        string outDir = dir.Sub("out");
        var command = new SweepCommand(new EvaluatorBackend(SweepValidation.None, _ => new FakeEvaluator()));
        Assert.Equal(0, command.Run(ParsedArgs.Parse(command.Spec, new[] { dir.Sweep(TempSweepDir.Basic), "--out", outDir, "--format", "png,parquet" }),
                                    new CommandIO(TextReader.Null, TextWriter.Null, TextWriter.Null)));
        var table = PointsCsv.Read(Path.Combine(outDir, "points.csv"), false, out _);
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, "plots"), "*.svg"));

        await using var stream = File.OpenRead(Path.Combine(outDir, PointsParquet.FileName));
        await using var reader = await ParquetReader.CreateAsync(stream);
        var fields = reader.Schema.DataFields;
        Assert.Equal(table.Header, fields.Select(f => f.Name));
        Assert.Equal(1, reader.RowGroupCount);
        using var group = reader.OpenRowGroupReader(0);
        int n = table.Rows.Count;
        Assert.Equal(n, group.RowCount);
        foreach (var f in fields)
        {
            int c = table.Column(f.Name);
            if (PointsParquet.Numeric(f.Name))
            {
                Assert.Equal(typeof(double), f.ClrType);
                var values = new double?[n];
                await group.ReadAsync<double>(f, values.AsMemory());
                for (int i = 0; i < n; i++)
                {
                    double expected = ResultTable.Number(table.Rows[i][c]);
                    if (double.IsNaN(expected)) Assert.Null(values[i]);
                    else Assert.Equal(expected, values[i]);
                }
            }
            else
            {
                var values = new string?[n];
                await group.ReadAsync(f, values.AsMemory());
                for (int i = 0; i < n; i++) Assert.Equal(table.Rows[i][c], values[i] ?? "");
            }
        }
        Assert.Contains(fields, f => f.Name == "latency_s" && f.ClrType == typeof(double));
        Assert.Contains(fields, f => f.Name == "pe_kind" && f.ClrType != typeof(double)); // text (the reader reports ReadOnlyMemory<char>)
    }
}
