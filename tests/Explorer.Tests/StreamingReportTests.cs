using System.Globalization;
using System.Text;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Pareto;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>The report step from typed columns of points.csv: same cells as the whole-table reader, same outputs, memory bounded by construction.</summary>
public class StreamingReportTests
{
    private static readonly CommandIO Quiet = new(TextReader.Null, TextWriter.Null, TextWriter.Null);

    [Fact]
    public void ColumnsHoldTheCellsTheWholeTableReaderReads()
    {
        using var dir = new TempSweepDir();
        string path = dir.Sub("points.csv");
        // quoted commas, doubled quotes, a newline inside quotes, CRLF line ends, empty cells, ±Infinity, a blank line
        File.WriteAllText(path,
            "point,workload,status,latency_s,pe,reason\n" +
            "0,\"a,b\",valid,1.5,\"{kind: lut, weights: \"\"int2\"\"}\",\n" +
            "1,c,invalid,,\"x\ny\",\"too big, by far\"\r\n" +
            "\n" +
            "2,\"a,b\",valid,Infinity,int_mac,\n" +
            "3,c,valid,-Infinity,\"\",\n" +
            "4,é,valid,2e-7,int_mac,");
        var table = PointsCsv.Read(path, repair: false, out _);
        using var columns = PointsColumns.Read(path, new[] { "latency_s", "point" }, new[] { "workload", "pe", "reason" });
        Assert.Equal(table.Rows.Count, columns.Count);
        var latency = columns.Numbers("latency_s");
        for (int i = 0; i < table.Rows.Count; i++)
        {
            Assert.Equal(table.Rows[i], columns.Row(i));
            Assert.Equal(ResultTable.Number(table.Rows[i][3]), latency[i]);
            Assert.Equal(table.Rows[i][1], columns.Labels("workload")[i]);
            Assert.Equal(table.Rows[i][4], columns.Labels("pe")[i]);
            Assert.Equal(table.Rows[i][5], columns.Labels("reason")[i]);
            Assert.Equal(table.IsValid(table.Rows[i]), columns.IsValid(i));
        }
        Assert.Equal(new[] { "a,b", "c", "é" }, columns.Labels("workload").Levels);
        // only what was asked for is kept
        Assert.Throws<InvalidOperationException>(() => columns.Numbers("workload"));
        Assert.Contains("did you mean 'latency_s'", Assert.Throws<Arch.MantissaException>(() => columns.Numbers("latencyx_s")).Message);
    }

