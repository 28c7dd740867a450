using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands;
using Mantissa.Explorer.Sweep;
using static Mantissa.Explorer.Tests.CliTests;

namespace Mantissa.Explorer.Tests;

/// <summary>Issue 14 items 6, 8 and 9: CSV formula injection, silently accepted nonsense, --allow-long-context on simulate.</summary>
public class HardeningItems6To9Tests
{
    [Theory]
    [InlineData("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0")]
    [InlineData("+SUM(1,1)", "'+SUM(1,1)")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("@SUM(1)", "'@SUM(1)")]
    [InlineData("\tx", "'\tx")]
    [InlineData("\rx", "'\rx")]
    [InlineData("-", "'-")]
    [InlineData("-2.5", "-2.5")]
    [InlineData("-1E-05", "-1E-05")]
    [InlineData("+3", "+3")]
    [InlineData("int_mac", "int_mac")]
    [InlineData("", "")]
    public void FormulaCellsAreNeutralisedAndNumbersKept(string cell, string written) =>
        Assert.Equal(written, CsvCell.Neutralise(cell));

    [Fact]
    public void ADesignNamedLikeAFormulaIsWrittenAsTextInPointsAndParetoCsv()
    {
        using var dir = new TempSweepDir();
        string sweep = dir.Sweep("""
            name: t
            base: base.yaml
            parameters:
              pe.kind: ["=cmd|' /C calc'!A0", "+SUM(1,1)", "-2+3", "@SUM(1)"]
            workloads: [{model: gemm-1x4096x4096}]
            objectives: {latency_s: min, area_mm2: min}
            """);
        var backend = new EvaluatorBackend(SweepValidation.None, _ => new FakeEvaluator());
        var cmd = new SweepCommand(backend);
        var o = new StringWriter();
        Assert.Equal(0, cmd.Run(ParsedArgs.Parse(cmd.Spec, [sweep, "--out", dir.Sub("out"), "--jobs", "1"]), new CommandIO(new StringReader(""), o, new StringWriter())));
        foreach (var file in new[] { "points.csv", "pareto.csv" })
        {
            var lines = File.ReadAllLines(Path.Combine(dir.Sub("out"), file)).Skip(1).ToList();
            Assert.NotEmpty(lines);
            foreach (var line in lines)
                foreach (var cell in line.Split(','))
                    Assert.False(cell.TrimStart('"').Length > 0 && cell.TrimStart('"')[0] is '=' or '+' or '@', $"{file}: {line}");
            Assert.Contains(lines, l => l.Contains("'+SUM(1"));
        }
        // the neutralised rows resume: a second run reuses all of them
        var again = new StringWriter();
        Assert.Equal(0, cmd.Run(ParsedArgs.Parse(cmd.Spec, [sweep, "--out", dir.Sub("out"), "--jobs", "1"]), new CommandIO(new StringReader(""), again, new StringWriter())));
        Assert.Contains("(0 evaluated, 4 reused)", again.ToString());
    }

    [Theory]
    [InlineData(new[] { "bench", "ARCH", "--seconds", "nan" }, "option --seconds expects a finite number, got 'nan'")]
    [InlineData(new[] { "bench", "ARCH", "--seconds", "Infinity" }, "option --seconds expects a finite number, got 'Infinity'")]
    [InlineData(new[] { "simulate", "ARCH", "--gemm", "8,8,8", "--top", "-1" }, "option --top expects a non-negative integer, got -1")]
    [InlineData(new[] { "dot", "--pe", "lut", "--wformat", "int4", "--aformat", "fp16", "--group", "-1" }, "option --group expects a non-negative integer, got -1")]
    [InlineData(new[] { "verify", "extra" }, "unexpected argument 'extra' ('mantissa verify' takes options only)")]
    [InlineData(new[] { "bench", "a.yaml", "b.yaml" }, "unexpected argument 'b.yaml'")]
    [InlineData(new[] { "version", "x" }, "unexpected argument 'x' ('mantissa version' takes options only)")]
    public void NonsenseOptionsAreUsageErrors(string[] args, string message)
    {
        var (code, _, err) = Run(args.Select(a => a == "ARCH" ? FindArch() : a).ToArray());
        Assert.Equal(2, code);
        Assert.Contains("error: " + message, err);
    }

    [Fact]
    public void NaNAndInfInATensorAreCountedAndLeftOutOfTheStatistics()
    {
        string path = Path.Combine(Path.GetTempPath(), $"mantissa-nan-{Guid.NewGuid():N}.npy");
        string header = "{'descr': '<f4', 'fortran_order': False, 'shape': (4,), }";
        header += new string(' ', 128 - 10 - header.Length - 1) + "\n";
        var bytes = new List<byte> { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', 1, 0, (byte)header.Length, 0 };
        bytes.AddRange(System.Text.Encoding.ASCII.GetBytes(header));
        foreach (var v in new[] { 1f, float.NaN, 2f, float.PositiveInfinity }) bytes.AddRange(BitConverter.GetBytes(v));
        File.WriteAllBytes(path, bytes.ToArray());
        try
        {
            var (code, stdout, err) = Run("quant", path, "--format", "int8");
            Assert.Equal(0, code);
            Assert.Contains("2 of 4 values are NaN or ±Inf", err);
            Assert.DoesNotContain("NaN", stdout);
            Assert.DoesNotContain("∞", stdout);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void SimulateAcceptsTheAllowLongContextItSuggests()
    {
        string arch = FindArch();
        var (code, _, err) = Run("simulate", arch, "llama-2-7b", "--seq", "8192");
        Assert.Equal(1, code);
        Assert.Contains("pass --allow-long-context", err);
        var (ok, stdout, _) = Run("simulate", arch, "llama-2-7b", "--seq", "8192", "--allow-long-context", "--top", "1");
        Assert.Equal(0, ok);
        Assert.Contains("llama-2-7b prefill (batch 1, seq 8192", stdout);
    }

    private static string FindArch()
    {
        for (var d = new DirectoryInfo(AppContext.BaseDirectory); d is not null; d = d.Parent)
            if (File.Exists(Path.Combine(d.FullName, "Sim.sln"))) return Path.Combine(d.FullName, "arch-configs", "tpu-int8.yaml");
        throw new InvalidOperationException("Sim.sln not found");
    }
}
