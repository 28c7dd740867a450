using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>SRAM leakage by cell type, against CACTI points and the whole-chip power of TPU v1.</summary>
public class SramLeakageTests
{
    private static readonly MemoryLibrary M = MemoryLibrary.Default;
    private const double Mib = 1024 * 1024;

    // CACTI at 28 nm, itrs-hp cells (the MixPE simulator's bitfusion/sram/sweep.cfg.out): standby leakage of one bank.
    // 4 KB x 512 b: 3.11199 mW; 8 KB x 512 b: 5.75335 mW (0.76 and 0.70 mW per KB).
    private const double Cacti28HpMwPerMib4K = 3.11199 / 4 * 1024, Cacti28HpMwPerMib8K = 5.75335 / 8 * 1024;

    // CACTI 7 tech_params/45nm.dat at 360 K: (I_off + I_gate) * Vdd per um of width.
    private const double HpDevice = (6.42e-7 + 3.59e-8) * 1.0, LopDevice = (1.27e-8 + 9.82e-8) * 0.7, LstpDevice = (1.3e-10 + 9.47e-12) * 1.1;

    private static double MwPerMib(SramCell cell, long bytes = 8192, double node = 28, double vdd = 0.9) =>
        M.Evaluate(Specs.Sram("s", bytes, 512, cell: cell), node, vdd).LeakageMw / (bytes / Mib);

    [Fact]
    public void CellFactorsAreTheCactiDeviceRatios()
    {
        Assert.Equal(1.0, M.CellLeakage(SramCell.Hp).Factor, 12);
        Assert.Equal(LopDevice / HpDevice, M.CellLeakage(SramCell.Lop).Factor, 12);   // 0.115
        Assert.Equal(LstpDevice / HpDevice, M.CellLeakage(SramCell.Lstp).Factor, 12); // 2.3e-4
        // And the model applies exactly that factor to the HP leakage of the same array, leaving access energy and area alone.
        var hp = M.Evaluate(Specs.Sram("s", 64 * 1024, 256, 4, SramCell.Hp), 28, 0.9);
        var lop = M.Evaluate(Specs.Sram("s", 64 * 1024, 256, 4, SramCell.Lop), 28, 0.9);
        Assert.Equal(hp.LeakageMw * LopDevice / HpDevice, lop.LeakageMw, 9);
        Assert.Equal(hp.ReadPjPerWord, lop.ReadPjPerWord);
        Assert.Equal(hp.AreaMm2, lop.AreaMm2);
    }

    [Fact]
    public void HpLeakageAt28nmMatchesTheCacti28nmPoints()
    {
        // The 45 nm HP sweep moved to 28 nm / 0.9 V with the Stillmaker energy factor, against CACTI run at 28 nm directly.
        // Measured ratios 1.00 (8 KB, 737 mW/MiB) and 0.99 (4 KB, 785 mW/MiB). Band 0.85-1.15: the two runs differ in port
        // width (32 b vs 512 b) and CACTI 28 nm is itself interpolated between its 32 and 22 nm tables.
        Assert.InRange(MwPerMib(SramCell.Hp, 8192) / Cacti28HpMwPerMib8K, 0.85, 1.15);
        Assert.InRange(MwPerMib(SramCell.Hp, 4096) / Cacti28HpMwPerMib4K, 0.85, 1.15);
    }

    [Fact]
    public void DefaultLeakagePerMibAt28nmIsWithinTheSourcedRange()
    {
        // Sources at 28 nm: CACTI itrs-hp 700-780 mW/MiB (above); times the CACTI device ratio, itrs-lop is 80-90 mW/MiB and
        // itrs-lstp 0.16-0.18 mW/MiB. The default (lop; measured 84 mW/MiB for an 8 KB bank) must sit within 15% of the lop
        // figure derived from the 28 nm run, and inside the lstp..hp range of the sources.
        double lop = MwPerMib(SramCell.Lop);
        double lopFromCacti28 = Cacti28HpMwPerMib8K * LopDevice / HpDevice;
        Assert.InRange(lop / lopFromCacti28, 0.85, 1.15);
        Assert.InRange(lop, Cacti28HpMwPerMib8K * LstpDevice / HpDevice, Cacti28HpMwPerMib8K);
        Assert.True(MwPerMib(SramCell.Lstp) < lop && lop < MwPerMib(SramCell.Hp));
    }

    [Fact]
    public void LeakageScalesWithCapacityAndNode()
    {
        double Leak(long bytes, double node) => M.Evaluate(Specs.Sram("s", bytes, 512, 8), node, TechnologyScaling.Default.NominalVdd(node)).LeakageMw;
        Assert.True(Leak(8 * 1024 * 1024, 28) > 1.9 * Leak(4 * 1024 * 1024, 28));
        Assert.True(Leak(4 * 1024 * 1024, 45) > Leak(4 * 1024 * 1024, 28));
        Assert.True(Leak(4 * 1024 * 1024, 28) > Leak(4 * 1024 * 1024, 7));
    }

    // TPU v1 (Jouppi et al., ISCA 2017): 28 nm, 24 MiB unified buffer + 4 MiB accumulators, 40 W busy and 28 W idle for the
    // whole chip, including DDR3 and PCIe I/O and a clock tree that keeps running when idle. Leakage is a part of the idle
    // power only, so the band is: SRAM leakage at most 10% of idle power (2.8 W) and all leakage (PEs, SRAMs, registers)
    // at most 25% of it (7 W). CACTI itrs-hp cells (the previous default) put 15.6 W in the SRAMs alone and fail the band.
    private const double TpuIdleMw = 28_000;

    private static (double Sram, double Total) TpuLeakage(string? cell)
    {
        var sets = cell is null ? null : new[] { "weight_fifo", "unified_buffer", "accumulators" }
            .Select(l => ConfigFixtures.Set($"memory.{l}.cell={cell}")).ToList();
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "tpu-int8.yaml"), sets);
        var cost = CostModel.Evaluate(arch);
        double sram = arch.Memory.Where(m => m.Kind == MemoryKind.Sram).Sum(m => cost.Levels.Single(l => l.Name == m.Name).LeakageMw);
        return (sram, cost.LeakageMw);
    }

    [Fact]
    public void TpuLikeDesignLeaksWithinTheTpuV1IdlePowerBand()
    {
        var (sram, total) = TpuLeakage(null);
        Assert.InRange(sram, 0, 0.10 * TpuIdleMw);
        Assert.InRange(total, 0, 0.25 * TpuIdleMw);
        // Measured: SRAM 2.36 W (2.0 W of it the 24 MiB unified buffer, tiled linearly from 16 KB arrays), total 4.6 W
        // (2.2 W PE leakage). Before the arrays were tiled linearly the sub-linear fit gave 1.79 W.
        Assert.InRange(sram, 2100, 2600);

        var (hpSram, hpTotal) = TpuLeakage("hp");
        Assert.True(hpSram > 0.10 * TpuIdleMw && hpTotal > 0.25 * TpuIdleMw, $"hp: {hpSram} / {hpTotal} mW");
    }

    [Fact]
    public void LeakageOverrideStillWins()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "tpu-int8.yaml"),
            new[] { ConfigFixtures.Set("overrides.memory.unified_buffer.leakage_mw={value: 250, source: \"measured\"}") });
        var cost = CostModel.Evaluate(arch);
        Assert.Equal(250, cost.Levels.Single(l => l.Name == "unified_buffer").LeakageMw);
    }
}
