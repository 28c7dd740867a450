using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Cost.Chip;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The chip-level fit (src/Arch/Data/chip_calibration.csv, <c>mantissa calibrate --chips</c>): two global factors, one on
/// composed logic and one on shared SRAM, fitted to TPU v1's die and floor-plan blocks and NVDLA's seven configurations.
/// </summary>
public class ChipCalibrationTests
{
    private static readonly Lazy<ChipCalibrationReport> Report = new(() =>
        ChipCalibration.Run(Path.Combine(RepoPaths.ArchConfigs, "reproductions")));

    private static ChipCalibrationRow Row(string name) => Report.Value.Rows.Single(r => r.Point.Name == name);

    [Fact]
    public void FitRecoversTheFactorsOfExactPoints()
    {
        // Points built as 3·logic + 2·SRAM + fixed: the normal equations give back 3 and 2, whatever the fixed part.
        var pts = new[] { (1.0, 4.0, 0.5, 0.0), (2.0, 1.0, 0.0, 0.0), (0.5, 0.5, 10.0, 0.0) }
            .Select(t => (t.Item1, t.Item2, t.Item3, 3 * t.Item1 + 2 * t.Item2 + t.Item3)).ToList();
        var f = ChipCalibration.Fit(pts);
        Assert.Equal(3, f.Logic, 9);
        Assert.Equal(2, f.Sram, 9);
    }

    [Fact]
    public void PointsOfOneMixCannotSeparateLogicFromSram()
    {
        var e = Assert.Throws<MantissaException>(() => ChipCalibration.Fit([(1, 2, 0, 5), (2, 4, 0, 9)]));
        Assert.Contains("do not separate logic from SRAM", e.Message);
    }

    [Fact]
    public void RowsAreSortedIntoLogicSramAndFixed()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml"));
        var c = CostModel.Evaluate(arch);
        ChipAreaClass Of(string n) => ChipAreaClasses.Of(c.AreaBreakdown.Single(a => a.Component == n), arch);
        Assert.Equal(ChipAreaClass.Sram, Of("unified_buffer"));
        Assert.Equal(ChipAreaClass.Logic, Of("pe_weight"));          // per-PE register file: flip-flops beside the PE
        Assert.Equal(ChipAreaClass.Logic, Of("pe.multiplier"));
        Assert.Equal(ChipAreaClass.Logic, Of("post_processing"));
        Assert.Equal(ChipAreaClass.Fixed, Of("dram.phy"));
        Assert.Equal(ChipAreaClass.Fixed, Of("pcie_controller"));
    }

    [Fact]
    public void EveryPointWithinIssue11sBandOnceFitted()
    {
        var r = Report.Value;
        // Measured: logic 6.13, SRAM 1.87; errors -17.7% (TPU die) to +19.1% (unified buffer), max 19.1%.
        Assert.InRange(r.Factors.Logic, 5.5, 6.8);
        Assert.InRange(r.Factors.Sram, 1.7, 2.0);
        Assert.All(r.Rows, x => Assert.InRange(x.Error, -0.25, 0.25));
        Assert.Equal(11, r.Rows.Count);
    }

    [Fact]
    public void LeaveOneOutHoldsExceptTheTpuMatrixUnit()
    {
        // Every point but one is predicted within 30% by the fit without it (measured max 28.2%, the unified buffer).
        Assert.All(Report.Value.Rows.Where(x => x.Point.Name != "tpu-v1 matrix unit"), x => Assert.InRange(x.LeaveOneOutError, -0.30, 0.30));
        // Leave-chip-out: NVDLA alone predicts TPU's die within 13% and every NVDLA configuration is predicted by TPU alone
        // within 19%.
        Assert.InRange(Row("tpu-v1 die").LeaveChipOutError, -0.20, 0);
        Assert.All(Report.Value.Rows.Where(x => x.Point.Chip == "nvdla"), x => Assert.InRange(x.LeaveChipOutError, -0.25, 0.25));
    }

    [Fact]
    public void MissTpuMatrixUnitLeftOutIsOverpredictedBecauseNvdlaSetsTheLogicFactor()
    {
        // Not met: without the matrix unit, the logic factor is set by NVDLA's configurations, whose CMAC also computes INT16
        // and FP16 and whose totals include CACC, CSC and buffers not declared; that factor (~9) overprices TPU's INT8-only
        // cells by half (+53.8% measured, and +53.3% leave-chip-out).
        var m = Row("tpu-v1 matrix unit");
        Assert.Contains("INT8-only", m.Point.KnownGap);
        Assert.InRange(m.LeaveOneOutError, 0.45, 0.65);
        Assert.InRange(m.LeaveChipOutError, 0.45, 0.65);
    }

    [Fact]
    public void ComponentsThatMatchNothingAreAnError()
    {
        var t = CsvTable.Parse("chip_calibration.csv",
            "point,chip,design,components,published_mm2,source,known_gap\nx,c,tpu-v1/tpu-v1.yaml,no_such_block,1,s,\n");
        var e = Assert.Throws<MantissaException>(() => ChipCalibration.Run(ChipCalibration.Load(t), Path.Combine(RepoPaths.ArchConfigs, "reproductions")));
        Assert.Contains("chip_calibration.csv, line 2, column components", e.Message);
        var bad = CsvTable.Parse("chip_calibration.csv", "point,chip,design,components,published_mm2,source,known_gap\nx,c,d,all,-1,s,\n");
        Assert.Contains("published_mm2", Assert.Throws<InvalidDataException>(() => ChipCalibration.Load(bad)).Message);
    }
}

