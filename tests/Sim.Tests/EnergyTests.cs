using Mantissa.Arch.Model;

namespace Mantissa.Sim.Tests;

public class EnergyTests
{
    private static ArchitectureSpec Arch(SimSwitches? s = null) => TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 16, glbBytes: 256 << 10, switches: s);

    [Fact]
    public void BreakdownSumsToTotal()
    {
        var r = TestArchs.Sim(Arch()).RunGemm(256, 1024, 512);
        var e = r.Energy;
        double sum = e.ComputePj + e.LeakagePj + e.Levels.Sum(l => l.Pj);
        Assert.Equal(r.Metrics()[Mantissa.Sim.Results.Metric.EnergyPj], sum, 6);
        Assert.True(e.ComputePj > 0 && e.LeakagePj > 0 && e.Levels.All(l => l.Pj > 0));
    }

    [Fact]
    public void DoublingDramEnergyChangesOnlyTheDramPart()
    {
        var arch = Arch();
        var a = new Simulator(arch, TestArchs.Cost(arch, dramPjPerWord: 100)).RunGemm(256, 1024, 512);
        var b = new Simulator(arch, TestArchs.Cost(arch, dramPjPerWord: 200)).RunGemm(256, 1024, 512);
        Assert.Equal(a.Energy.ComputePj, b.Energy.ComputePj);
        Assert.Equal(a.Energy.LeakagePj, b.Energy.LeakagePj);
        Assert.Equal(a.Energy.Levels[1].Pj, b.Energy.Levels[1].Pj);
        Assert.Equal(2 * a.Energy.Levels[0].Pj, b.Energy.Levels[0].Pj, 6);
    }

    [Fact]
    public void LeakageIsPowerTimesTime()
    {
        var r = TestArchs.Sim(Arch()).RunGemm(256, 1024, 512);
        // 10 mW for cycles / 1 GHz
        Assert.Equal(10e-3 * r.LatencySeconds * 1e12, r.Energy.LeakagePj, 6);
    }

    [Fact]
    public void ChargingAllPesEveryCycleMatchesTheBitModAccounting()
    {
        var arch = Arch(new SimSwitches(ChargeAllPesEveryCycle: true));
        var r = TestArchs.Sim(arch).RunGemm(256, 1024, 512);
        Assert.Equal(1024 * r.Cycles * 0.5, r.Energy.ComputePj, 3);
        var gated = TestArchs.Sim(Arch()).RunGemm(256, 1024, 512);
        // utilisation-weighted: busy PE-cycles = MACs at 0.5 pJ, the rest idle at 0.05 pJ
        double macs = 256.0 * 1024 * 512;
        Assert.Equal(macs * 0.5 + (1024 * gated.Cycles - macs) * 0.05, gated.Energy.ComputePj, 3);
    }
}
