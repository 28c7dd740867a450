using System.Text.Json;
using Mantissa.Arch;
using Mantissa.Explorer.Reproduce;

namespace Mantissa.Explorer.Tests;

/// <summary>
/// The bundled reproductions: every figure within its band of the paper unless the experiment file explains the
/// miss (and then it must still miss, so a fixed component forces the note out), every stated ordering holding, and
/// the docs naming every known miss.
/// </summary>
public class ReproduceTests
{
    private static readonly string Root = ExperimentCatalog.Root(AppContext.BaseDirectory);

    public static TheoryData<string> Experiments()
    {
        var d = new TheoryData<string>();
        foreach (var n in ExperimentCatalog.Names(Root)) d.Add(n);
        return d;
    }

    private static readonly Dictionary<string, ExperimentResult> Cache = new();

    private static ExperimentResult Run(string name)
    {
        lock (Cache)
        {
            if (!Cache.TryGetValue(name, out var r))
                Cache[name] = r = new ExperimentRunner(ExperimentParser.Load(ExperimentCatalog.PathOf(Root, name))).Run();
            return r;
        }
    }

    [Fact]
    public void TheIssuesPapersAreAllCovered()
    {
        var names = ExperimentCatalog.Names(Root);
        foreach (var n in new[] { "bitmod", "mixpe", "lut-tensor-core", "xr-npe", "flightllm", "fp8-vs-int8", "fpga-minifloat" })
            Assert.Contains(n, names);
    }

    [Theory]
    [MemberData(nameof(Experiments))]
    public void EveryFigureIsWithinItsBandOrAnExplainedMiss(string name)
    {
        var r = Run(name);
        foreach (var f in r.Figures)
        {
            if (f.Verdict == FigureVerdict.NotModelled) { Assert.NotNull(f.Spec.NotModelled); continue; }
            Assert.NotNull(f.Model);
            // A zero is a real model value only as an explained miss (FlightLLM's BRAM: the model places no buffer on BRAM).
            Assert.True(double.IsFinite(f.Model!.Value) && (f.Model > 0 || f.Model == 0 && f.Spec.KnownMiss is not null),
                $"{name}/{f.Spec.Id}: model value {f.Model}");
            if (f.Verdict == FigureVerdict.Input) continue;
            if (f.Spec.KnownMiss is null)
                Assert.True(f.Verdict == FigureVerdict.Match,
                    $"{name}/{f.Spec.Id}: model {f.Model} vs paper {f.Spec.Paper} is beyond ±{f.Spec.Band:P0}; explain it (known_miss) or fix the model");
            else
                Assert.True(f.Verdict == FigureVerdict.Miss,
                    $"{name}/{f.Spec.Id}: now within band (model {f.Model}, paper {f.Spec.Paper}); remove its known_miss and update docs/reproductions.md");
        }
    }

    [Theory]
    [MemberData(nameof(Experiments))]
    public void EveryStatedOrderingHolds(string name)
    {
        foreach (var o in Run(name).Orderings)
            Assert.True(o.Holds == (o.Spec.KnownFail is null),
                $"{name}: '{o.Spec.What}' {(o.Holds ? "holds" : "fails")} ({string.Join(" < ", o.Spec.Order.Zip(o.Values).Select(p => $"{p.First} {p.Second:G4}"))})");
    }

    [Fact]
    public void TheHeadlineOrderingsOfTheIssueHold()
    {
        // Issue 18: BitMoD faster than ANT and OliVe; MixPE W4A8 faster and lower energy than INT8 and FP16.
        var bitmod = new ExperimentRunner(ExperimentParser.Load(ExperimentCatalog.PathOf(Root, "bitmod")));
        foreach (var baseline in new[] { "ant", "olive" })
            foreach (var w in new[] { "l2-pre", "l3-pre" })
                Assert.True(bitmod.Value($"bitmod-{w}", ReproMetric.LatencyS) < bitmod.Value($"{baseline}-{w}", ReproMetric.LatencyS), $"bitmod vs {baseline} {w}");
        var mixpe = new ExperimentRunner(ExperimentParser.Load(ExperimentCatalog.PathOf(Root, "mixpe")));
        foreach (var m in new[] { "opt", "llama" })
            foreach (var other in new[] { "int8", "fp16" })
                foreach (var metric in new[] { ReproMetric.LatencyS, ReproMetric.EnergyJ })
                    Assert.True(mixpe.Value($"w4a8-{m}", metric) < mixpe.Value($"{other}-{m}", metric), $"mixpe w4a8 vs {other} {m} {metric}");
    }

