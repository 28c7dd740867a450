using System.Text;
using Mantissa.Arch.Config;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>Issue 14 items 1–3 and 5: overflowing sizes, alias bombs, deep nesting and non-YAML base files are clean, positioned errors.</summary>
public class HostileInputTests
{
    [Fact]
    public void APeCountBeyond2To24IsRefusedInsteadOfWrappingNegative()
    {
        var d = Assert.Single(Problems(Valid, [Set("array.rows=46341"), Set("array.cols=46341")]));
        Assert.Equal("array.cols", d.KeyPath);
        Assert.Equal("rows × cols = 46341 × 46341 = 2,147,488,281 PEs is more than the 16,777,216 PEs a design may have", d.Message);
        Assert.Equal(16_777_216, ArchitectureLoader.LoadText(Valid, "t.yaml", [Set("array.rows=4096"), Set("array.cols=4096")]).PeCount);
    }

    [Theory]
    [InlineData("clock_mhz=1e-300", "clock_mhz", "expected a number ≥ 1 and ≤ 10000 MHz, got 1E-300")]
    [InlineData("technology.node_nm=0.001", "technology.node_nm", "expected a number ≥ 1 and ≤ 250 nm, got 0.001")]
    [InlineData("technology.vdd=0.01", "technology.vdd", "expected a number ≥ 0.2 and ≤ 2 V, got 0.01")]
    [InlineData("memory.dram.bandwidth_gbps=1e300", "memory.dram.bandwidth_gbps", "expected a number ≥ 0.001 and ≤ 100000000 GB/s, got 1E+300")]
    [InlineData("memory.buf.capacity_kib=1e-300", "memory.buf.capacity_kib", "capacity 1E-300 KiB is less than one byte")]
    [InlineData("memory.buf.capacity_kib=2147483648", "memory.buf.capacity_kib", "capacity 2147483648 KiB is more than the 1 TiB a memory level may hold")]
    public void NumbersOutsideTheirPhysicalRangeAreRefused(string set, string key, string message)
    {
        var d = Assert.Single(Problems(Valid, [Set(set)]));
        Assert.Equal(key, d.KeyPath);
        Assert.Equal(message, d.Message);
    }

    [Fact]
    public void AnAliasBombStopsAtTheAliasThatCrossesTheBudget()
    {
        var yaml = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (int i = 1; i < 10; i++)
            yaml.Append($"a{i}: &a{i} [{string.Join(", ", Enumerable.Repeat(i == 1 ? "*a" : $"*a{i - 1}", 9))}]\n");
        var d = Assert.Single(Problems(Valid + yaml));
        Assert.StartsWith("YAML syntax error: aliases ('*a", d.Message);
        Assert.Contains("expand to more than 10,000 nodes", d.Message);
        Assert.True(d.Line >= 30, d.ToString());
        // a few aliases, as real files use them, still load
        Assert.Equal("t", ArchitectureLoader.LoadText(Valid.Replace("kind: int_mac", "kind: &k int_mac") + "sim:\n  model_fill: &f true\n  charge_all_pes_every_cycle: *f\n", "t.yaml").Name);
    }

    [Theory]
    [InlineData(100_000, "[")]
    [InlineData(20_000, "{a: ")]
    public void DeepNestingIsAPositionedErrorNotAStackOverflow(int depth, string open)
    {
        var d = Assert.Single(Problems("name: " + string.Concat(Enumerable.Repeat(open, depth))));
        Assert.Equal("YAML syntax error: nesting deeper than 64 levels of mappings and sequences", d.Message);
        Assert.Equal(1, d.Line);
    }

    [Fact]
    public void DeepNestingInASetValueIsAnErrorNamingTheSet()
    {
        var d = Assert.Single(Problems(Valid, [Set("name=" + new string('[', 50_000))]));
        Assert.Equal("--set name", d.File);
        Assert.Contains("nesting deeper than 64 levels", d.Message);
    }

    [Fact]
    public void ABaseThatIsADeviceIsRefusedWithoutReadingIt()
    {
        using var dir = new TempDir();
        var file = dir.Write("a.yaml", "base: /dev/zero\nname: x\n");
        var e = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(file));
        var d = Assert.Single(e.Diagnostics);
        Assert.Equal("base", d.KeyPath);
        Assert.Equal("base file '/dev/zero' is not a regular file (it is a character device); give a path to a file on disk", d.Message);
    }

    [Fact]
    public void ABaseThatIsNotAnArchitectureFileIsNotEchoed()
    {
        using var dir = new TempDir();
        var secret = dir.Write("secret", "root:*:19000:0:99999:7:::\ndaemon:*:19000:0:99999:7:::\n");
        var passwd = dir.Write("passwd", "root:x:0:0:root:/root:/bin/bash\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\n");
        foreach (var (target, expected) in new[]
                 {
                     (secret, "not an architecture file: none of its top-level keys is one of base, name, target, technology, fpga, clock_mhz, pe, array, memory, overrides, sim, chip"),
                     (passwd, "expected a mapping at the top level, got a single text value (is this an architecture file?)"),
                 })
        {
            var file = dir.Write("a.yaml", $"base: {target}\n");
            var e = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(file));
            var d = Assert.Single(e.Diagnostics);
            Assert.Equal(expected, d.Message);
            Assert.DoesNotContain("root", e.Message);
            Assert.DoesNotContain("daemon", e.Message);
        }
    }

    [Fact]
    public void InputFilesAreSizeLimitedAndMustBeText()
    {
        using var dir = new TempDir();
        var big = dir.Write("big.yaml", "name: x\n" + new string('#', (int)InputFile.MaxConfigBytes));
        var e = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(big));
        Assert.Equal($"architecture file '{big}' is larger than the 1 MiB limit for this kind of file", Assert.Single(e.Diagnostics).Message);
        var binary = Path.Combine(dir.Path, "bin.yaml");
        File.WriteAllBytes(binary, [0x6e, 0x3a, 0x00, 0x01]);
        e = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(binary));
        Assert.Equal($"architecture file '{binary}' is not a text file (it contains NUL bytes)", Assert.Single(e.Diagnostics).Message);
        e = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(dir.Path));
        Assert.Equal($"architecture file '{dir.Path}' is a directory, not a file", Assert.Single(e.Diagnostics).Message);
    }

    [Fact]
    public void LongUserTextIsClippedInMessages()
    {
        var d = Assert.Single(Problems(Valid.Replace("  rows: 16", "  rows: " + new string('z', 500))));
        Assert.Equal($"expected an integer 1..65536, got '{new string('z', 60)}…'", d.Message);
    }
}
