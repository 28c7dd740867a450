using System.Globalization;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>
/// points.csv lines built directly (<see cref="PointsCsvRows"/>) against the CSV writer's lines of the same rows'
/// <see cref="ResultSchema.ToCells"/>: the files must be the same bytes, over edge and random doubles and tricky text.
/// </summary>
public class PointsCsvRowsTests
{
    private static readonly Metric[] Metrics = [Metric.LatencyS, Metric.EnergyPj, Metric.AreaMm2, Metric.Cycles];

    // doubles whose "R" text is special: signed zeros, NaN, infinities, extremes, subnormals, the E-notation thresholds
    private static readonly double[] Edges =
    [
        0.0, -0.0, double.NaN, double.PositiveInfinity, double.NegativeInfinity, double.MaxValue, double.MinValue,
        double.Epsilon, -double.Epsilon, 2.2250738585072014E-308, 1e-5, 1e-4, 0.0001, 0.00001234, 1e14, 1e15, 1e16, 1e17,
        123456789012345680, 999999999999999.9, 9007199254740993, 0.1, 0.2 + 0.1, 1.0 / 3, 5e-324, 1.7976931348623157e308,
        134217728, 167920, 4.844856089814721, 1.1715358566741956E-06, -2.5, 1, -1,
    ];

    [Fact]
    public void EdgeAndRandomDoublesWriteTheWritersBytes()
    {
        var rng = new Random(20261203);
        var values = new List<double>(Edges);
        for (int i = 0; i < 20_000; i++)
        {
            values.Add(BitConverter.Int64BitsToDouble(rng.NextInt64(long.MinValue, long.MaxValue))); // any bit pattern
            values.Add(Math.Round(rng.NextDouble() * 1e6) * Math.Pow(10, rng.Next(-12, 12)));      // decimal-looking
            values.Add(rng.NextDouble() * Math.Pow(2, rng.Next(-80, 80)));
        }
        var rows = new List<ResultRow>();
        for (int i = 0; i + 3 < values.Count; i += 2)
        {
            // consecutive rows repeat some values, so the remembered text of a column is used as well
            var metrics = new[] { values[i], values[i + 1], values[i / 7 * 7], rng.Next(3) == 0 ? values[i + 3] : values[i] };
            rows.Add(new ResultRow(i, "gemm-128x1024x1024", "30aa1370e8c9dc0623c76f98", null, ["100", "1.6"], ["fp16×fp16", "fp16 (none)"], metrics));
        }
        var (direct, viaWriter, built) = Both(rows);
        Assert.Equal(viaWriter, direct);
        Assert.True(built > rows.Count / 2, $"only {built} of {rows.Count} rows were built directly"); // the direct path ran
    }

    [Fact]
    public void TextThatNeedsQuotingOrNeutralisingGoesThroughTheWriterInOrder()
    {
        string[] texts = ["plain", "a,b", "say \"hi\"", "two\nlines", "cr\rhere", " lead", "trail ", "\ttab", "=1+2", "+x", "-y", "@z",
                          "-2.5", "", "ünïcode ×", "x\u00a0", "semi;colon", "'quoted'", "a b c"];
        var rng = new Random(7);
        var rows = new List<ResultRow>();
        for (int i = 0; i < 2_000; i++)
        {
            string T() => texts[rng.Next(texts.Length)];
            string? reason = rng.Next(4) == 0 ? T() : null;
            rows.Add(new ResultRow(i, T(), "k" + i, reason, [T(), T()], [T(), T()], [rng.NextDouble(), -rng.NextDouble(), double.NaN, i]));
        }
        var (direct, viaWriter, built) = Both(rows);
        Assert.Equal(viaWriter, direct);
        Assert.InRange(built, 1, rows.Count - 1); // both paths ran, interleaved
    }

    [Fact]
    public void QuotedCellsAreBuiltDirectlyAsTheWriterQuotesThem()
    {
        string[] texts = ["a,b", "\"", "\"\"", ",", "a\"b,c", "{kind: fp_mac, weights: fp16, activations: fp16}", "x,\"y\"", "\"start",
                          "end\"", "ü,×", "a,,b", "\",\"", "plain", "", "k\"\"\"q", "tab\tinside,x", "semi;colon,\"", "'a',b"];
        var rng = new Random(11);
        var rows = new List<ResultRow>();
        for (int i = 0; i < 2_000; i++)
        {
            string T() => texts[rng.Next(texts.Length)];
            // a new string object now and then: the cell is classified again, not taken from the last row's
            string U() => rng.Next(3) == 0 ? new string(T().AsSpan()) : T();
            rows.Add(new ResultRow(i, U(), "k" + i, rng.Next(4) == 0 ? U() : null, [U(), U()], [U(), U()], [rng.NextDouble(), i, double.NaN, -1]));
        }
        var (direct, viaWriter, built) = Both(rows);
        Assert.Equal(viaWriter, direct);
        int quotable = rows.Count(r => !r.Parameters.Concat(r.Labels).Append(r.Workload).Append(r.Reason ?? "").Any(c => c.Contains('\t')));
        Assert.Equal(quotable, built); // every row but those with a control character was built directly
    }