    [Fact]
    public void InputsEqualWhatTheFilesSet()
    {
        // Inputs are not reproductions, but they must still agree with the files (the MAC rates set by array and PE).
        foreach (var name in new[] { "bitmod", "mixpe" })
            foreach (var f in Run(name).Figures.Where(f => f.Verdict == FigureVerdict.Input))
                Assert.Equal(f.Spec.Paper, f.Model!.Value, 6);
    }

    [Fact]
    public void DocsExplainEveryKnownMiss()
    {
        string docs = File.ReadAllText(Path.Combine(Root, "..", "..", "docs", "reproductions.md"));
        foreach (var name in ExperimentCatalog.Names(Root))
        {
            var spec = ExperimentParser.Load(ExperimentCatalog.PathOf(Root, name));
            foreach (var f in spec.Figures.Where(f => f.KnownMiss is not null || f.NotModelled is not null))
                Assert.True(docs.Contains($"`{f.Id}`"), $"docs/reproductions.md does not discuss {name}/{f.Id}");
        }
    }

    [Fact]
    public void ListAndJsonAndCsv()
    {
        var (code, list, _) = CliTests.Run("reproduce", "--list");
        Assert.Equal(0, code);
        Assert.Contains("mixpe", list);
        Assert.Contains("10 figures", list);
        string dir = Path.Combine(Path.GetTempPath(), "mantissa-repro-" + Guid.NewGuid().ToString("N"));
        try
        {
            var (c2, json, err) = CliTests.Run("reproduce", "xr-npe", "fp8-vs-int8", "--json", "--out", dir);
            Assert.True(c2 == 0, err);
            using var doc = JsonDocument.Parse(json);
            var first = doc.RootElement[0];
            Assert.Equal("xr-npe", first.GetProperty("name").GetString());
            var area = first.GetProperty("figures")[0];
            Assert.Equal(16000, area.GetProperty("paper").GetDouble());
            Assert.Equal("MISS", area.GetProperty("verdict").GetString());
            Assert.Equal("not modelled", first.GetProperty("figures")[1].GetProperty("verdict").GetString());
            var csv = File.ReadAllLines(Path.Combine(dir, "fp8-vs-int8.csv"));
            Assert.StartsWith("experiment,kind,id,what,metric,paper,model,ratio,verdict", csv[0]);
            Assert.Contains(csv, l => l.StartsWith("fp8-vs-int8,figure,efficiency,") && l.Contains(",ok,"));
            Assert.Contains(csv, l => l.StartsWith("fp8-vs-int8,ordering,int8<fp8,") && l.Contains(",holds,"));
        }
        finally { if (Directory.Exists(dir)) Directory.Delete(dir, true); }
    }

    [Fact]
    public void EachExperimentGetsAPaperVsModelChartThatIsTheSameBytesEveryRun()
    {
        string dir1 = Path.Combine(Path.GetTempPath(), "mantissa-repro-plot-" + Guid.NewGuid().ToString("N"));
        string dir2 = dir1 + "-again";
        try
        {
            Assert.Equal(0, CliTests.Run("reproduce", "mixpe", "--out", dir1).code);
            Assert.Equal(0, CliTests.Run("reproduce", "mixpe", "--out", dir2).code);
            foreach (var ext in new[] { ".png", ".svg" })
                Assert.Equal(File.ReadAllBytes(Path.Combine(dir1, "mixpe" + ext)), File.ReadAllBytes(Path.Combine(dir2, "mixpe" + ext)));
            using var bmp = SkiaSharp.SKBitmap.Decode(Path.Combine(dir1, "mixpe.png"));
            Assert.NotNull(bmp);
            Assert.Equal((2070, 1080), (bmp.Width, bmp.Height));        // page size (6.9 × 3.6 in) at 300 dpi
            // Paper bars (Okabe–Ito blue), within-band bars (green) and missed bars (vermillion) are all drawn.
            var colours = new HashSet<uint>();
            for (int y = 0; y < bmp.Height; y += 3)
                for (int x = 0; x < bmp.Width; x += 3) colours.Add((uint)bmp.GetPixel(x, y));
            foreach (var hex in new[] { "#0072B2", "#009E73", "#D55E00" })
                Assert.Contains((uint)SkiaSharp.SKColor.Parse(hex), colours);
            var svg = System.Xml.Linq.XDocument.Load(Path.Combine(dir1, "mixpe.svg"));
            Assert.Contains("bitfusion-time-opt", svg.ToString());
            Assert.Equal("6.9in", svg.Root!.Attribute("width")!.Value);
        }
        finally
        {
            foreach (var d in new[] { dir1, dir2 }) if (Directory.Exists(d)) Directory.Delete(d, true);
        }
    }

