using Mantissa.Arch.Cost;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Tests;

/// <summary>Bounds no mapping can break, on every bundled design with the default options.</summary>
public class MapperInvariantTests
{
    // GEMV decode, small batches, square, skinny, wide, odd and tiny shapes (M, K, N)
    private static readonly (long M, long K, long N)[] Shapes =
    {
        (1, 4096, 4096), (1, 11008, 4096), (4, 4096, 11008), (256, 1024, 1024), (512, 512, 512), (1024, 1024, 1024),
        (2048, 128, 2048), (128, 4096, 128), (77, 300, 129), (1000, 999, 997), (3, 5, 7), (33, 65, 17),
    };

    /// <summary>Every bundled design as shipped, and with its dataflow opened to the mapper (<c>dataflow: search</c>).</summary>
    public static IEnumerable<object[]> Designs => BundledArchs.Files.SelectMany(f => new[] { new object[] { f, false }, new object[] { f, true } });

    [Theory]
    [MemberData(nameof(Designs))]
    public void TrafficCyclesAndEnergyRespectTheirBounds(string file, bool openDataflow)
    {
        var arch = openDataflow ? BundledArchs.Load(file, ("array.dataflow", "search")) : BundledArchs.Load(file);
        Assert.Equal(openDataflow ? 3 : 1, arch.Array.Dataflows.Count);
        var cost = CostModel.Evaluate(arch);
        var sim = new Simulator(arch, cost);
        var dram = arch.Memory[MemoryLevels.Dram];
        foreach (var (m, k, n) in Shapes)
        {
            var p = sim.DefaultProblem(1, m, k, n);
            var layer = sim.RunGemm(m, k, n).Layers[0];
            string what = $"{file} {arch.Array.DataflowText} {m}x{k}x{n}";
            var t = layer.Traffic[MemoryLevels.Dram];
            // compulsory traffic, recomputed here from the operand widths
            double compulsory = (m * k * p.LeftBits + k * n * p.RightBits + m * n * p.OutputBits) / 8;
            Assert.Equal(compulsory, layer.Bounds!.CompulsoryDramBytes, 6);
            Assert.True(t.ReadBytes + t.WriteBytes >= compulsory * (1 - 1e-12), $"{what}: DRAM {t.ReadBytes + t.WriteBytes} B < compulsory {compulsory} B");
            // When every on-chip level can hold the whole problem, the mapping that keeps it all on chip moves each operand
            // across DRAM once; the default spends no more energy than it unless it is over 1 % slower than the fastest
            // mapping (the documented rule: a small GEMM can gain that much by pipelining its first load).
            bool allFit = arch.Memory.Skip(1).Where(l => !l.PerPe).All(l =>
                l.CapacityBytes == 0 || Search.Mapper.TileBytes(l, p, m, k, n) <= (l.DoubleBuffered ? l.CapacityBytes / 2.0 : l.CapacityBytes));
            if (allFit)
            {
                var est = Compute.SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, m, k, n, sim.Pe, arch.Switches.ModelFill);
                var space = new Search.Mapspace(new ArchView(arch), p, sim.Pe, arch.Array.Dataflow);
                var onChip = space.Make(space.Root());
                var dramOnce = TrafficModel.Compute(arch, p, onChip)[MemoryLevels.Dram];
                Assert.Equal(compulsory, dramOnce.ReadBytes + dramOnce.WriteBytes, 6);
                var mapper = new Search.Mapper(arch, cost, new SimOptions(), sim.Pe);
                var whole = mapper.Evaluate(p, onChip, est.Cycles);
                var chosen = mapper.Map(p, est.Cycles).Score;
                double fastest = new Search.Mapper(arch, cost, new SimOptions { ObjectiveTolerance = 0 }, sim.Pe).Map(p, est.Cycles).Score.Cycles;
                if (whole.Cycles <= fastest * 1.01)
                    Assert.True(chosen.EnergyPj <= whole.EnergyPj * (1 + 1e-9), $"{what}: default {chosen} vs all on chip {whole}");
                if (t.ReadBytes + t.WriteBytes > compulsory * 1.01)
                    Assert.True(whole.Cycles > fastest * 1.01 || chosen.EnergyPj <= whole.EnergyPj, $"{what}: more than compulsory traffic without a reason");
            }
            double peak = arch.PeCount * sim.Pe.MacsPerCycle;
            double dramTime = t.ReadBytes / dram.ReadBytesPerCycle + t.WriteBytes / dram.WriteBytesPerCycle;
            Assert.True(layer.Cycles >= (double)m * k * n / peak * (1 - 1e-9), $"{what}: {layer.Cycles} cycles beat the array's peak");
            Assert.True(layer.Cycles >= dramTime * (1 - 1e-9), $"{what}: {layer.Cycles} cycles beat the DRAM bus ({dramTime})");
            // the breakdown: each level's energy is its words times the cost model's per-word energies
            double levels = 0;
            for (int l = 0; l < arch.Memory.Count; l++)
            {
                double pj = layer.Traffic[l].Reads * cost.Levels[l].ReadEnergyPjPerWord + layer.Traffic[l].Writes * cost.Levels[l].WriteEnergyPjPerWord;
                Assert.Equal(pj, layer.Energy.Levels[l].Pj, 6);
                levels += pj;
            }
            Assert.Equal(layer.Energy.ComputePj + levels + layer.Energy.LeakagePj, layer.Energy.TotalPj, 6);
            Assert.True(layer.Energy.ComputePj > 0 && layer.Energy.LeakagePj >= 0);
        }
    }

    [Fact]
    public void DefaultNoLongerBuysTwoPercentLatencyWithThirteenTimesTheEnergy()
    {
        // the case of issue 12: with 8 MiB buffers every operand fits; the greedy latency mapper read 25.8x the
        // compulsory 696,320 bytes and spent 617.8 µJ vs 46.3 µJ for --objective energy
        var lat = BundledArchs.Sim("mx-fp4.yaml").RunGemm(256, 1024, 1024);
        var en = BundledArchs.Sim("mx-fp4.yaml", new SimOptions { Objective = MappingObjective.Energy }).RunGemm(256, 1024, 1024);
        var t = lat.Traffic[MemoryLevels.Dram];
        // MXFP4 is 4.25 bits per element with its shared scale: reads 256·1024 + 1024·1024 elements once, writes 256·1024 once
        Assert.Equal(696_320, t.ReadBytes, 6);
        Assert.Equal(139_264, t.WriteBytes, 6);
        Assert.True(lat.EnergyPj <= en.EnergyPj * 1.01, $"default {lat.EnergyPj} pJ vs energy objective {en.EnergyPj} pJ");
        Assert.True(lat.Cycles <= en.Cycles * 1.0001);
    }
}
