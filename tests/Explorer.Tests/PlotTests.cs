using System.Xml.Linq;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Plot;
using Mantissa.Explorer.Report;
using Mantissa.Explorer.Sweep;
using SkiaSharp;

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

    [Theory]
    [InlineData(1e-6, "10⁻⁶")]
    [InlineData(1e-3, "0.001")]
    [InlineData(0.1, "0.1")]
    [InlineData(1000, "1000")]
    [InlineData(1e10, "10¹⁰")]
    public void LogTicksReadAsDecimalsOrPowersOfTen(double value, string expected) => Assert.Equal(expected, Figure.LogLabel(value));

    private static readonly XNamespace Svg = "http://www.w3.org/2000/svg";

    private static string RunSweep(TempSweepDir dir, string name, params string[] extra)
    {
        string outDir = dir.Sub(name);
        var command = new SweepCommand(new EvaluatorBackend(SweepValidation.None, _ => new FakeEvaluator()));
        int code = command.Run(ParsedArgs.Parse(command.Spec, new[] { dir.Sweep(TempSweepDir.Basic), "--out", outDir }.Concat(extra).ToArray()),
                               new CommandIO(TextReader.Null, TextWriter.Null, TextWriter.Null));
        Assert.Equal(0, code);
        return outDir;
    }

    /// <summary>Pixels that are not white, and distinct colours, of a decoded PNG.</summary>
    private static (int width, int height, double inked, int colours) Decode(string png)
    {
        using var bmp = SKBitmap.Decode(png);
        Assert.NotNull(bmp);
        int inked = 0;
        var colours = new HashSet<uint>();
        for (int y = 0; y < bmp.Height; y += 2)
        for (int x = 0; x < bmp.Width; x += 2)
        {
            var c = bmp.GetPixel(x, y);
            if (c.Red < 240 || c.Green < 240 || c.Blue < 240) inked++;
            colours.Add((uint)c);
        }
        return (bmp.Width, bmp.Height, inked / (bmp.Width / 2.0 * bmp.Height / 2.0), colours.Count);
    }

    [Fact]
    public void SweepWritesEveryPlotAsADecodablePngAndAnSvg()
    {
        using var dir = new TempSweepDir();
        string outDir = RunSweep(dir, "out");
        var pngs = Directory.GetFiles(Path.Combine(outDir, "plots"), "*.png");
        var svgs = Directory.GetFiles(Path.Combine(outDir, "plots"), "*.svg");
        // 3 objective pairs + 2 breakdowns + roofline, per workload; each as PNG and SVG
        Assert.Equal(2 * (3 + 2 + 1), pngs.Length);
        Assert.Equal(pngs.Select(Path.GetFileNameWithoutExtension).OrderBy(x => x), svgs.Select(Path.GetFileNameWithoutExtension).OrderBy(x => x));
        foreach (var png in pngs)
        {
            var (w, h, inked, colours) = Decode(png);
            Assert.Equal((990, 750), (w, h)); // 3.3 x 2.5 in at 300 dpi
            Assert.InRange(inked, 0.02, 0.6);  // drawn, not blank, not a solid block
            Assert.True(colours >= 8, $"{png}: {colours} colours");
        }
        foreach (var svg in svgs)
        {
            var root = XDocument.Parse(File.ReadAllText(svg)).Root!;
            Assert.Equal(Svg + "svg", root.Name);
            Assert.Equal("3.3in", (string?)root.Attribute("width"));
            Assert.Equal("0 0 990 750", (string?)root.Attribute("viewBox"));
            Assert.All(root.Descendants(Svg + "text"), t => Assert.Equal(FigureFont.Family, (string?)t.Attribute("font-family")));
        }
        var texts = XDocument.Parse(File.ReadAllText(svgs.First(f => f.EndsWith("latency_s-vs-energy_pj.svg")))).Descendants(Svg + "text").Select(t => t.Value.Trim()).ToList();
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^latency \((s|ms|µs|ns)\)$"));
        Assert.Contains(texts, t => System.Text.RegularExpressions.Regex.IsMatch(t, @"^energy \((J|mJ|µJ|nJ|pJ)\)$"));
        Assert.Contains("Energy vs latency", texts);
        Assert.Contains("int_mac", texts);
        Assert.Contains("lut", texts);
        Assert.Contains(texts, t => t.StartsWith("2-D front (", StringComparison.Ordinal));

        string html = File.ReadAllText(Path.Combine(outDir, "index.html"));
        Assert.DoesNotContain("http://", html);
        Assert.DoesNotContain("https://", html);
        Assert.Equal(pngs.Length, System.Text.RegularExpressions.Regex.Matches(html, "<img alt=\"[^\"]*\" src=\"plots/[^\"]*\\.png\">").Count);
        Assert.True(html.Length < 100_000, $"index.html is {html.Length} characters");
        Assert.Contains("class=\"sortable\"", html);
    }

    [Fact]
    public void FiguresAreByteIdenticalAcrossRuns()
    {
        using var dir = new TempSweepDir();
        string a = RunSweep(dir, "a"), b = RunSweep(dir, "b", "--size", "page");
        string c = RunSweep(dir, "c", "--size", "page");
        foreach (var f in Directory.GetFiles(Path.Combine(b, "plots")))
            Assert.True(File.ReadAllBytes(f).AsSpan().SequenceEqual(File.ReadAllBytes(Path.Combine(c, "plots", Path.GetFileName(f)))), f);
        // the page size is another figure: 6.9 x 3.6 in
        var (w, h, _, _) = Decode(Directory.GetFiles(Path.Combine(b, "plots"), "*.png")[0]);
        Assert.Equal((2070, 1080), (w, h));
        Assert.NotEqual(File.ReadAllBytes(Directory.GetFiles(Path.Combine(a, "plots"), "*.png")[0]), File.ReadAllBytes(Directory.GetFiles(Path.Combine(b, "plots"), "*.png")[0]));
    }

    [Fact]
    public void FormatOptionChoosesTheFiles()
    {
        using var dir = new TempSweepDir();
        string outDir = RunSweep(dir, "out", "--format", "png");
        Assert.Empty(Directory.GetFiles(Path.Combine(outDir, "plots"), "*.svg"));
        Assert.Equal(12, Directory.GetFiles(Path.Combine(outDir, "plots"), "*.png").Length);
        // with SVG files only, the report embeds the PNGs so it still shows every figure
        string svgOnly = RunSweep(dir, "svg", "--format", "svg");
        Assert.Empty(Directory.GetFiles(Path.Combine(svgOnly, "plots"), "*.png"));
        Assert.Equal(12, System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(Path.Combine(svgOnly, "index.html")), "src=\"data:image/png;base64,").Count);
        Assert.Throws<UsageException>(() => ImageFormatList.Parse("png,jpg"));
    }

    [Theory]
    [InlineData("column", 3.3, 2.5)]
    [InlineData("page", 6.9, 3.6)]
    [InlineData("5x3.2", 5, 3.2)]
    [InlineData("4x3in", 4, 3)]
    public void FigureSizesParse(string text, double w, double h) => Assert.Equal(new FigureSize(w, h), FigureSize.Parse(text));

    [Theory]
    [InlineData("huge")]
    [InlineData("1x1")]
    [InlineData("5x")]
    public void BadFigureSizesAreUsageErrors(string text) =>
        Assert.Contains("--size expects column, page or WxH", Assert.Throws<UsageException>(() => FigureSize.Parse(text)).Message);

    private static ResultTable Table(IEnumerable<(double x, double y, string kind)> points) =>
        new(new[] { "point", "latency_s", "energy_pj", "pe_kind" },
            points.Select((p, i) => new[] { i.ToString(), p.x.ToString("R"), p.y.ToString("R"), p.kind }).ToList());

    [Fact]
    public void FrontDesignsAreTheTwoDimensionalFrontOfThePlottedPair()
    {
        // (1,5) (2,3) (4,1) are the front; (3,4) (5,5) (4,2) are dominated
        var t = Table(new[] { (1.0, 5.0, "a"), (2.0, 3.0, "b"), (4.0, 1.0, "a"), (3.0, 4.0, "b"), (5.0, 5.0, "a"), (4.0, 2.0, "b") });
        var p = ParetoPlot.Build(t, t.Rows, "latency_s", "energy_pj", new ParetoPlotOptions { ColorBy = "pe_kind", SweepFront = (3, 5) });
        Assert.Equal(new[] { "0", "1", "2" }, p.Front.Select(r => r[0]));
        Assert.Equal(6, p.Markers);
        Assert.Equal("5 on the 3-objective front,\n3 on this 2-D front", p.Note);
        Assert.True(p.Labelled >= 1);
        // maximising y flips which designs are on the front
        var q = ParetoPlot.Build(t, t.Rows, "latency_s", "energy_pj", new ParetoPlotOptions { YGoal = Goal.Max });
        Assert.Equal(new[] { "0" }, q.Front.Select(r => r[0]));
        Assert.Null(q.Note);
    }

    [Fact]
    public void TwoDimensionalFrontAgreesWithTheGeneralSort()
    {
        var rng = new Random(3);
        // coarse values so ties and duplicates occur
        var pts = Enumerable.Range(0, 2000).Select(_ => ((double)rng.Next(40), (double)rng.Next(40))).ToList();
        var expected = Pareto.ParetoSort.Front(pts.Select(p => new[] { p.Item1, p.Item2 }).ToList());
        Assert.Equal(expected, ParetoPlot.Front2D(pts).OrderBy(i => i));
    }

    [Fact]
    public void LargeSweepsDrawABoundedNumberOfMarkers()
    {
        var rng = new Random(7);
        var pts = Enumerable.Range(0, ParetoPlot.DensityAbove).Select(i => (1 + rng.NextDouble() * 9, 1 + rng.NextDouble() * 9, i % 3 == 0 ? "a" : "b")).ToList();
        var t = Table(pts);
        var p = ParetoPlot.Build(t, t.Rows, "latency_s", "energy_pj", new ParetoPlotOptions { ColorBy = "pe_kind" });
        Assert.Equal(ParetoPlot.DensityAbove, p.Designs);
        Assert.Equal(0, p.DensityCells);
        Assert.InRange(p.Markers, 1000, 2 * ParetoPlot.Cells * ParetoPlot.Cells + p.Front.Count);
        Assert.True(p.Markers < p.Designs);
    }

    [Fact]
    public void AboveTheThresholdDominatedDesignsAreADensity()
    {
        var rng = new Random(7);
        // all designs in the lower-left quarter of the data range except the two that stretch the axes
        var pts = Enumerable.Range(0, 300_000).Select(i => (1 + rng.NextDouble() * 4, 1 + rng.NextDouble() * 4, i % 3 == 0 ? "a" : "b"))
                            .Append((10.0, 0.5, "a")).Append((0.5, 10.0, "b")).ToList();
        var t = Table(pts);
        var p = ParetoPlot.Build(t, t.Rows, "latency_s", "energy_pj", new ParetoPlotOptions { ColorBy = "pe_kind" });
        Assert.Equal(300_002, p.Designs);
        // markers are the front only; the dominated designs fill the cells of [1, 5]² and no others
        Assert.Equal(p.Front.Count, p.Markers);
        var cols = Enumerable.Range(0, ParetoPlot.DensityColumns).Count(c => Covered(p.Figure.X, c, ParetoPlot.DensityColumns));
        var rows = Enumerable.Range(0, ParetoPlot.DensityRows).Count(r => Covered(p.Figure.Y, r, ParetoPlot.DensityRows));
        Assert.Equal(cols * rows, p.DensityCells);
        Assert.Contains("<image", p.Figure.Svg());
        Assert.True(p.Figure.Png().Length < 1_000_000);
    }

    // whether designs uniform on [1, 5] reach cell k of n along an axis (cells of the axis fraction [k/n, (k+1)/n))
    private static bool Covered(Axis a, int k, int n) => a.Fraction(5) > (double)k / n && a.Fraction(1) < (k + 1.0) / n;

    [Theory]
    [InlineData("energy_pj", new[] { 1e11, 3e11 }, 1e-9, "energy (mJ)")]
    [InlineData("energy_pj", new[] { 2e12, 5e9 }, 1e-12, "energy (J)")]
    [InlineData("energy_pj", new[] { 999.0, 5 }, 1.0, "energy (pJ)")]
    [InlineData("energy_pj", new[] { 1e6, 2e7 }, 1e-6, "energy (µJ)")]
    [InlineData("latency_s", new[] { 4.5e-4, 2e-5 }, 1e6, "latency (µs)")]
    [InlineData("latency_s", new[] { 0.0943, 0.45 }, 1e3, "latency (ms)")]
    [InlineData("latency_s", new[] { 12.0 }, 1.0, "latency (s)")]
    [InlineData("latency_s", new[] { 3e-11 }, 1e9, "latency (ns)")]
    [InlineData("power_w", new[] { 0.02, 0.5 }, 1e3, "power (mW)")]
    [InlineData("area_mm2", new[] { 3e-11 }, 1.0, "area (mm²)")]
    public void AxesPickAReadablePrefix(string metric, double[] values, double scale, string label)
    {
        var u = DisplayUnit.For(metric, values);
        Assert.Equal(label, u.AxisLabel);
        Assert.Equal(scale, u.Scale, 1e-9 * scale);
    }

    [Fact]
    public void ScatterAxesShowEnergyInMillijoules()
    {
        var t = Table(new[] { (0.0943, 3e11, "a"), (0.45, 1.2e11, "a") });
        var p = ParetoPlot.Build(t, t.Rows, "latency_s", "energy_pj");
        Assert.Equal(("latency (ms)", "energy (mJ)"), (p.Figure.XLabel, p.Figure.YLabel));
        Assert.Equal(300.0, p.Figure.Y.Max, 1e-9);
        Assert.InRange(p.Figure.X.Max, 450.0, 500.0);
        var texts = XDocument.Parse(p.Figure.Svg()).Descendants(Svg + "text").Select(t => t.Value.Trim()).ToList();
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

    [Theory]
    [InlineData(300123456.0, "3.001e8")]
    [InlineData(299.98765, "300.0")]
    [InlineData(1234.5678, "1235")]
    [InlineData(12.345678, "12.35")]
    [InlineData(0.0043216, "0.004322")]
    [InlineData(3.2e-7, "3.2e-7")]
    public void ReportNumbersKeepFourSignificantDigits(double v, string expected) => Assert.Equal(expected, HtmlReport.Significant(v));

    [Fact]
    public void ReportShowsAPeBlockOnOneLine()
    {
        Assert.Equal("lut int2×fp16 →fp32 g=4 group_size=128",
            HtmlReport.Compact("{kind: lut, weights: int2, activations: fp16, accumulator: fp32, g: 4, group_size: 128}"));
        Assert.Equal("int_mac int8×int8", HtmlReport.Compact("kind: int_mac\nweights: int8\nactivations: int8\n"));
        Assert.Equal("64", HtmlReport.Compact("64"));
    }

    [Fact]
    public void ParetoCommandWritesTheFormatItsOutputNames()
    {
        using var dir = new TempSweepDir();
        string outDir = RunSweep(dir, "out");
        string csv = Path.Combine(outDir, "points.csv");
        var (code, _, err) = CliTests.Run("pareto", csv, "--x", "area_mm2", "--y", "tokens_per_s");
        Assert.Equal(2, code);
        Assert.Contains("choose one with --workload", err);
        const string w = "llama-2-7b/decode/b1/kv2048/w4a16g128";
        string png = dir.Sub("p.png");
        var (code2, output, err2) = CliTests.Run("pareto", csv, "--x", "area", "--y", "tokens_per_s", "--workload", w, "--color", "array.rows", "--out", png);
        Assert.Equal("", err2);
        Assert.Equal(0, code2);
        Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, File.ReadAllBytes(png)[..4]);
        Assert.False(File.Exists(dir.Sub("p.svg")));
        Assert.Contains("area_mm2 (min) / tokens_per_s (max) front", output);
        var (code3, _, _) = CliTests.Run("pareto", csv, "--x", "area", "--y", "tokens_per_s", "--workload", w, "--out", dir.Sub("both"));
        Assert.Equal(0, code3);
        Assert.True(File.Exists(dir.Sub("both.png")) && File.Exists(dir.Sub("both.svg")));
        var (code4, _, err4) = CliTests.Run("pareto", csv, "--x", "area", "--y", "tokens_per_s", "--workload", w, "--out", dir.Sub("x.png"), "--format", "svg");
        Assert.Equal(2, code4);
        Assert.Contains("names a png file but --format asks for svg", err4);
        var (code5, _, err5) = CliTests.Run("pareto", csv, "--x", "area_mm", "--y", "latency_s", "--workload", "x");
        Assert.Equal(1, code5);
        Assert.Contains("no column 'area_mm'; did you mean 'area_mm2'?", err5);
    }

    [Fact]
    public void Figures_name_metrics_by_their_catalog_display_name()
    {
        foreach (var m in MetricCatalog.All)
        {
            Assert.Equal(m.Display, MetricDisplay.Name(m.Name));
            foreach (var alias in m.Aliases) Assert.Equal(m.Display, MetricDisplay.Name(alias));
        }
        Assert.Equal("Weight SQNR", MetricDisplay.Title("quant_sqnr_db"));
        Assert.Equal("pe kind", MetricDisplay.Name("pe_kind")); // a column that is no metric
    }
}
