using Mantissa.Arch.Model;

namespace Mantissa.Sim.Tests;

public class ObjectiveTests
{
    [Theory]
    [InlineData(Dataflow.WS)]
    [InlineData(Dataflow.OS)]
    public void EachObjectiveWinsOnItsOwnMetric(Dataflow df)
    {
        var arch = TestArchs.Systolic(32, 32, df, dramBw: 16, glbBytes: 128 << 10);
        var lat = TestArchs.Sim(arch, new SimOptions { Objective = MappingObjective.Latency }).RunGemm(384, 2048, 1536);
        var en = TestArchs.Sim(arch, new SimOptions { Objective = MappingObjective.Energy }).RunGemm(384, 2048, 1536);
        var edp = TestArchs.Sim(arch, new SimOptions { Objective = MappingObjective.Edp }).RunGemm(384, 2048, 1536);
        // the mapper scores with the closed-form latency; allow the tile recurrence 2 % of slack
        Assert.True(en.EnergyPj <= lat.EnergyPj * 1.0001, $"energy objective {en.EnergyPj} vs latency objective {lat.EnergyPj}");
        Assert.True(lat.Cycles <= en.Cycles * 1.02, $"latency objective {lat.Cycles} vs energy objective {en.Cycles}");
        double edpOf(Mantissa.Sim.Results.SimResult r) => r.Metrics()[Mantissa.Sim.Results.Metric.Edp];
        Assert.True(edpOf(edp) <= Math.Min(edpOf(lat), edpOf(en)) * 1.02);
        Assert.Equal(lat.ComputeCycles, en.ComputeCycles);
    }
}
