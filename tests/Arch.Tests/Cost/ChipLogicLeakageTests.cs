using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// Leakage follows area: every logic row a <c>chip:</c> section adds (control, DMA, post-processing, DRAM and PCIe
/// controllers, the fitted logic area) leaks at the PE array's leakage per µm² of composed PE area, one rule for every chip
/// (the <c>chip_logic leak_cycle</c> row). PHYs and the fitted SRAM area do not count as logic.
/// </summary>
public class ChipLogicLeakageTests
{
    private static ArchitectureSpec Load(params string[] path) =>
        ArchitectureLoader.Load(Path.Combine(new[] { RepoPaths.ArchConfigs, "reproductions" }.Concat(path).ToArray()));

    private static double Area(ArchCost c, string name) => c.AreaBreakdown.Where(a => a.Component == name).Sum(a => a.AreaMm2);

    private static readonly string[] LogicRows = ["control", "dma", "post_processing", "chip_fit.logic"];

    [Theory]
    [InlineData("tpu-v1", "tpu-v1.yaml")]
    [InlineData("nvdla", "nvdla-2048.yaml")]
    [InlineData("nvdla", "nvdla-32.yaml")]
    public void LogicOutsideThePeArrayLeaksAtThePeDensity(string dir, string file)
    {
        var arch = Load(dir, file);
        var c = CostModel.Evaluate(arch);
        double mm2 = LogicRows.Sum(n => Area(c, n))
                     + c.AreaBreakdown.Where(a => a.Component.EndsWith("controller", StringComparison.Ordinal)).Sum(a => a.AreaMm2);
        double mwPerMm2 = c.PeLeakageMw / c.PeAreaUm2 * 1e6;
        double mw = c.EnergyTable.Single(e => e.Component == "chip_logic").EnergyPj * arch.ClockMhz * 1e-3;
        Assert.Equal(mm2 * mwPerMm2, mw, 6);
        // Part of the design's leakage, beside the PEs' and the memories'.
        double rest = arch.PeCount * c.PeLeakageMw + c.Levels.Sum(l => l.LeakageMw);
        Assert.Equal(rest + mw, c.LeakageMw, 6);
    }

    [Fact]
    public void MeasuredFiguresOfTheBundledChips()
    {
        // TPU v1 (28 nm, 0.9 V): 107.6 mm² of logic outside the PE array at 153.0 mW/mm² = 16.47 W, of which the fitted
        // logic area is 78.98 mm² (12.08 W) and the DDR and PCIe controllers 27.5 mm² (4.2 W). (Before the activation lanes
        // priced cross-channel normalization and the fit compared TPU's die on its named 79 %: 109.4 mm², 16.73 W.)
        var tpu = CostModel.Evaluate(Load("tpu-v1", "tpu-v1.yaml"));
        Assert.InRange(tpu.PeLeakageMw / tpu.PeAreaUm2 * 1e6, 152.5, 153.5);
        Assert.InRange(tpu.EnergyTable.Single(e => e.Component == "chip_logic").EnergyPj * 700 * 1e-3, 16_440, 16_500);
        // The sensitivity table of docs/cost.md: the fitted logic area's share is 12.08 W; without it the peak would be 27.98 W
        // (-30 %), and with only 70 % of it leaking (50.4 mm² of cells) 35.70 W (both with the DDR PHYs' 0.06 W static power).
        var r = AsicCostModel.Report(Load("tpu-v1", "tpu-v1.yaml"));
        double density = tpu.PeLeakageMw / tpu.PeAreaUm2 * 1e6;
        double fittedMm2 = Area(tpu, "chip_fit.logic");
        double fittedMw = fittedMm2 * density;
        Assert.InRange(fittedMw, 12_060, 12_100);
        Assert.InRange(r.PeakPowerMw - fittedMw, 27_955, 28_010);
        double composed = fittedMm2 / (CostData.Chip["chip_fit_logic_factor"] - 1);
        double cells70 = 0.7 * CostData.Chip["chip_fit_logic_factor"] * composed - composed;
        Assert.InRange(cells70, 50.3, 50.6);
        Assert.InRange(r.PeakPowerMw - fittedMw + cells70 * density, 35_670, 35_730);
        // NVDLA-2048 (28 nm, 1 GHz): 2.59 mm² at 159.8 mW/mm² = 414 mW; leakage 95.8 -> 510.0 mW, peak 653.9 -> 1068.7 mW
        // (before the normalization stage in its 32 lanes and the refit: 2.45 mm², 392 mW, 487.7 and 1045.9 mW).
        var nv = AsicCostModel.Report(Load("nvdla", "nvdla-2048.yaml"));
        Assert.InRange(nv.Cost.EnergyTable.Single(e => e.Component == "chip_logic").EnergyPj, 413, 415.5);
        Assert.InRange(nv.Cost.LeakageMw, 509.3, 510.7);
        Assert.InRange(nv.PeakPowerMw, 1068, 1069.5);
    }

    [Fact]
    public void PhysAndFittedSramDoNotLeakAsLogic()
    {
        var arch = Load("tpu-v1", "tpu-v1.yaml");
        var c = CostModel.Evaluate(arch);
        string src = c.EnergyTable.Single(e => e.Component == "chip_logic").Source;
        Assert.DoesNotContain("phy", src);
        Assert.DoesNotContain("chip_fit.sram", src);
        Assert.Contains("chip_fit.logic", src);
        // Without the fitted area (a what-if), only the composed rows and the controllers leak: 28.7 mm², 4.38 W (4.33 W before
        // the activation lanes priced cross-channel normalization).
        var bare = CostModel.Evaluate(arch with { Chip = arch.Chip! with { FittedArea = false } });
        double mw = bare.EnergyTable.Single(e => e.Component == "chip_logic").EnergyPj * 700 * 1e-3;
        Assert.InRange(mw, 4_360, 4_410);
    }
}
