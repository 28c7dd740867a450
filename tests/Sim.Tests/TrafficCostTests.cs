using Mantissa.Arch.Cost;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>The mapper, the energy model and the timing price traffic with one kernel.</summary>
public class TrafficCostTests
{
    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void MapperScoresTheFiguresTheEnergyModelAndTimingUse(string file)
    {
        var arch = BundledArchs.Load(file);
        var cost = CostModel.Evaluate(arch);
        var sim = new Simulator(arch, cost);
        var mapper = new Mapper(arch, cost, new SimOptions(), sim.Pe);
        foreach (var (m, k, n) in new[] { (1L, 4096L, 4096L), (256L, 1024L, 1024L), (77L, 300L, 129L) })
        {
            var p = sim.DefaultProblem(1, m, k, n);
            var r = mapper.Map(p, 1000);
            var energy = EnergyModel.Compute(arch, cost, r.Traffic, 0, 0);
            Assert.Equal(energy.LevelsPj, r.Memory.MemoryPj, 6);
            Assert.Equal(TrafficCost.InnerCycles(arch, r.Traffic), r.Memory.InnerCycles, 9);
            Assert.Equal(r.Traffic[MemoryLevels.Dram].ReadBytes, r.Memory.DramReadTotal, 6);
            Assert.Equal(r.Traffic[MemoryLevels.Dram].WriteBytes, r.Memory.DramWriteTotal, 6);
        }
    }

    [Fact]
    public void TotalEnergyIsTheBreakdownSum()
    {
        var arch = BundledArchs.Load("mixpe.yaml");
        var cost = CostModel.Evaluate(arch);
        var sim = new Simulator(arch, cost);
        var layer = sim.RunGemm(64, 512, 256).Layers[0];
        double busy = layer.Macs / sim.Pe.MacsPerCycle;
        Assert.Equal(layer.Energy.TotalPj, EnergyModel.TotalPj(arch, cost, layer.Energy.LevelsPj, busy, layer.Cycles), 3);
    }

    [Fact]
    public void GemmWeightsCarryTheirGroupScales()
    {
        // bitmod runs int4 weights in groups of 128 with a 16-bit scale each (its default recipe, w4a16g128), as a
        // workload stores them: 256x1024x1024 reads at least 256·1024·2 + 1024·1024·(4 + 16/128)/8 = 1,064,960 bytes.
        var sim = BundledArchs.Sim("bitmod.yaml");
        var p = sim.DefaultProblem(1, 256, 1024, 1024);
        Assert.Equal(4 + 16.0 / 128, p.RightBits);
        var r = sim.RunGemm(256, 1024, 1024);
        Assert.True(r.Traffic[MemoryLevels.Dram].ReadBytes >= 1_064_960, $"{r.Traffic[MemoryLevels.Dram].ReadBytes} B read");
        // a PE without groups (tpu-int8, w8a8 per channel) stores its weights at 8 bits
        Assert.Equal(8, BundledArchs.Sim("tpu-int8.yaml").DefaultProblem(1, 8, 256, 256).RightBits);
    }
}
