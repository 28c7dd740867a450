using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Cost.Chip;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The TPU-like design against TPU v1's floor plan (Jouppi et al., ISCA 2017, 28 nm): die under 331 mm², matrix multiply
/// unit 24%, unified buffer 29%, accumulators 6% of it. Mantissa models these three blocks only, so each is compared on its
/// own: published area = fraction × 331 mm² (an upper bound, as the die is "less than" 331 mm²).
/// </summary>
public class TpuV1FloorplanTests
{
    private const double DieMm2 = 331;

    private static ArchCost Tpu() => CostModel.Evaluate(ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "tpu-int8.yaml")));

    private static double Area(ArchCost c, string name) => c.AreaBreakdown.Single(a => a.Component == name).AreaMm2;

    // The matrix unit: every PE component plus the per-PE weight storage.
    private static double MatrixUnit(ArchCost c) =>
        c.AreaBreakdown.Where(a => a.Component.StartsWith("pe.", StringComparison.Ordinal)).Sum(a => a.AreaMm2) + Area(c, "pe_weight");

    [Fact]
    public void UnifiedBufferAndAccumulatorsAgainstTheFloorPlan()
    {
        var c = Tpu();
        // Measured: unified buffer 61.2 mm² (2.55 mm²/MiB) against 0.29 x 331 = 96 mm²: 0.64. Before the SRAM area was tiled
        // linearly above the largest CACTI array (16 KB) the sub-linear fit gave 20.1 mm² (0.21). The remaining gap: CACTI's
        // 45 nm arrays scaled to 28 nm are denser than the TPU's wide (256-byte) ported buffer, and 331 mm² is an upper bound.
        Assert.InRange(Area(c, "unified_buffer") / (0.29 * DieMm2), 0.5, 0.8);
        // Accumulators, 4 MiB at 8192 bits per access: 10.2 mm² against 0.06 x 331 = 19.9 mm²: 0.51.
        Assert.InRange(Area(c, "accumulators") / (0.06 * DieMm2), 0.4, 0.7);
    }

    [Fact]
    public void MatrixUnitAgainstTheFloorPlan()
    {
        var c = Tpu();
        // Measured: 65,536 PEs of 220 um² + 9 um² weight storage = 15.0 mm² against 0.24 x 331 = 79.4 mm²: 0.19 (before the
        // register fixes, 205 um² PEs with the weight counted twice: 0.17). Documented gap of ~5x: the composed PE is the
        // synthesized datapath of Horowitz's and NanGate's cells; the TPU's cell also runs 8x16 and 16x16 products at half and
        // quarter rate, and the floor-plan block includes placement utilization, clock tree, pipeline and wiring channels,
        // none of which Mantissa models.
        Assert.InRange(MatrixUnit(c) / (0.24 * DieMm2), 0.12, 0.3);
        // The unified buffer is the larger block, as on the die (29% vs 24%), but by more: the gap above is the PE's.
        Assert.True(Area(c, "unified_buffer") > MatrixUnit(c));
    }

    [Fact]
    public void PeWeightLevelReplacesThePeWeightRegisters()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "tpu-int8.yaml"));
        var c = CostModel.Evaluate(arch);
        // The per-PE 'pe_weight' level holds the weights: the PE carries no weight registers of its own (before: 0.567 mm²
        // of weight registers and 0.597 mm² of pe_weight, the same storage twice).
        Assert.DoesNotContain(c.AreaBreakdown, a => a.Component == "pe.weight_registers");
        Assert.Contains(c.AreaBreakdown, a => a.Component == "pe_weight");
        Assert.Contains(c.AreaBreakdown, a => a.Component == "pe.activation_registers");

        // Without the level, the PE keeps its weight registers, and the PE area grows by exactly their area.
        var bare = arch with { Memory = arch.Memory.Where(m => m.Name != "pe_weight").ToList() };
        var b = CostModel.Evaluate(bare);
        double regs = Area(b, "pe.weight_registers");
        Assert.True(regs > 0);
        Assert.Equal(b.PeAreaUm2 - c.PeAreaUm2, regs / arch.PeCount * 1e6, 6);
    }

    [Fact]
    public void PerPeInputLevelReplacesTheActivationRegisters()
    {
        var arch = Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), 4, 4, 28, 0.9, new[]
        {
            Specs.Dram(),
            new MemoryLevelSpec("pe_in", MemoryKind.RegFile, null, 2, 8, 1, 1, 1, TensorSet.Inputs, true, true),
        });
        var dp = PeDatapath.For(arch);
        Assert.DoesNotContain(dp.Components, x => x.Name == "activation_registers");
        Assert.Contains(dp.Components, x => x.Name == "weight_registers");
    }
}

