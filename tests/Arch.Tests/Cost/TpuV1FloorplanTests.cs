using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
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
/// TPU v1 as a whole chip (arch-configs/reproductions/tpu-v1/tpu-v1.yaml: tpu-int8.yaml plus its chip: components) against
/// the floor-plan shares of Jouppi et al. (ISCA 2017, Fig. 2): unified buffer 29%, matrix unit 24%, accumulators 6%, the
/// rest 41%. Issue 11 asks for every share within 10 points; two are, two are not, and each assertion pins which, so a
/// model change that moves a share across the line fails here until docs/cost.md ("Whole chips") is updated.
/// </summary>
public class TpuV1WholeChipTests
{
    private static ArchCost Chip() =>
        CostModel.Evaluate(ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml")));

    [Fact]
    public void FloorPlanShares()
    {
        var c = Chip();
        double Share(Func<AreaItem, bool> f) => 100 * c.AreaBreakdown.Where(f).Sum(a => a.AreaMm2) / c.AreaMm2;
        double ub = Share(a => a.Component == "unified_buffer");
        double mxu = Share(a => a.Component.StartsWith("pe.", StringComparison.Ordinal) || a.Component == "pe_weight");
        double acc = Share(a => a.Component == "accumulators");
        double rest = 100 - ub - mxu - acc;
        // Measured (128.8 mm² die): unified buffer 47.5%, matrix unit 12.3%, accumulators 7.9%, rest 32.3%.
        Assert.InRange(Math.Abs(acc - 6), 0, 10);
        Assert.InRange(Math.Abs(rest - 41), 0, 10);
        // Not reached: the CACTI-derived unified buffer is the bigger block (61 of 96 mm²) while the composed matrix unit is
        // a fifth of its floor-plan block (15 of 79 mm²), so the buffer's share is 18 points high and the array's 12 low.
        Assert.InRange(ub - 29, 10, 25);
        Assert.InRange(24 - mxu, 10, 15);
    }

    [Fact]
    public void DieAreaAndPowerAgainstTheChip()
    {
        var r = AsicCostModel.Report(ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml")));
        // Die under 331 mm², 40 W busy (ISCA 2017 Table 2). Measured 128.8 mm² (0.39) and 19.8 W of peak power (0.49): the
        // reproduction (tpu-v1/experiment.yaml) states why; issue 11's bands (±25%, ±30%) are not reached.
        Assert.InRange(r.Cost.AreaMm2 / 331, 0.35, 0.45);
        Assert.InRange(r.PeakPowerMw / 40_000, 0.45, 0.55);
        // The chip components add 41.8 mm² of PHYs and controllers, the rest is small; the clock tree 1.76 W.
        double io = r.Cost.AreaBreakdown.Where(a => a.Component.EndsWith("phy") || a.Component.EndsWith("controller")).Sum(a => a.AreaMm2);
        Assert.InRange(io, 40, 42);
        Assert.InRange(r.Cost.AlwaysOnMw, 1700, 1800);
    }
}
