using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>The sweep's cost memo: the clock-free part computed once per design, the clock applied per point.</summary>
public class CostMemoTests
{
    private static readonly double[] Clocks = [200, 700, 1000, 1460];
    private static readonly double[] Bandwidths = [6.4, 51.2, 409.6];

    // every bundled design, the reproductions' chips (chip: sections, whose DRAM PHYs follow the bandwidth) included
    private static IEnumerable<string> Designs() =>
        Directory.GetFiles(RepoPaths.ArchConfigs, "*.yaml", SearchOption.AllDirectories)
            .Where(f => !f.Contains(Path.DirectorySeparatorChar + "sweeps" + Path.DirectorySeparatorChar, StringComparison.Ordinal) &&
                        !f.Contains(Path.DirectorySeparatorChar + "mappings" + Path.DirectorySeparatorChar, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal);

    [Fact]
    public void MemoisedCostEqualsAFreshOneForEveryBundledDesignAcrossClocksAndBandwidths()
    {
        // one memo for all designs, visited interleaved: a key that missed an input would hand one design another's cost
        var memo = new CostMemo();
        int designs = 0, chips = 0;
        foreach (var bw in Bandwidths)
            foreach (var clock in Clocks)
                foreach (var file in Designs())
                {
                    ArchitectureSpec arch;
                    try
                    {
                        arch = ArchitectureLoader.Load(file);
                    }
                    catch (ConfigException)
                    {
                        continue; // a fragment meant as a base of others
                    }
                    var dram = arch.Memory.First(m => m.Kind == MemoryKind.Dram).Name;
                    // bandwidth in GB/s replaces a file's read_bw/write_bw (~ removes a key)
                    arch = ArchitectureLoader.Load(file, [new("clock_mhz", clock.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                                                          new($"memory.{dram}.read_bw", "~"), new($"memory.{dram}.write_bw", "~"),
                                                          new($"memory.{dram}.bandwidth_gbps", bw.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
                    AssertSame(CostModel.Evaluate(arch), memo.Evaluate(arch), $"{file} at {clock} MHz, {bw} GB/s");
                    if (bw == Bandwidths[0] && clock == Clocks[0])
                    {
                        designs++;
                        if (arch.Chip is not null) chips++;
                    }
                }
        Assert.True(designs >= 10, $"{designs} bundled designs");
        Assert.True(chips >= 2, $"{chips} designs with a chip: section");
    }

    [Fact]
    public void TheClockChangesOnlyEnergyPerCycleOfConstantPowersAndTheClockTreesPower()
    {
        var file = Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml");
        var slow = ArchitectureLoader.Load(file, [new("clock_mhz", "350")]);
        var fast = ArchitectureLoader.Load(file, [new("clock_mhz", "700")]);
        var memo = new CostMemo();
        var a = memo.Evaluate(slow);
        var b = memo.Evaluate(fast);
        Assert.Equal(a.AreaMm2, b.AreaMm2);
        Assert.Equal(a.LeakageMw, b.LeakageMw);
        Assert.Equal(a.Levels, b.Levels);
        Assert.Equal(a.PeEnergyPerActiveCyclePj, b.PeEnergyPerActiveCyclePj);
        // leakage energy of one cycle: mW / MHz = nJ, so halving the period halves it
        var peLeak = b.EnergyTable.Single(e => e.Component == "pe" && e.Action == "leak_cycle").EnergyPj;
        Assert.Equal(b.PeLeakageMw / 700 * 1e3, peLeak, 12);
        Assert.Equal(2 * peLeak, a.EnergyTable.Single(e => e.Component == "pe" && e.Action == "leak_cycle").EnergyPj, 12);
        // the PCIe transmitters draw a constant power, so their energy per cycle halves too
        double Pj(ArchCost c, string component) => c.EnergyTable.Single(e => e.Component == component).EnergyPj;
        Assert.Equal(Pj(a, "pcie_phy") * 350, Pj(b, "pcie_phy") * 700, 9);
        // the clock tree and its buffers spend their energy every cycle: their power doubles with the clock
        double treePj = Pj(b, "clock_tree") + Pj(b, "clock_buffers");
        Assert.True(treePj > 0);
        Assert.Equal(Pj(a, "clock_tree") + Pj(a, "clock_buffers"), treePj);
        // so do the DRAM devices' standby, the DRAM PHYs' static power and the leakage of the logic outside the PE array
        Assert.Equal(Pj(a, "dram.devices") * 350, Pj(b, "dram.devices") * 700, 9);
        Assert.Equal(Pj(a, "dram.phy") * 350, Pj(b, "dram.phy") * 700, 9);
        Assert.Equal(Pj(a, "chip_logic") * 350, Pj(b, "chip_logic") * 700, 9);
        double pcieMw = (Pj(b, "pcie_phy") + Pj(b, "dram.devices") + Pj(b, "dram.phy")) * 700 * 1e-3;
        Assert.Equal(pcieMw + treePj * 700 * 1e-3, b.AlwaysOnMw, 9);
        Assert.Equal(pcieMw + treePj * 350 * 1e-3, a.AlwaysOnMw, 9);
    }

    private static void AssertSame(ArchCost expected, ArchCost actual, string what)
    {
        Assert.True(expected.PeEnergyPerActiveCyclePj == actual.PeEnergyPerActiveCyclePj, what);
        Assert.True(expected.PeEnergyPerIdleCyclePj == actual.PeEnergyPerIdleCyclePj, what);
        Assert.True(expected.LeakageMw == actual.LeakageMw, what);
        Assert.True(expected.AreaMm2 == actual.AreaMm2, what);
        Assert.True(expected.PeAreaUm2 == actual.PeAreaUm2, what);
        Assert.True(expected.PeLeakageMw == actual.PeLeakageMw, what);
        Assert.True(expected.AlwaysOnMw == actual.AlwaysOnMw, what);
        Assert.True(expected.Levels.SequenceEqual(actual.Levels), what + ": levels");
        Assert.True(expected.EnergyTable.SequenceEqual(actual.EnergyTable), what + ": energy table");
        Assert.True(expected.AreaBreakdown.SequenceEqual(actual.AreaBreakdown), what + ": area breakdown");
    }
}