/// <summary>
/// TPU v1 as a whole chip (arch-configs/reproductions/tpu-v1/tpu-v1.yaml: tpu-int8.yaml plus its chip: components and the
/// chip-level factors of <c>mantissa calibrate --chips</c>) against the floor-plan shares of Jouppi et al. (ISCA 2017,
/// Fig. 2): unified buffer 29%, matrix unit 24%, accumulators 6%, the rest 41%. Issue 11 asks for every share within 10
/// points; two are, two are not, and each assertion pins which, so a model change that moves a share across the line
/// fails here until docs/cost.md ("Whole chips") is updated. Against the 79% of the die the caption attributes to blocks
/// (the model prices no unattributed area) all four are within 10 points.
/// </summary>
public class TpuV1WholeChipTests
{
    private static ArchitectureSpec Arch() =>
        ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml"));

    [Fact]
    public void FloorPlanShares()
    {
        var arch = Arch();
        var c = CostModel.Evaluate(arch);
        // A block's laid-out area is its composed area times its class's fitted factor (the chip_fit.* rows hold the extra).
        double Block(Func<AreaItem, bool> f) => c.AreaBreakdown.Where(f).Sum(a => a.AreaMm2 * ChipAreaClasses.Of(a, arch) switch
        {
            ChipAreaClass.Logic => CostData.Chip["chip_fit_logic_factor"],
            ChipAreaClass.Sram => CostData.Chip["chip_fit_sram_factor"],
            _ => 1.0,
        });
        double Share(Func<AreaItem, bool> f) => 100 * Block(f) / c.AreaMm2;
        double ub = Share(a => a.Component == "unified_buffer");
        double mxu = Share(a => a.Component.StartsWith("pe.", StringComparison.Ordinal) || a.Component == "pe_weight");
        double acc = Share(a => a.Component == "accumulators");
        double rest = 100 - ub - mxu - acc;
        // Measured (267.0 mm² die): unified buffer 41.6%, matrix unit 33.2%, accumulators 6.9%, rest 18.3% (before the
        // activation lanes priced cross-channel normalization and the fit compared the die on its named 79%: 272.5 mm², 42.0,
        // 33.8, 7.0 and 17.3%).
        Assert.InRange(Math.Abs(acc - 6), 0, 10);
        Assert.InRange(Math.Abs(mxu - 24), 0, 10);
        // Not reached: 21% of the die (69.5 mm²) is attributed to no block in the paper and no component prices it, which
        // alone lifts every modelled share by 1/0.79; and the buffer at the fitted SRAM factor is 111 of 96 mm² (the factor is
        // shared with the accumulators and NVDLA's buffers, which want ~1.9 where the unified buffer alone wants 1.57). So the
        // buffer is 12.6 points high; the rest (48.8 mm²: PHYs and controllers 41.0, activation pipeline 6.5, weight FIFO 1.2,
        // control 0.05) is 22.7 points under 41%, of which 21 are the unattributed area.
        Assert.InRange(ub - 29, 10, 16);
        Assert.InRange(41 - rest, 20, 27);
        // Against the named 79% (shares 29/0.79, 24/0.79, 6/0.79 and the rest's activation pipeline 6 + host interface 2 +
        // control 2 + I/O 10 over 0.79), every share is within 10 points: +4.9, +2.8, -0.7 and -7.0.
        Assert.InRange(ub - 29 / 0.79, 0, 10);
        Assert.InRange(mxu - 24 / 0.79, 0, 10);
        Assert.InRange(acc - 6 / 0.79, -10, 0);
        Assert.InRange(rest - 20 / 0.79, -10, 0);
    }