    [Fact]
    public void RecordsAcrossReadBufferBoundariesHoldTheSameCells()
    {
        // ~400 KB: records (some quoted with newlines inside, some CRLF) straddle the reader's 64 KiB reads at many offsets
        using var dir = new TempSweepDir();
        string path = dir.Sub("points.csv");
        var rng = new Random(3);
        var text = new StringBuilder("point,workload,status,latency_s,pe,reason\n");
        for (int i = 0; i < 6000; i++)
        {
            string pe = rng.Next(4) switch { 0 => "\"q,\"\"x\"\"\ny\"", 1 => "int_mac", 2 => "", _ => new string('p', rng.Next(1, 90)) };
            text.Append(CultureInfo.InvariantCulture, $"{i},w{rng.Next(3)},{(rng.Next(5) == 0 ? "invalid" : "valid")},{rng.NextDouble()},{pe},{(rng.Next(3) == 0 ? "\"r,\"" : "")}")
                .Append(rng.Next(2) == 0 ? "\r\n" : "\n");
        }
        File.WriteAllText(path, text.ToString());
        var table = PointsCsv.Read(path, repair: false, out _);
        using var columns = PointsColumns.Read(path, new[] { "latency_s" }, new[] { "workload", "pe" });
        Assert.Equal(6000, columns.Count);
        for (int i = 0; i < table.Rows.Count; i++)
        {
            Assert.Equal(table.Rows[i], columns.Row(i));
            Assert.Equal(ResultTable.Number(table.Rows[i][3]), columns.Numbers("latency_s")[i]);
            Assert.Equal(table.Rows[i][4], columns.Labels("pe")[i]);
        }
    }

    [Fact]
    public void ARecordWithTheWrongNumberOfFieldsNamesTheFileAndRecord()
    {
        using var dir = new TempSweepDir();
        string path = dir.Sub("points.csv");
        File.WriteAllText(path, "point,latency_s\n0,1\n1,2,3\n");
        var e = Assert.Throws<Arch.MantissaException>(() => PointsColumns.Read(path, new[] { "latency_s" }, Array.Empty<string>()));
        Assert.Equal($"{path}: record 3 has 3 fields, the header has 2", e.Message);
    }

    [Fact]
    public void MemoryDoesNotGrowWithCellsThatAreNotRead()
    {
        // 4,000 rows with a 20 KB cell each (80 MB of text, 160 MB as strings): the reader allocates a few buffers and
        // keeps a number, a label code and a position per row
        using var dir = new TempSweepDir();
        string path = dir.Sub("points.csv");
        using (var w = new StreamWriter(path, false, new UTF8Encoding(false)))
        {
            w.Write("point,workload,status,latency_s,blob\n");
            string blob = new('x', 20_000);
            for (int i = 0; i < 4000; i++) w.Write($"{i},w,valid,{i + 1},{blob}\n");
        }
        long before = GC.GetAllocatedBytesForCurrentThread();
        using var columns = PointsColumns.Read(path, new[] { "latency_s" }, new[] { "workload" });
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(4000, columns.Count);
        Assert.InRange(allocated, 0, 2_000_000);
        Assert.Equal(4000.0, columns.Numbers("latency_s")[3999]);
        Assert.Equal(20_000, columns.Row(3999)[4].Length); // the cell is still there, read back on demand
    }

    [Theory]
    [InlineData(2, 11)]
    [InlineData(3, 12)]
    [InlineData(4, 13)]
    public void FrontsPerWorkloadMatchBruteForce(int objectives, int seed)
    {
        var rng = new Random(seed);
        var metrics = new[] { "latency_s", "energy_pj", "area_mm2", "tokens_per_s" }.Take(objectives).ToArray();
        var goals = metrics.Select(m => m == "tokens_per_s" ? Goal.Max : Goal.Min).ToArray();
        var header = new[] { "point", "workload", "key", "status", "reason" }.Concat(metrics).ToArray();
        var rows = new List<string[]>();
        for (int i = 0; i < 600; i++)
        {
            // few levels: ties and duplicates; some invalid rows and some empty (unreported) cells
            var cells = metrics.Select(_ => rng.Next(20) == 0 ? "" : rng.Next(7).ToString(CultureInfo.InvariantCulture));
            rows.Add(new[] { i.ToString(CultureInfo.InvariantCulture), rng.Next(3) == 0 ? "w1" : "w0", "k" + i, rng.Next(10) == 0 ? "invalid" : "valid", "" }
                .Concat(cells).ToArray());
        }
        var table = new ResultTable(header, rows);
        var objs = metrics.Select((m, k) => new Objective(m, goals[k])).ToList();
        foreach (var f in ParetoAnalysis.Fronts(table, objs))
        {
            var candidates = rows.Where(r => r[3] == "valid" && r[1] == f.Workload && metrics.All(m => r[Array.IndexOf(header, m)].Length > 0)).ToList();
            double[] V(string[] r) => metrics.Select((m, k) => objs[k].Minimised(double.Parse(r[Array.IndexOf(header, m)], CultureInfo.InvariantCulture))).ToArray();
            bool Dominates(double[] a, double[] b) => a.Zip(b).All(p => p.First <= p.Second) && a.Zip(b).Any(p => p.First < p.Second);
            var brute = candidates.Where(r => !candidates.Any(q => Dominates(V(q), V(r)))).Select(r => r[0]).OrderBy(x => x, StringComparer.Ordinal);
            Assert.Equal(brute, f.Members.Select(m => m.Row[0]).OrderBy(x => x, StringComparer.Ordinal));
            Assert.Equal(rows.Count(r => r[3] == "valid" && r[1] == f.Workload), f.ValidRows);
            Assert.Equal(f.Members.Select(m => m.Row), f.MemberRows.Select(i => rows[i]));
        }
    }

    [Fact]
    public void ReportRewritesWhatTheSweepWroteByteForByte()
    {
        using var dir = new TempSweepDir();
        string outDir = dir.Sub("out");
        var backend = new EvaluatorBackend(SweepValidation.None, _ => new FakeEvaluator());
        var sweep = new SweepCommand(backend);
        Assert.Equal(0, sweep.Run(ParsedArgs.Parse(sweep.Spec, new[] { dir.Sweep(TempSweepDir.Basic), "--out", outDir, "--format", "svg,parquet" }), Quiet));
        var files = new[] { "pareto.csv", "index.html", "points.parquet" }.Concat(Directory.GetFiles(Path.Combine(outDir, "plots")).Select(f => Path.Combine("plots", Path.GetFileName(f)))).ToList();
        var first = files.ToDictionary(f => f, f => File.ReadAllBytes(Path.Combine(outDir, f)));
        foreach (var f in files) File.Delete(Path.Combine(outDir, f));

        var report = new ReportCommand(backend);
        Assert.Equal(0, report.Run(ParsedArgs.Parse(report.Spec, new[] { outDir, "--format", "svg,parquet" }), Quiet));
        foreach (var f in files) Assert.True(first[f].AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(outDir, f))), f);
    }

    [Fact]
    public void ReportNamesAFolderThatIsNotAResultsFolder()
    {
        using var dir = new TempSweepDir();
        var report = new ReportCommand();
        var e = Assert.Throws<Arch.MantissaException>(() => report.Run(ParsedArgs.Parse(report.Spec, new[] { dir.Path }), Quiet));
        Assert.Contains("is not a sweep results folder", e.Message);
    }
}
