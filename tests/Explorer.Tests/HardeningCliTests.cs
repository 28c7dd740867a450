using static Mantissa.Explorer.Tests.CliTests;

namespace Mantissa.Explorer.Tests;

/// <summary>Issue 14 items 1, 2, 5 and 7 through the CLI: clean errors with exit 1 or 2, never exit 3 or a wrong number.</summary>
public class HardeningCliTests
{
    private static string Arch
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) return Path.Combine(dir.FullName, "arch-configs", "tpu-int8.yaml");
            throw new InvalidOperationException("Sim.sln not found");
        }
    }

    [Fact]
    public void AnOverflowingArrayIsRefusedNotCostedNegative()
    {
        var (code, stdout, err) = Run("cost", Arch, "--set", "array.rows=46341", "--set", "array.cols=46341");
        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Contains("--set array.cols: rows × cols = 46341 × 46341 = 2,147,488,281 PEs is more than the 16,777,216 PEs a design may have", err);
    }

    [Theory]
    [InlineData("9223372036854775807,1,1", "GEMM dimensions must be at most 2,147,483,647 (2^31 - 1) each")]
    [InlineData("2000000000,2000000000,2000000000", "MACs, more than the 2^62 the simulator counts exactly")]
    public void AGemmTooLargeToCountIsACleanError(string gemm, string message)
    {
        var (code, _, err) = Run("simulate", Arch, "--gemm", gemm);
        Assert.Equal(1, code);
        Assert.Contains(message, err);
    }

    [Fact]
    public void QuantCountIsBounded()
    {
        var (code, _, err) = Run("quant", "gaussian", "--format", "int8", "--count", "2000000000");
        Assert.Equal(2, code);
        Assert.Contains("option --count expects at most 67,108,864 values, got 2,000,000,000", err);
    }

    [Fact]
    public void WritingWhereAFileIsInTheWayIsAnIoErrorNotABug()
    {
        var file = Path.GetTempFileName();
        try
        {
            var (code, _, err) = Run("simulate", Arch, "--gemm", "64,64,64", "--out", file);
            Assert.Equal(1, code);
            Assert.Contains(file, err);
            Assert.DoesNotContain("internal error", err);
        }
        finally { File.Delete(file); }
    }

    [Fact]
    public void ASweepFileThatIsNotOneIsNotEchoed()
    {
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
            var (code, _, err) = Run("sweep", path);
            Assert.Equal(1, code);
            Assert.Contains("not a sweep file: none of its top-level keys is one of name, description, base", err);
            Assert.DoesNotContain("root", err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AnAliasBombInASweepFileIsRefusedQuickly()
    {
        var path = Path.GetTempFileName();
        try
        {
            var text = "a0: &a0 [x, x, x, x, x, x, x, x, x]\n" + string.Concat(Enumerable.Range(1, 9).Select(i =>
                $"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat($"*a{i - 1}", 9))}]\n"));
            File.WriteAllText(path, text);
            var (code, _, err) = Run("sweep", path);
            Assert.Equal(1, code);
            Assert.Contains("expand to more than 10,000 nodes", err);
        }
        finally { File.Delete(path); }
    }

    [Fact]
    public void AnNsga2PopulationThatOverflowsIsRefused()
    {
        var dir = Directory.CreateTempSubdirectory("mantissa-nsga").FullName;
        try
        {
            var sweep = Path.Combine(dir, "s.yaml");
            File.WriteAllText(sweep, $"base: {Arch}\nparameters: {{array.rows: [16, 32]}}\nworkloads: [{{model: resnet18}}]\n" +
                                     "objectives: {latency_s: min}\nstrategy: {nsga2: {population: 1000000000}}\n");
            var (code, _, err) = Run("sweep", sweep, "--out", Path.Combine(dir, "out"));
            Assert.Equal(1, code);
            Assert.Contains("strategy.nsga2.population: expected at most 10,000,000, got 1,000,000,000", err);
        }
        finally { Directory.Delete(dir, true); }
    }
}
