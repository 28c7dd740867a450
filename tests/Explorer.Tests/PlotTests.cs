using System.Xml.Linq;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

public class PlotTests
{
    [Theory]
    [InlineData(9.96e8, "1e9")]
    [InlineData(9.94e8, "9.9e8")]
    [InlineData(1.5e-4, "1.5e-4")]
    [InlineData(-2e6, "-2e6")]
    [InlineData(120, "120")]
    public void TickLabelsCarryARoundedMantissaIntoTheExponent(double value, string expected) =>
        Assert.Equal(expected, Axis.Label(value));

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    [Fact]
    public void SweepPlotsAreWellFormedWithOneMarkerPerValidRow()
    {
        using var dir = new TempSweepDir();
        string outDir = dir.Sub("out");
        var command = new SweepCommand(new EvaluatorBackend(SweepValidation.None, _ => new FakeEvaluator()));
        command.Run(ParsedArgs.Parse(command.Spec, new[] { dir.Sweep(TempSweepDir.Basic), "--out", outDir }), new CommandIO(TextReader.Null, TextWriter.Null, TextWriter.Null));
        var table = PointsCsv.Read(Path.Combine(outDir, "points.csv"), false, out _);
        var files = Directory.GetFiles(Path.Combine(outDir, "plots"), "*.svg");
        // 3 objective pairs + 2 breakdowns + roofline, per workload
        Assert.Equal(2 * (3 + 2 + 1), files.Length);
        foreach (var w in table.Rows.Select(r => r[1]).Distinct())
        {
            int valid = table.Rows.Count(r => r[1] == w && r[3] == "valid");
            string slug = Report.SweepArtifacts.Slug(w);
            foreach (var pair in new[] { "latency_s-vs-energy_pj", "latency_s-vs-area_mm2", "energy_pj-vs-area_mm2" })
            {
                var doc = XDocument.Parse(File.ReadAllText(Path.Combine(outDir, "plots", $"{slug}--{pair}.svg")));
                Assert.Equal(valid, doc.Descendants(Svg + "circle").Count(c => (string?)c.Attribute("class") == "pt"));
                Assert.Single(doc.Descendants(Svg + "polyline"));
                var legend = doc.Descendants(Svg + "text").Select(t => t.Value).ToList();
                Assert.Contains("int_mac", legend);
                Assert.Contains("lut", legend);
                Assert.Contains("Pareto front", legend);
            }
            var bars = XDocument.Parse(File.ReadAllText(Path.Combine(outDir, "plots", $"{slug}--breakdown-energy.svg")));
            Assert.Equal(4, bars.Descendants(Svg + "rect").Count(c => (string?)c.Attribute("class") == "seg"));
            var roof = XDocument.Parse(File.ReadAllText(Path.Combine(outDir, "plots", $"{slug}--roofline.svg")));
            Assert.Equal(2, roof.Descendants(Svg + "circle").Count(c => (string?)c.Attribute("class") == "pt"));
        }
        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.DoesNotContain("http://", html.Replace("http://www.w3.org/2000/svg", ""));
        Assert.DoesNotContain("https://", html);
        Assert.Equal(files.Length, System.Text.RegularExpressions.Regex.Matches(html, "<svg xmlns").Count);
        var axes = XDocument.Parse(File.ReadAllText(files.First(f => f.EndsWith("latency_s-vs-energy_pj.svg")))).Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains(axes, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^latency \((s|ms|µs|ns)\)"));
        Assert.Contains(axes, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^energy \((J|mJ|µJ|nJ|pJ)\)"));
        Assert.DoesNotContain(axes, t => t.StartsWith("energy_pj ("));
    }

    [Fact]
    public void MarkersWithIdenticalCoordinatesStayVisibleAndCounted()
    {
        var plot = new SvgPlot("t", "x", "y", Axis.Fit(new[] { 0.0, 10 }), Axis.Fit(new[] { 0.0, 10 }));
        // three designs at (5, 5) across two series, two at (2, 8), one alone at (9, 1)
        plot.Scatter(new[] { (5.0, 5.0), (5.0, 5.0), (2.0, 8.0), (9.0, 1.0) }, "#f00", "a", new[] { "p0", "p1", "p2", "p3" });
        plot.Scatter(new[] { (5.0, 5.0), (2.0, 8.0) }, "#00f", "b");
        var doc = XDocument.Parse(plot.ToSvg());
        var markers = doc.Descendants(Svg + "circle").Where(c => (string?)c.Attribute("class") == "pt")
                         .Select(c => ((string?)c.Attribute("cx"), (string?)c.Attribute("cy"))).ToList();
        Assert.Equal(6, plot.PointCount);
        Assert.Equal(6, markers.Count);
        Assert.Equal(6, markers.Distinct().Count());
        Assert.Equal(2, plot.StackCount);
        var counts = doc.Descendants(Svg + "text").Where(t => (string?)t.Attribute("class") == "stack").Select(t => t.Value).OrderBy(v => v);
        Assert.Equal(new[] { "×2", "×3" }, counts);
        // the first marker of a stack keeps its true position; the lone point is untouched
        Assert.Contains(markers, m => m == (SvgPlot.F(78 + 0.5 * (760 - 78 - 170)), SvgPlot.F(480 - 56 - 0.5 * (480 - 40 - 56))));
        Assert.Equal(plot.ToSvg(), plot.ToSvg());
    }

    [Theory]
    [InlineData("energy_pj", new[] { 1e11, 3e11 }, 1e-9, "energy (mJ)")]
    [InlineData("energy_pj", new[] { 2e12, 5e9 }, 1e-12, "energy (J)")]
    [InlineData("energy_pj", new[] { 999.0, 5 }, 1.0, "energy (pJ)")]
    [InlineData("energy_pj", new[] { 1e6, 2e7 }, 1e-6, "energy (µJ)")]
    [InlineData("latency_s", new[] { 4.5e-4, 2e-5 }, 1e6, "latency (µs)")]
    [InlineData("latency_s", new[] { 0.0943, 0.45 }, 1e3, "latency (ms)")]
    [InlineData("latency_s", new[] { 12.0 }, 1.0, "latency (s)")]
    [InlineData("latency_s", new[] { 3e-11 }, 1e9, "latency (ns)")]
    [InlineData("area_mm2", new[] { 3e-11 }, 1.0, "area_mm2 (mm²)")]
    public void EnergyAndLatencyAxesPickAReadablePrefix(string metric, double[] values, double scale, string label)
    {
        var u = DisplayUnit.For(metric, values);
        Assert.Equal(label, u.AxisLabel);
        Assert.Equal(scale, u.Scale, 1e-9 * scale);
    }

    [Fact]
    public void ScatterAxesShowEnergyInMillijoules()
    {
        var table = new ResultTable(new[] { "point", "latency_s", "energy_pj" },
            new List<string[]> { new[] { "0", "0.0943", "3e11" }, new[] { "1", "0.45", "1.2e11" } });
        var plot = ParetoPlot.Build(table, table.Rows, "latency_s", "energy_pj", null);
        Assert.Equal(("latency (ms)", "energy (mJ)"), (plot.XLabel, plot.YLabel));
        Assert.Equal(300.0, plot.Y.Max, 1e-9);
        Assert.InRange(plot.X.Max, 450.0, 500.0);
        var texts = XDocument.Parse(plot.ToSvg()).Descendants(Svg + "text").Select(t => t.Value).ToList();
        Assert.Contains("300", texts);
        Assert.DoesNotContain("3e11", texts);
    }

    [Fact]
    public void AxesGoLogarithmicOnlyAcrossDecades()
    {
        Assert.True(Axis.Fit(new[] { 1e-6, 3e-3 }).Log);
        Assert.False(Axis.Fit(new[] { 2.0, 30 }).Log);
        Assert.False(Axis.Fit(new[] { -1.0, 1e6 }).Log);
        var log = Axis.Fit(new[] { 2e-6, 3e-3 });
        Assert.Equal(new[] { 1e-6, 1e-5, 1e-4, 1e-3, 1e-2 }, log.Ticks().Select(t => Math.Round(t, 12)));
        var lin = Axis.Fit(new[] { 0.3, 11.7 });
        Assert.Equal(0, lin.Min);
        Assert.Equal(12, lin.Max);
        Assert.Equal(new[] { 0.0, 2, 4, 6, 8, 10, 12 }, lin.Ticks());
    }

    [Fact]
    public void FrontierStepsRunHorizontalFirstWhenXIsMinimised()
    {
        var front = new List<(double, double)> { (1, 3), (2, 2), (4, 1) };
        Assert.Equal(new List<(double, double)> { (1, 3), (2, 3), (2, 2), (4, 2), (4, 1) }, ParetoPlot.Steps(front, Goal.Min));
        Assert.Equal(new List<(double, double)> { (1, 3), (1, 2), (2, 2), (2, 1), (4, 1) }, ParetoPlot.Steps(front, Goal.Max));
    }

    [Fact]
    public void ParetoCommandReplotsAResultsFile()
    {
        using var dir = new TempSweepDir();
        string outDir = dir.Sub("out");
        var sweep = new SweepCommand(new EvaluatorBackend(SweepValidation.None, _ => new FakeEvaluator()));
        sweep.Run(ParsedArgs.Parse(sweep.Spec, new[] { dir.Sweep(TempSweepDir.Basic), "--out", outDir }), new CommandIO(TextReader.Null, TextWriter.Null, TextWriter.Null));
        string csv = Path.Combine(outDir, "points.csv");
        var (code, _, err) = CliTests.Run("pareto", csv, "--x", "area_mm2", "--y", "tokens_per_s");
        Assert.Equal(2, code);
        Assert.Contains("choose one with --workload", err);
        string svg = dir.Sub("p.svg");
        var (code2, output, err2) = CliTests.Run("pareto", csv, "--x", "area", "--y", "tokens_per_s", "--workload", "llama-2-7b/decode/b1/kv2048/w4a16g128", "--color", "array.rows", "--out", svg);
        Assert.Equal("", err2);
        Assert.Equal(0, code2);
        var doc = XDocument.Parse(File.ReadAllText(svg));
        var table = PointsCsv.Read(csv, false, out _);
        int valid = table.Rows.Count(r => r[1].StartsWith("llama") && r[3] == "valid");
        Assert.Equal(valid, doc.Descendants(Svg + "circle").Count(c => (string?)c.Attribute("class") == "pt"));
        Assert.Contains($"wrote", output);
        Assert.Contains("area_mm2 (min) / tokens_per_s (max) front", output);
        var (code3, _, err3) = CliTests.Run("pareto", csv, "--x", "area_mm", "--y", "latency_s", "--workload", "x");
        Assert.Equal(1, code3);
        Assert.Contains("no column 'area_mm'; did you mean 'area_mm2'?", err3);
    }
}
