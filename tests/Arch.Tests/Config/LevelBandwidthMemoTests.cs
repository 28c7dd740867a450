using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>
/// A level that differs from one bound before only in its <c>bandwidth_gbps</c> (<see cref="LevelBandwidthMemo"/>) is the
/// level a first load binds: the same bytes per cycle at every clock, and every bandwidth the binder rejects still
/// rejected with its own message.
/// </summary>
public class LevelBandwidthMemoTests
{
    [Fact]
    public void ABandwidthAndClockSweepBindsEachLevelAsAFirstLoad()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        foreach (var clock in new[] { "1000", "733", "250" })
            foreach (var gbps in new[] { "25.6", "1.6", "409.6", "7", "1e-3", "1e8", "0.1" })
            {
                var sets = new[] { Set("clock_mhz=" + clock), Set("memory.dram.bandwidth_gbps=" + gbps) };
                var expected = ArchitectureLoader.Load(path, sets);
                var actual = parsed.Load(sets);
                Assert.Equal(expected.Memory, actual.Memory);
                // the bytes per cycle themselves, bit for bit (GB/s × 1000 ÷ MHz)
                double bpc = double.Parse(gbps, System.Globalization.CultureInfo.InvariantCulture) * 1000.0 / double.Parse(clock);
                Assert.Equal(BitConverter.DoubleToInt64Bits(bpc), BitConverter.DoubleToInt64Bits(actual.Memory[0].ReadBytesPerCycle));
                Assert.Equal(BitConverter.DoubleToInt64Bits(bpc), BitConverter.DoubleToInt64Bits(actual.Memory[0].WriteBytesPerCycle));
            }
    }

    [Fact]
    public void BandwidthsTheBinderRejectsAreReportedAfterValidOnes()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        // a valid bandwidth first, so the memo knows the level's shape before each bad one arrives
        var bad = new[] { "0", "1e-4", "2e8", "fast", "'12.8'", "NaN", "Infinity", "~", "[1, 2]" };
        int reported = 0;
        foreach (var value in bad)
        {
            parsed.Load([Set("memory.dram.bandwidth_gbps=12.8")]);
            var sets = new[] { Set("memory.dram.bandwidth_gbps=" + value) };
            var first = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(path, sets));
            var again = Assert.Throws<ConfigException>(() => parsed.Load(sets));
            Assert.Equal(first.Diagnostics.Select(x => x.ToString()), again.Diagnostics.Select(x => x.ToString()));
            Assert.Contains(again.Diagnostics, d => d.KeyPath == "memory.dram.bandwidth_gbps");
            reported++;
        }
        Assert.Equal(bad.Length, reported);
    }

    [Fact]
    public void ALevelWithAnotherEntryChangedIsBoundInFull()
    {
        using var dir = new TempDir();
        var path = dir.Write("base.yaml", Valid);
        var parsed = ResolvedArchitecture.Parse(path);
        parsed.Load([Set("memory.dram.bandwidth_gbps=12.8")]);
        // the DRAM type sets the channel width: a level that changes it besides the bandwidth is not the memo's
        var sets = new[] { Set("memory.dram.bandwidth_gbps=6.4"), Set("memory.dram.type=hbm2") };
        var expected = ArchitectureLoader.Load(path, sets);
        var actual = parsed.Load(sets);
        Assert.Equal(expected.Memory, actual.Memory);
        Assert.Equal("hbm2", actual.Memory[0].DramType);
        // and a name taken by the next level is still reported as a duplicate
        var dup = new[] { Set("memory.dram.bandwidth_gbps=3.2"), Set("memory.buf.name=dram") };
        var first = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(path, dup));
        var again = Assert.Throws<ConfigException>(() => parsed.Load(dup));
        Assert.Equal(first.Diagnostics.Select(x => x.ToString()), again.Diagnostics.Select(x => x.ToString()));
    }
}