    [Fact]
    public void LinesHeldBackInLargeNumbersOrLongerThanThePoolsBuffersAreWrittenWhole()
    {
        // a sweep's lines wait in the hand-off while an earlier point runs: thousands may be out of the pool at once, and
        // a line may be longer than its largest buffer (16 KiB)
        var schema = new ResultSchema(["clock_mhz", "pe"], ["pe_formats", "quant_weights"], Metrics);
        string huge = "{kind: fp_mac, note: \"" + new string('x', 20_000) + "\"}";
        var rows = Enumerable.Range(0, 3_000).Select(i => new ResultRow(i, "w", "k" + i, null, [i.ToString(CultureInfo.InvariantCulture), i % 500 == 0 ? huge : "a,b"],
            ["fp16×fp16", "none"], [i, 0.5, double.NaN, -i])).ToList();
        var builder = new PointsCsvRows();
        var lines = rows.Select(builder.Encode).ToArray(); // all encoded before any is written
        Assert.All(lines, l => Assert.NotNull(l.Bytes));
        string dir = Directory.CreateTempSubdirectory("mantissa-lines").FullName;
        try
        {
            string a = Path.Combine(dir, "a.csv"), b = Path.Combine(dir, "b.csv");
            using (var w = PointsCsv.Append(a, schema.Header)) w.Write(lines, lines.Length, schema);
            using (var w = PointsCsv.Append(b, schema.Header)) w.Write(rows.Select(schema.ToCells));
            Assert.Equal(File.ReadAllBytes(b), File.ReadAllBytes(a));
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ACellNeedsOnlyQuotesWhenItHoldsACommaOrQuoteAndNothingElseSpecial()
    {
        foreach (var cell in new[] { "a,b", "\"", "x \"y\" z", "{kind: int_mac, weights: int8}", "ü,×" })
            Assert.True(PointsCsvRows.NeedsOnlyQuotes(cell), cell);
        foreach (var cell in new[] { "", "plain", "a,\nb", " a,b", "a,b ", "=a,b", "-1,2", "+\"", "@a,b", "\ta,b", "a,\rb", "a,b\u0001" })
            Assert.False(PointsCsvRows.NeedsOnlyQuotes(cell), cell);
    }

    [Fact]
    public void APlainCellIsOneTheWriterAndNeutraliserLeaveAlone()
    {
        foreach (var cell in new[] { "", "valid", "fp16 (none)", "32x32", "1.1715358566741956E-06", "fp16×fp16" })
            Assert.True(PointsCsvRows.IsPlain(cell), cell);
        foreach (var cell in new[] { "a,b", "\"", "x\n", " a", "a ", "=a", "-1", "+1", "@a", "\ta" })
            Assert.False(PointsCsvRows.IsPlain(cell), cell);
    }

    // The file written from lines encoded as a sweep's workers encode them (two builders taking turns, as two workers
    // would), the file written from the rows' cells, and how many rows the first built directly.
    private static (byte[] Direct, byte[] ViaWriter, int Built) Both(List<ResultRow> rows)
    {
        var schema = new ResultSchema(["clock_mhz", "memory.dram.bandwidth_gbps"], ["pe_formats", "quant_weights"], Metrics);
        string dir = Path.Combine(Path.GetTempPath(), "mantissa-rows-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            string a = Path.Combine(dir, "a.csv"), b = Path.Combine(dir, "b.csv");
            var workers = new[] { new PointsCsvRows(), new PointsCsvRows() };
            using (var w = PointsCsv.Append(a, schema.Header))
                for (int i = 0; i < rows.Count; i += 3)
                {
                    var lines = rows.Skip(i).Take(3).Select((r, j) => workers[(i + j) % 2].Encode(r)).ToArray();
                    w.Write(lines, lines.Length, schema);
                }
            using (var w = PointsCsv.Append(b, schema.Header))
                w.Write(rows.Select(schema.ToCells));
            var probe = new PointsCsvRows();
            int built = rows.Count(r => probe.TryBuild(r));
            return (File.ReadAllBytes(a), File.ReadAllBytes(b), built);
        }
        finally { Directory.Delete(dir, true); }
    }
}
