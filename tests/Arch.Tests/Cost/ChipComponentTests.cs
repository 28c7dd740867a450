using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// Whole-chip components (<c>chip:</c>): each declared one adds its own rows, priced from its published figure; a design
/// without the section is priced exactly as before.
/// </summary>
public class ChipComponentTests
{
    // No component and no chip-level factors (fitted_area: false), so each test sees one component alone.
    private static readonly ChipSpec Nothing = new(false, 0, 0, 0, PcieGeneration.Gen4, false, false, false, FittedArea: false);

    private static ArchitectureSpec Design(ChipSpec? chip, double node = 28, IReadOnlyList<MemoryLevelSpec>? memory = null, int rows = 16) =>
        Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), rows, rows, node, 0.9, memory, clockMhz: 1000) with { Chip = chip };

    private static double Area(CostReport r, string name) => r.Cost.AreaBreakdown.Single(a => a.Component == name).AreaMm2;

    private static double AreaScale(double from, double to) => TechnologyScaling.Default.AreaScale(from, to);

    [Fact]
    public void NoSectionAndAnEmptySectionPriceTheSame()
    {
        var none = AsicCostModel.Report(Design(null));
        var empty = AsicCostModel.Report(Design(Nothing));
        Assert.Equal(none.Cost.AreaMm2, empty.Cost.AreaMm2);
        Assert.Equal(none.PeakPowerMw, empty.PeakPowerMw);
        Assert.Equal(none.Cost.AreaBreakdown.Count, empty.Cost.AreaBreakdown.Count);
        Assert.Equal(0, empty.Cost.AlwaysOnMw);
        Assert.Contains("clock_tree", empty.ChipNotModelled);
        Assert.Single(none.ChipNotModelled);
    }

    [Fact]
    public void ControlIsIbexSmallInNanGateGates()
    {
        var r = AsicCostModel.Report(Design(Nothing with { Control = true }, node: 45));
        // lowRISC Ibex 'small': 26.06 kGE x NanGate45 NAND2_X1 0.798 um2 = 20,795.88 um2 at 45 nm.
        Assert.Equal(26.06e3 * 0.798e-6, Area(r, "control"), 12);
        var r28 = AsicCostModel.Report(Design(Nothing with { Control = true }, node: 28));
        Assert.Equal(26.06e3 * 0.798e-6 * AreaScale(45, 28), Area(r28, "control"), 12);
    }

    [Fact]
    public void DramPhyIsSizedFromTypeAndBandwidth()
    {
        // 34 GB/s of DDR4 at 3.2 Gb/s per pin: two 64-bit channels = four 32-bit link units of 1.45 mm2 (LLMCompass).
        var ddr = new MemoryLevelSpec("dram", MemoryKind.Dram, "ddr4", 0, 64, 1, 34, 34, TensorSet.All, false, false);
        var r = AsicCostModel.Report(Design(Nothing with { DramPhy = true }, memory: [ddr, Specs.Sram("glb", 1 << 17)]));
        var phy = r.Cost.AreaBreakdown.Single(a => a.Component == "dram.phy");
        Assert.Equal((2, 4 * 1.45), (phy.Count, phy.AreaMm2));
        // Controller: 90.4464 M transistors per 32 bits at 96.3 M/mm2 (7 nm), scaled 7 -> 28 nm.
        Assert.Equal(4 * 90.4464 / 96.3 * AreaScale(7, 28), Area(r, "dram.controller"), 9);

        // 460 GB/s of HBM2e at 3.2 Gb/s x 1024 pins = 409.6 GB/s per stack: two stacks of 10.45 mm2, at any node.
        var hbm = new MemoryLevelSpec("hbm", MemoryKind.Dram, "hbm2e", 0, 256, 1, 460, 460, TensorSet.All, false, false);
        foreach (double node in new[] { 7.0, 28 })
        {
            var h = AsicCostModel.Report(Design(Nothing with { DramPhy = true }, node, [hbm, Specs.Sram("glb", 1 << 17)]));
            Assert.Equal(2 * 10.45, Area(h, "hbm.phy"), 12);
            Assert.Equal(2 * 552.743 / 96.3 * AreaScale(7, node), Area(h, "hbm.controller"), 9);
        }
    }

    [Fact]
    public void PcieIsPricedPerLane()
    {
        var r = AsicCostModel.Report(Design(Nothing with { PcieLanes = 16, PcieGeneration = PcieGeneration.Gen5 }, node: 7));
        Assert.Equal(16 * 0.64, Area(r, "pcie_phy"), 12);
        Assert.Equal(16 * 5.3721 / 96.3, Area(r, "pcie_controller"), 12);
        // Gen3 is priced as Gen4 (the nearest tabulated generation) and says so.
        var g3 = AsicCostModel.Report(Design(Nothing with { PcieLanes = 4, PcieGeneration = PcieGeneration.Gen3 }, node: 7));
        var item = g3.Cost.AreaBreakdown.Single(a => a.Component == "pcie_phy");
        Assert.Equal(4 * 0.48, item.AreaMm2, 12);
        Assert.Contains("Gen3 priced as Gen4", item.Source);
    }

    [Fact]
    public void PostProcessingSharesOneTableAcrossItsLanes()
    {
        double A(int lanes) => Area(AsicCostModel.Report(Design(Nothing with { PostProcessingLanes = lanes })), "post_processing");
        double lane = A(2) - A(1);
        Assert.True(lane > 0);
        // Linear in lanes beyond the one shared 322-entry x 16-bit table (NVDLA's LE + LO tables): at least 322 x 16 flip-flops.
        Assert.Equal(A(1) + 15 * lane, A(16), 9);
        double table = A(1) - lane;
        Assert.True(table >= 322 * 16 * 4.522e-6 * AreaScale(45, 28) * 0.999);
        var r = AsicCostModel.Report(Design(Nothing with { PostProcessingLanes = 4 }));
        Assert.True(r.Cost.EnergyTable.Single(e => e.Component == "post_processing").EnergyPj > 0);
    }

    [Fact]
    public void PostProcessingLanesCarryCrossChannelNormalization()
    {
        // Each lane adds a 16x16 squarer, a delay line of lrn_window_max (9, NVDLA's widest CDP window) 32-bit squares, a
        // running-sum adder and subtractor and a 16x16 normalizing multiply: at least the delay line's 288 flip-flops per lane.
        var r = AsicCostModel.Report(Design(Nothing with { PostProcessingLanes = 4 }));
        var row = r.Cost.AreaBreakdown.Single(a => a.Component == "post_processing");
        Assert.Contains("9-deep delay line of 32-bit squares", row.Source);
        Assert.Contains("US 10,074,051", row.Source);
        Assert.Contains("pooling line storage not priced", row.Source);
        double A(int lanes) => Area(AsicCostModel.Report(Design(Nothing with { PostProcessingLanes = lanes })), "post_processing");
        Assert.True(A(2) - A(1) >= 9 * 32 * 4.522e-6 * AreaScale(45, 28) * 0.999);
        // TPU v1's 256 lanes: 1.109964 mm² composed at 28 nm (0.775554 mm² before the normalization stage).
        var tpu = CostModel.Evaluate(ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "reproductions", "tpu-v1", "tpu-v1.yaml")));
        Assert.Equal(1.109964, tpu.AreaBreakdown.Single(a => a.Component == "post_processing").AreaMm2, 6);
    }

    [Fact]
    public void ClockTreeGrowsWithTheSquareRootOfSinksTimesArea()
    {
        var small = AsicCostModel.Report(Design(Nothing with { ClockTree = true }, rows: 16));
        var big = AsicCostModel.Report(Design(Nothing with { ClockTree = true }, rows: 64));
        double e(CostReport r) => r.Cost.EnergyTable.Single(x => x.Component == "clock_tree").EnergyPj;
        // Tour bound 0.7124 sqrt(N A) x 0.2 fF/um x V^2: recompute from the report's own sinks and die area.
        var arch = Design(Nothing with { ClockTree = true }, rows: 16);
        double sinks = Mantissa.Arch.Cost.Chip.ChipCostModel.FlipFlops(arch, PeDatapath.For(arch));
        Assert.Equal(16 * 16 * (32 + 8 + 8), sinks); // int32 accumulator, int8 activation and int8 weight registers
        double dieUm2 = small.Cost.AreaMm2 * 1e6;
        Assert.Equal(0.7124 * Math.Sqrt(sinks * dieUm2) * 0.2 * 0.81 * 1e-3, e(small), 9);
        double buffers = small.Cost.EnergyTable.Single(x => x.Component == "clock_buffers").EnergyPj;
        Assert.Equal((e(small) + buffers) * 1000 * 1e-3, small.Cost.AlwaysOnMw, 9);
        Assert.True(e(big) > e(small));
        // Peak power carries it.
        var none = AsicCostModel.Report(Design(null, rows: 16));
        Assert.Equal(none.PeakPowerMw + small.Cost.AlwaysOnMw, small.PeakPowerMw, 9);
    }

    [Fact]
    public void ClockBuffersDriveTheWireAndEveryClockPin()
    {
        var arch = Design(Nothing with { ClockTree = true }, rows: 16);
        var r = AsicCostModel.Report(arch);
        double Pj(string name) => r.Cost.EnergyTable.Single(x => x.Component == name).EnergyPj;
        // Wire capacitance back from the tree's energy (C V^2); every flip-flop's clock pin is NanGate45 DFF_X1's 0.91 fF,
        // taken to 28 nm at constant voltage. A buffer chain at stage effort 4 has input capacitance load/3 over its stages,
        // and as much again in its own drains (p_inv = 1): 2/3 of the load, switched every cycle.
        double wireFf = Pj("clock_tree") / (0.81 * 1e-3);
        double pinsFf = 16 * 16 * (32 + 8 + 8) * 0.91 * TechnologyScaling.Default.EnergyScale(45, 0.9, 28, 0.9);
        Assert.Equal(2.0 / 3.0 * (wireFf + pinsFf) * 0.81 * 1e-3, Pj("clock_buffers"), 9);
        // A 45 -> 28 nm pin is smaller than at 45 nm, and the buffers cost less than the wire and pins they drive.
        Assert.InRange(pinsFf, 0.3 * 0.91 * 12288, 0.91 * 12288);
        Assert.True(Pj("clock_buffers") < Pj("clock_tree") + pinsFf * 0.81 * 1e-3);
        // Declared without the tree, there are no buffers either.
        var off = AsicCostModel.Report(Design(Nothing, rows: 16));
        Assert.DoesNotContain(off.Cost.EnergyTable, x => x.Component == "clock_buffers");
    }

    [Fact]
    public void PcieTransmittersDrawPowerEveryCycleTheLinkIsUp()
    {
        // 1.93 pJ/bit (Bae et al. 2021, 28 nm Gen4 transmitter) x the generation's line rate x lanes, busy or idle.
        double Mw(int lanes, PcieGeneration gen) => AsicCostModel.Report(Design(Nothing with { PcieLanes = lanes, PcieGeneration = gen })).Cost.AlwaysOnMw;
        Assert.Equal(16 * 8 * 1.93, Mw(16, PcieGeneration.Gen3), 9);
        Assert.Equal(4 * 16 * 1.93, Mw(4, PcieGeneration.Gen4), 9);
        Assert.Equal(8 * 32 * 1.93, Mw(8, PcieGeneration.Gen5), 9);
        // The energy row is per chip cycle (1 GHz here): the same power.
        var r = AsicCostModel.Report(Design(Nothing with { PcieLanes = 16, PcieGeneration = PcieGeneration.Gen3 }));
        Assert.Equal(r.Cost.AlwaysOnMw, r.Cost.EnergyTable.Single(e => e.Component == "pcie_phy").EnergyPj * 1000 * 1e-3, 9);
        // Peak power adds the transmitters and the leakage of the PCIe controller's logic (chip_logic, ChipLogicLeakageTests).
        var bare = AsicCostModel.Report(Design(Nothing));
        double controllerLeak = r.Cost.LeakageMw - bare.Cost.LeakageMw;
        Assert.Equal(Area(r, "pcie_controller") * 1e6 * r.Cost.PeLeakageMw / r.Cost.PeAreaUm2, controllerLeak, 9);
        Assert.Equal(bare.PeakPowerMw + r.Cost.AlwaysOnMw + controllerLeak, r.PeakPowerMw, 9);
    }

    [Fact]
    public void InterconnectEnergyIsLinearInWidth()
    {
        var r = AsicCostModel.Report(Design(Nothing with { Interconnect = true },
            memory: [Specs.Dram(), Specs.Sram("a", 1 << 16, 64), Specs.Sram("b", 1 << 16, 256)]));
        double a = r.Cost.EnergyTable.Single(x => x.Component == "interconnect.a").EnergyPj;
        double b = r.Cost.EnergyTable.Single(x => x.Component == "interconnect.b").EnergyPj;
        Assert.Equal(4 * a, b, 9);
        Assert.DoesNotContain(r.Cost.EnergyTable, x => x.Component == "interconnect.dram");
    }
}
