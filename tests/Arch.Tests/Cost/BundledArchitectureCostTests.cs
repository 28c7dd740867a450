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
    public void BitModAndItsFp16BaselineDeriveTheirPesAndKeepThePapersOrdering()
    {
        // No pins: both PEs come from the primitive library. BitMoD (HPCA'25) has its PE smaller (1507.7 vs 1968.7 um2) and
        // cheaper per cycle (0.56 vs 0.77 pJ) than the FP16 PE; the model keeps both orderings.
        var bitmod = CostModel.Evaluate(ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "bitmod.yaml")));
        var fp16 = CostModel.Evaluate(ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "fp16-baseline.yaml")));
        Assert.Equal(1104.4, bitmod.PeAreaUm2, 1);
        Assert.Equal(2242.0, fp16.PeAreaUm2, 1);
        Assert.Equal(0.879, bitmod.PeEnergyPerActiveCyclePj, 3);
        Assert.True(bitmod.PeEnergyPerActiveCyclePj < fp16.PeEnergyPerActiveCyclePj);
    }

    [Fact]
    public void FlightLlmFitsTheU280()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "flightllm-u280.yaml"));
        var f = FpgaCostModel.Evaluate(arch);
        Assert.True(f.Fits);
        // 3 cores x 128 x 2 PEs x 16 int4 x int8 multiplies, two per DSP48E2 (4x8 does not fit the 4-per-slice packing), plus
        // the 48-lane vector unit's fp32 multipliers, two 27x18 slices each, plus the Vitis platform's 4.
        Assert.Equal(3 * 128 * 2 * 16 / 2 + 48 * 2 + 4, f.Used.Dsps);
        // 384 weight-buffer banks of 4096 x 128 bits, 2 URAMs each
        Assert.Equal(384 * 2, f.Used.Uram);
        // 384 global-buffer banks of 512 x 128 bits, 4 BRAM18 (512 x 36) each, plus the Vitis platform's 195.5 BRAM36
        Assert.Equal(384 * 4 + 391, f.Used.Bram18);
    }
}