    [Fact]
    public void DieAreaAndPowerAgainstTheChip()
    {
        var r = AsicCostModel.Report(Arch());
        // Die under 331 mm², 40 W busy, 28 W idle (ISCA 2017 Table 2; the powers are per-die incremental server power, Sec. 6
        // and Fig. 10, so the card: die, 8 GiB of DDR3 and board). Measured 267.0 mm² (0.807: within issue 11's ±25%; the
        // chip-level factors are fitted with the die's named 79% among 11 points; 272.5 mm² before); 40.06 W of peak power
        // (1.002; 40.37 W before) and 26.66 W idle (0.952; 26.97 W before), of which the two DDR PHYs' static power is 60 mW.
        // Before the logic outside the PE array leaked (chip_logic) and the DRAM devices' standby was priced: 23.2 W (0.58) and
        // 9.8 W (0.35).
        Assert.InRange(r.Cost.AreaMm2 / 331, 0.80, 0.81);
        Assert.Equal(40_064.711, r.PeakPowerMw, 3);
        Assert.Equal(26_662.0, r.Cost.LeakageMw + r.Cost.AlwaysOnMw, 1);
        Assert.InRange(r.PeakPowerMw / 40_000, 0.7, 1.3);
        // The chip components add 41.0 mm² of PHYs and controllers; over the fitted die the clock tree's wire is 2.53 W and
        // the buffers driving it and the 3.67 M clock pins 2.34 W; the PCIe Gen3 x16 transmitters draw 0.25 W.
        double io = r.Cost.AreaBreakdown.Where(a => a.Component.EndsWith("phy") || a.Component.EndsWith("controller")).Sum(a => a.AreaMm2);
        Assert.InRange(io, 40, 42);
        double Mw(string name) => r.Cost.EnergyTable.Single(e => e.Component == name).EnergyPj * 700 * 1e-3;
        Assert.InRange(Mw("clock_tree"), 2500, 2600);
        Assert.InRange(Mw("clock_buffers"), 2300, 2400);
        Assert.Equal(16 * 8 * 1.93, Mw("pcie_phy"), 6);
        // The 8 GiB of DRAM (priced as DDR4: eight 8 Gbit devices) draw 0.42 W of standby and refresh.
        Assert.InRange(Mw("dram.devices"), 415, 416.2);
        // The two DDR channels' PHYs draw CACTI-IO's 30 mW static each, busy or idle.
        Assert.Equal(2 * 30, Mw("dram.phy"), 9);
        Assert.Equal(Mw("clock_tree") + Mw("clock_buffers") + Mw("pcie_phy") + Mw("dram.phy") + Mw("dram.devices"), r.Cost.AlwaysOnMw, 6);
        // Leakage: 4.6 W of PEs and SRAM, 16.5 W of logic outside the PE array (107.6 mm²: the fitted logic 79.0, the DDR and
        // PCIe controllers 27.5, the activation pipeline 1.11, control and DMA) at the PE array's 153 mW/mm².
        Assert.InRange(Mw("chip_logic"), 16_440, 16_500);
        Assert.InRange(r.Cost.LeakageMw - Mw("chip_logic"), 4_600, 4_610);
    }

    [Fact]
    public void HighPerformanceSramCellsWouldOvershootThePower()
    {
        // Sensitivity, not the model's choice: with itrs-hp cells in the three shared SRAMs (the paper does not state the cell
        // type) the SRAMs leak 18.2 W more, so idle is 44.7 W (1.60 of 28) and peak 58.1 W (1.45 of 40). Before the logic
        // outside the PE array leaked, this sensitivity was what closed the gap (28.0 W idle, 41.4 W peak); now the default
        // (lop) cells, the same for every design, are within issue 11's band and hp cells are not.
        var arch = Arch();
        var lop = AsicCostModel.Report(arch);
        arch = arch with { Memory = arch.Memory.Select(m => m.Kind == MemoryKind.Sram ? m with { Cell = SramCell.Hp } : m).ToList() };
        var r = AsicCostModel.Report(arch);
        Assert.InRange(r.Cost.LeakageMw - lop.Cost.LeakageMw, 18_100, 18_300);
        Assert.InRange((r.Cost.LeakageMw + r.Cost.AlwaysOnMw) / 28_000, 1.55, 1.65);
        Assert.InRange(r.PeakPowerMw / 40_000, 1.4, 1.5);
    }
}
