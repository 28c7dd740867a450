using Mantissa.Explorer.Sweep;
using SimObjective = Mantissa.Sim.MappingObjective;

namespace Mantissa.Explorer.Tests;

/// <summary>A sweep's objectives choose what the mapper minimizes for every design.</summary>
public class SweepMapperObjectiveTests
{
    [Theory]
    [InlineData(SimObjective.Energy, "tokens_per_j", "latency_s")]
    [InlineData(SimObjective.Latency, "area_mm2", "tokens_per_s", "energy_pj")]
    [InlineData(SimObjective.Edp, "edp")]
    [InlineData(SimObjective.Energy, "energy_pj")]
    [InlineData(SimObjective.Latency, "area_mm2")]
    public void FirstTimeOrEnergyObjectiveDecides(SimObjective expected, params string[] metrics) =>
        Assert.Equal(expected, SimulatorEvaluator.MapperObjective(metrics.Select(m => new Objective(m, Goal.Min))));
}