    [Fact]
    public void UnknownExperimentSuggestsTheNearest()
    {
        var (code, _, err) = CliTests.Run("reproduce", "mixp");
        Assert.NotEqual(0, code);
        Assert.Contains("did you mean 'mixpe'", err);
    }

    [Fact]
    public void BadExperimentFilesNameFileLineAndKey()
    {
        string dir = Path.Combine(Path.GetTempPath(), "mantissa-exp-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            File.Copy(Path.Combine(Root, "fp8-vs-int8", "int8.yaml"), Path.Combine(dir, "int8.yaml"));
            string path = Path.Combine(dir, "experiment.yaml");
            File.WriteAllText(path, """
                name: bad
                title: t
                paper: p
                runs:
                  - {id: a, design: int8.yaml}
                  - {id: b, design: nope.yaml}
                figures:
                  - {id: f, what: w, paper: 1, source: s, metric: area_mm3, run: a}
                  - {id: g, what: w, paper: x, source: s, metric: latency_s, run: [a, zz]}
                orderings:
                  - {what: w, source: s, metric: pe_area_um2, order: [a], known_fial: no}
                """);
            var e = Assert.Throws<MantissaException>(() => ExperimentParser.Load(path));
            Assert.Contains("experiment.yaml:6:", e.Message);
            Assert.Contains("no such architecture file 'nope.yaml'", e.Message);
            Assert.Contains("key 'metric': unknown metric 'area_mm3'", e.Message);
            Assert.Contains("experiment.yaml:9:29: key 'paper': expected a number, got 'x'", e.Message);
            Assert.Contains("no run with id 'zz'", e.Message);
            Assert.Contains("latency_s needs a run with a workload; run 'a' has none", e.Message);
            Assert.Contains("did you mean 'known_fail'", e.Message);
            Assert.Contains("needs at least two runs", e.Message);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Fact]
    public void ExperimentFilesShareTheWorkloadReadersMessages()
    {
        // The experiment reader is the workload files' YamlProblems, so its scalar messages are theirs.
        var e = Assert.Throws<MantissaException>(() => ExperimentParser.Parse("""
            title: t
            paper: p
            runs:
              - {id: a, gemm: "1,2,3", seq: 0, batch: two}
              - {id: b, design: x.yaml, quant: {source: gaussian, format: int8, count: 0}}
            figures:
              - {id: f, what: w, paper: 1, source: s, metric: area_mm2, run: a, input: maybe}
            orderings: {what: w}
            """, "exp.yaml"));
        Assert.StartsWith("8 problems in experiment exp.yaml:", e.Message);
        Assert.Contains("exp.yaml:1:1: missing key 'name'", e.Message);
        Assert.Contains("exp.yaml:4:33: key 'seq': must be at least 1, got 0", e.Message);
        Assert.Contains("exp.yaml:4:43: key 'batch': expected an integer, got 'two'", e.Message);
        Assert.Contains("exp.yaml:5:76: key 'count': must be at least 1, got 0", e.Message);
        Assert.Contains("exp.yaml:7:76: key 'input': expected true or false, got 'maybe'", e.Message);
        Assert.Contains("exp.yaml:8:12: key 'orderings': expected a list, got a mapping", e.Message);
    }
}
