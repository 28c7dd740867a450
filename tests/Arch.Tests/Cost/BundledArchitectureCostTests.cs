using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

public class BundledArchitectureCostTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(RepoPaths.ArchConfigs, "*.yaml").Order()) data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryBundledArchitectureCostsWithoutError(string file)
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, file));
        var r = CostModel.Report(arch);
        Assert.True(r.Cost.PeEnergyPerActiveCyclePj > 0, file);
        Assert.Equal(arch.Memory.Count, r.Cost.Levels.Count);
        Assert.All(r.Cost.Levels, l => Assert.True(l.ReadEnergyPjPerWord > 0, $"{file}: {l.Name}"));
        Assert.True(r.Peak[0].Tops > 0);
        if (arch.Target == Target.Asic) Assert.True(r.Cost.AreaMm2 > 0 && r.TopsPerMm2 > 0);
        else Assert.NotNull(r.Fpga);
        // Every override in the file is honoured.
        Assert.Equal(arch.Overrides.Count, r.AppliedOverrides.Count);
    }

    [Fact]
    public void BitModFileUsesItsPublishedPeFigures()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "bitmod.yaml"));
        var cost = CostModel.Evaluate(arch);
        Assert.Equal(0.84, cost.PeEnergyPerActiveCyclePj);
        Assert.Equal(1507.7, cost.PeAreaUm2);
    }

    [Fact]
    public void FlightLlmFitsTheU280()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "flightllm-u280.yaml"));
        var f = FpgaCostModel.Evaluate(arch);
        Assert.True(f.Fits);
        // 128 x 2 PEs x 16 int4 x int8 multiplies, two per DSP48E2 (4x8 does not fit the 4-per-slice packing), plus the
        // 128-lane vector unit's fp32 multipliers, two 27x18 slices each.
        Assert.Equal(128 * 2 * 16 / 2 + 128 * 2, f.Used.Dsps);
        // 256 URAMs of weight buffer (wide enough for the HBM stream) + 64 of activation buffer
        Assert.Equal(256 + 64, f.Used.Uram);
    }
}