/// <summary>The fitted chip-level factors in <c>mantissa cost</c> (every <c>chip:</c> section unless <c>fitted_area: false</c>): their own rows, never hidden.</summary>
public class ChipFitTests
{
    private static ArchitectureSpec Tpu() =>
        ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml"));

    [Fact]
    public void StoredFactorsAreTheFit()
    {
        // chip_constants.csv holds the factors `mantissa calibrate --chips` prints; when the model moves, refit and update.
        var r = ChipCalibration.Run(Path.Combine(RepoPaths.ArchConfigs, "reproductions"));
        Assert.Equal(r.Factors.Logic, CostData.Chip["chip_fit_logic_factor"], 0.0005 * r.Factors.Logic);
        Assert.Equal(r.Factors.Sram, CostData.Chip["chip_fit_sram_factor"], 0.0005 * r.Factors.Sram);
    }

    [Fact]
    public void RowsAddExactlyTheFactorsOverLogicAndSram()
    {
        var arch = Tpu();
        var fitted = CostModel.Evaluate(arch);
        var bare = CostModel.Evaluate(arch with { Chip = arch.Chip! with { FittedArea = false } });
        Assert.DoesNotContain(bare.AreaBreakdown, a => a.Component.StartsWith("chip_fit.", StringComparison.Ordinal));
        var (l, s, _) = ChipAreaClasses.Split(bare.AreaBreakdown, arch);
        double Row(string n) => fitted.AreaBreakdown.Single(a => a.Component == n).AreaMm2;
        Assert.Equal((CostData.Chip["chip_fit_logic_factor"] - 1) * l, Row("chip_fit.logic"), 9);
        Assert.Equal((CostData.Chip["chip_fit_sram_factor"] - 1) * s, Row("chip_fit.sram"), 9);
        Assert.Equal(bare.AreaMm2 + Row("chip_fit.logic") + Row("chip_fit.sram"), fitted.AreaMm2, 9);
        // The buses and the clock tree cross the larger die: the clock tree's wire grows with its square root.
        double Wire(ArchCost c) => c.EnergyTable.Single(e => e.Component == "clock_tree").EnergyPj;
        Assert.Equal(Math.Sqrt(fitted.AreaMm2 / bare.AreaMm2), Wire(fitted) / Wire(bare), 6);
    }
}
