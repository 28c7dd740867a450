using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Cost.Chip;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The chip-level fit (src/Arch/Data/chip_calibration.csv, <c>mantissa calibrate --chips</c>): two global factors, one on
/// composed logic and one on shared SRAM, fitted to TPU v1's named floor-plan area and blocks and NVDLA's seven
/// configurations; three more TPU v1 blocks are check points, priced and shown but not fitted.
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
        // Measured: logic 5.895, SRAM 1.817; fitted errors -13.7% (NVDLA 512) to +15.8% (unified buffer). Before the activation
        // lanes priced cross-channel normalization and the TPU die was compared on its named 79%: 6.13 and 1.869, -17.7% (die)
        // to +19.1% (unified buffer).
        Assert.InRange(r.Factors.Logic, 5.8, 6.0);
        Assert.InRange(r.Factors.Sram, 1.78, 1.86);
        Assert.All(r.FittedRows, x => Assert.InRange(x.Error, -0.16, 0.16));
        Assert.Equal(11, r.FittedRows.Count());
        Assert.Equal(14, r.Rows.Count);
    }

    [Fact]
    public void LeaveOneOutHoldsExceptTheTpuMatrixUnit()
    {
        // Every fitted point but one is predicted within 30% by the fit without it (measured max 23.4%, the unified buffer).
        Assert.All(Report.Value.FittedRows.Where(x => x.Point.Name != "tpu-v1 matrix unit"), x => Assert.InRange(x.LeaveOneOutError, -0.25, 0.25));
        // Leave-chip-out: NVDLA alone predicts TPU's named area within +7.3% and every NVDLA configuration is predicted by TPU
        // alone within 20% (measured -19.3%, the 512-MAC configuration).
        Assert.InRange(Row("tpu-v1 named blocks").LeaveChipOutError, 0, 0.10);
        Assert.All(Report.Value.Rows.Where(x => x.Point.Chip == "nvdla"), x => Assert.InRange(x.LeaveChipOutError, -0.25, 0.25));
    }

    [Fact]
    public void MissTpuMatrixUnitLeftOutIsOverpredictedBecauseNvdlaSetsTheLogicFactor()
    {
        // Not met: without the matrix unit, the logic factor is set by NVDLA's configurations, whose CMAC also computes INT16
        // and FP16 and whose totals include CACC, CSC and buffers not declared; that factor overprices TPU's INT8-only cells by
        // a third (+34.1% measured, +40.5% leave-chip-out; +53.8% and +53.3% before NVDLA's lanes priced normalization, which
        // leaves less of NVDLA's area to the logic factor).
        var m = Row("tpu-v1 matrix unit");
        Assert.Contains("INT8-only", m.Point.KnownGap);
        Assert.InRange(m.LeaveOneOutError, 0.30, 0.40);
        Assert.InRange(m.LeaveChipOutError, 0.35, 0.45);
    }

    [Fact]
    public void CheckPointsArePricedWithTheFactorsButNeverMoveThem()
    {
        var r = Report.Value;
        // The same factors without the check rows: a check point never sets them.
        var fittedOnly = ChipCalibration.Run(ChipCalibration.Points.Where(p => p.Fitted).ToList(), Path.Combine(RepoPaths.ArchConfigs, "reproductions"));
        Assert.Equal(fittedOnly.Factors.Logic, r.Factors.Logic, 12);
        Assert.Equal(fittedOnly.Factors.Sram, r.Factors.Sram, 12);
        var checks = r.Rows.Where(x => !x.Point.Fitted).ToList();
        Assert.Equal(["tpu-v1 activation pipeline", "tpu-v1 I/O", "tpu-v1 control and host interface"], checks.Select(x => x.Point.Name));
        // Left out of a fit it is not in, a check point's leave-one-out error is its error; each names why it misses.
        Assert.All(checks, x => Assert.Equal(x.Error, x.LeaveOneOutError, 12));
        Assert.All(checks, x => Assert.NotEmpty(x.Point.KnownGap));
        // Measured: the activation pipeline 6.54 of 19.86 mm² (-67.1%: 1.11 mm² composed, 0.78 before the normalization stage,
        // -76%); the PHYs and controllers 41.0 of 33.1 mm² (+23.9%, not scaled by the factors); control and the DMA address
        // generators 0.05 of 13.2 mm² (-99.6%).
        Assert.InRange(Row("tpu-v1 activation pipeline").Error, -0.70, -0.64);
        Assert.InRange(Row("tpu-v1 I/O").Error, 0.23, 0.25);
        Assert.InRange(Row("tpu-v1 control and host interface").Error, -1, -0.99);
    }

    [Fact]
    public void TpuDieIsComparedOnTheAreaItsFloorPlanNames()
    {
        // Fig. 2's caption attributes 37 + 30 + 10 + 2 = 79% of the die to blocks; the model prices no unattributed area, so
        // the point is 0.79 x 331 mm². Measured +2.1% (loo +2.3%); the whole die (267.0 of 331 mm², -19.3%) is the
        // reproduction's figure.
        var die = Row("tpu-v1 named blocks");
        Assert.Equal(0.79 * 331, die.Point.PublishedMm2, 2);
        Assert.Contains("79%", die.Point.Source);
        Assert.InRange(die.Error, 0, 0.05);
        Assert.InRange(die.Fitted / 331 - 1, -0.21, -0.18);
    }

    [Fact]
    public void ComponentsThatMatchNothingAreAnError()
    {
        var t = CsvTable.Parse("chip_calibration.csv",
            "point,chip,design,components,published_mm2,source,known_gap,fitted\nx,c,tpu-v1/tpu-v1.yaml,no_such_block,1,s,,yes\n");
        var e = Assert.Throws<MantissaException>(() => ChipCalibration.Run(ChipCalibration.Load(t), Path.Combine(RepoPaths.ArchConfigs, "reproductions")));
        Assert.Contains("chip_calibration.csv, line 2, column components", e.Message);
        var bad = CsvTable.Parse("chip_calibration.csv", "point,chip,design,components,published_mm2,source,known_gap,fitted\nx,c,d,all,-1,s,,yes\n");
        Assert.Contains("published_mm2", Assert.Throws<InvalidDataException>(() => ChipCalibration.Load(bad)).Message);
        var role = CsvTable.Parse("chip_calibration.csv", "point,chip,design,components,published_mm2,source,known_gap,fitted\nx,c,d,all,1,s,,maybe\n");
        Assert.Contains("line 2, column fitted: expected yes or no, got 'maybe'", Assert.Throws<InvalidDataException>(() => ChipCalibration.Load(role)).Message);
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
