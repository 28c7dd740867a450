using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

public class OverrideTests
{
    private static readonly PeSpec Pe = Specs.Pe(PeKind.BitSerial, "int4", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2 });

    [Fact]
    public void OverridesPinDerivedCostsAndNameTheirSource()
    {
        var ov = new[]
        {
            new CostOverride("pe.area_um2", 1507.7, "BitMoD simulator, 28 nm"),
            new CostOverride("pe.energy_pj_per_cycle", 0.84, "BitMoD simulator 0.56 pJ x 1.5 P&R"),
            new CostOverride("memory.glb.read_pj", 17.92, "CACTI 28 nm 8 KB x 512b"),
        };
        var arch = Specs.Asic(Pe, 32, 32, 28, 0.9, overrides: ov);
        var r = AsicCostModel.Report(arch);
        Assert.Equal(1507.7, r.PeAreaUm2);
        Assert.Equal(0.84, r.Cost.PeEnergyPerActiveCyclePj);
        Assert.Equal(0.84 * 0.04545, r.Cost.PeEnergyPerIdleCyclePj, 12);
        Assert.Equal(17.92, r.Cost.Levels.Single(l => l.Name == "glb").ReadEnergyPjPerWord);
        var peArea = r.Cost.AreaBreakdown.Single(a => a.Component == "pe");
        Assert.Equal(1024 * 1507.7e-6, peArea.AreaMm2, 12);
        Assert.Contains("override: BitMoD simulator, 28 nm", peArea.Source);
        Assert.Contains(r.Cost.EnergyTable, e => e.Component == "glb" && e.Source == "override: CACTI 28 nm 8 KB x 512b");
        Assert.Equal(3, r.AppliedOverrides.Count);
    }

    [Fact]
    public void UnknownOverridePathIsAClearError()
    {
        var arch = Specs.Asic(Pe, overrides: new[] { new CostOverride("memory.nosuch.read_pj", 1, "x") }) with { SourceFile = "a.yaml" };
        var ex = Assert.Throws<MantissaException>(() => AsicCostModel.Evaluate(arch));
        Assert.Contains("a.yaml", ex.Message);
        Assert.Contains("memory.nosuch.read_pj", ex.Message);
        Assert.Contains("memory.glb.read_pj", ex.Message);
    }

    [Fact]
    public void NegativeOverrideIsRejected()
    {
        var arch = Specs.Asic(Pe, overrides: new[] { new CostOverride("pe.area_um2", -1, "x") });
        Assert.Throws<MantissaException>(() => AsicCostModel.Evaluate(arch));
    }

    [Fact]
    public void DesignWideAreaAndLeakageCanBePinned()
    {
        var ov = new[] { new CostOverride("area_mm2", 12.5, "die photo"), new CostOverride("leakage_mw", 3, "measured") };
        var r = AsicCostModel.Report(Specs.Asic(Pe, overrides: ov));
        Assert.Equal(12.5, r.Cost.AreaMm2);
        Assert.Equal(3, r.Cost.LeakageMw);
        Assert.Equal(r.Peak[0].Tops / 12.5, r.TopsPerMm2, 12);
        Assert.Equal(2, r.AppliedOverrides.Count);
    }

    [Fact]
    public void FpgaResourceOverridesReplaceTheDerivedCounts()
    {
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 4);
        var baseArch = Specs.Fpga(pe, "u280", 8, 8);
        var arch = baseArch with
        {
            Overrides = new[]
            {
                new CostOverride("pe.dsp", 3, "post-route report"),
                new CostOverride("pe.lut", 100, "post-route report"),
                new CostOverride("memory.glb.bram36", 40, "post-route report"),
            },
        };
        var rep = FpgaCostModel.Evaluate(arch);
        // Plus the U280 Vitis platform's own 4 DSPs and 195.5 BRAM36 (FpgaPlatform), which no PE override touches.
        Assert.Equal(64 * 3 + 4, rep.Used.Dsps);
        Assert.Equal(80 + 391, rep.Used.Bram18);
        Assert.Equal(3, rep.AppliedOverrides.Count);
        Assert.Contains(rep.Breakdown, b => b.Component == "pe" && b.Source.StartsWith("override: "));
        // Without overrides the same design packs 256 INT8 multiplies two per DSP48E2.
        Assert.Equal(128 + 4, FpgaCostModel.Evaluate(baseArch).Used.Dsps);
    }
}
