using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>FPGA static power: the idle device and card are charged as leakage, against measured Alveo idle power.</summary>
public class FpgaStaticPowerTests
{
    private static ArchitectureSpec FlightLlm() => ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "flightllm-u280.yaml"));

    [Fact]
    public void EveryDeviceHasASourcedStaticPower()
    {
        foreach (var n in FpgaDeviceTable.Names)
        {
            var d = FpgaDeviceTable.Get(n);
            Assert.True(d.StaticW > 0, n);
            Assert.False(string.IsNullOrWhiteSpace(d.StaticSource), n);
            Assert.False(string.IsNullOrWhiteSpace(d.BoardStaticSource), n);
        }
    }

    [Fact]
    public void U280LeakageIsTheIdleCardPower()
    {
        // Band: an idle HBM Alveo card draws 17.4 W (U50, Xilinx/XRT PR #5184: 12 V x 1.363 A + 3.3 V x 0.223 A) of which
        // 5.27 W is the FPGA core rails; an idle DDR4 Alveo card 17.4 W (XRT PR #3697). The U280 has 1.5x the U50's fabric,
        // so its idle card lies between 17 W and the 25 W one more U50-sized die would add; the die alone 5-10 W.
        var cost = CostModel.Evaluate(FlightLlm());
        Assert.InRange(cost.LeakageMw, 17_000, 25_000);
        double die = cost.EnergyTable.Single(e => e.Component == "fpga_device").EnergyPj * 225 * 1e-3; // pJ/cycle x MHz -> mW
        Assert.InRange(die, 5_000, 10_000);
        // The card's memory, PHY and regulators sit on the HBM level; on-chip URAM leakage is part of the die figure.
        Assert.Equal(12_100, cost.Levels.Single(l => l.Name == "hbm").LeakageMw, 6);
        Assert.Equal(0, cost.Levels.Single(l => l.Name == "weight_buffer").LeakageMw);
        Assert.Equal(die + 12_100, cost.LeakageMw, 6);
    }

    [Fact]
    public void PeakPowerIncludesTheStaticTerm()
    {
        // Before the fix: 0 mW leakage and 503 mW peak for the FlightLLM U280 design.
        var r = CostModel.Report(FlightLlm());
        Assert.True(r.PeakPowerMw > r.Cost.LeakageMw && r.Cost.LeakageMw > 17_000, $"{r.PeakPowerMw} mW");
    }

    [Fact]
    public void DesignWithoutDramChargesTheBoardToTheTotal()
    {
        var arch = FlightLlm();
        arch = arch with { Memory = arch.Memory.Where(m => m.Kind != MemoryKind.Dram).ToList() };
        var cost = CostModel.Evaluate(arch);
        Assert.Equal(FpgaDeviceTable.Get("u280").StaticW * 1e3 + 12_100, cost.LeakageMw, 6);
        Assert.Contains(cost.EnergyTable, e => e.Component == "fpga_board");
    }

    [Fact]
    public void TotalLeakageOverrideStillWins()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "flightllm-u280.yaml"),
            new[] { ConfigFixtures.Set("overrides.leakage_mw={value: 30000, source: \"measured board\"}") });
        Assert.Equal(30_000, CostModel.Evaluate(arch).LeakageMw);
    }
}
