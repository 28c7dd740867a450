using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>Designs that differ only in clock, DRAM bandwidth, DRAM type (energy per word) or leakage re-score a shared front (<see cref="MappingFront"/>).</summary>
public class MappingFrontTests
{
    private static readonly (long M, long K, long N)[] Shapes = { (128, 1024, 1024), (300, 77, 1000) };

    // clock × DRAM bandwidth × DRAM type × leakage, in bytes per cycle at 1 GHz and pJ per word
    private static IEnumerable<(ArchitectureSpec Arch, ArchCost Cost)> Grid(ArchitectureSpec arch)
    {
        foreach (double clock in new[] { 200.0, 1460 })
        foreach (double gbps in new[] { 3.2, 25.6, 409.6 })
        foreach (double dramPj in new[] { 20.0, 160, 1200 })
        foreach (double leak in new[] { 0.0, 400 })
        {
            double bytesPerCycle = gbps * 1e3 / clock;
            var dram = arch.Memory[0] with { ReadBytesPerCycle = bytesPerCycle, WriteBytesPerCycle = bytesPerCycle * 0.75, DramType = dramPj > 100 ? "ddr4" : "hbm2" };
            var design = arch with { ClockMhz = clock, Memory = new[] { dram }.Concat(arch.Memory.Skip(1)).ToArray() };
            yield return (design, TestArchs.Cost(design, dramPjPerWord: dramPj, leakMw: leak));
        }
    }

    private static IEnumerable<ArchitectureSpec> Bases()
    {
        foreach (var df in new[] { Dataflow.WS, Dataflow.OS })
        foreach (bool db in new[] { true, false })
        foreach (long glb in new[] { 64L << 10, 1L << 20 })
            yield return TestArchs.Systolic(16, 32, df, glbBytes: glb, glbBw: 64, doubleBuffered: db);
        // inputs bypass the buffer: streamed into the array
        yield return TestArchs.Systolic(16, 16, Dataflow.WS, glbBytes: 256 << 10, glbBw: 32, doubleBuffered: false, glbHolds: TensorSet.Weights | TensorSet.Outputs);
    }

    [Theory]
    [InlineData(MappingObjective.Latency)]
    [InlineData(MappingObjective.Energy)]
    [InlineData(MappingObjective.Edp)]
    public void EveryPointOfAClockBandwidthDramTypeGridGetsTheFreshSearchsMappingAndScore(MappingObjective objective)
    {
        var options = new SimOptions { Objective = objective };
        var cache = new MappingCache();
        var winners = new HashSet<string>();
        int points = 0;
        foreach (var b in Bases())
        foreach (var (arch, cost) in Grid(b))
        foreach (var (m, k, n) in Shapes)
        {
            var fresh = new Simulator(arch, cost, options);
            var shared = new Simulator(arch, cost, options, cache);
            var p = fresh.DefaultProblem(1, m, k, n);
            var est = Compute.SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, m, k, n, fresh.Pe,
                arch.Switches.ModelFill, options.ScaleSimCounting, arch.Array.Preload);
            var expected = new Mapper(arch, cost, options, fresh.Pe).Map(p, est.Cycles);
            var got = cache.Map(new MapperInputs(arch, cost, options, fresh.Pe), new Mapper(arch, cost, options, fresh.Pe), p, est.Cycles);
            Assert.Equal(Nest(expected.Mapping), Nest(got.Mapping));
            Assert.Equal(expected.Score, got.Score);
            Assert.Equal(expected.Memory, got.Memory);
            Assert.Equal(expected.Evaluated, got.Evaluated);
            Assert.Equal(expected.Traffic.Select(t => (t.Level, t.ReadBytes, t.WriteBytes, string.Join(",", t.ReadWords), string.Join(",", t.WriteWords))),
                got.Traffic.Select(t => (t.Level, t.ReadBytes, t.WriteBytes, string.Join(",", t.ReadWords), string.Join(",", t.WriteWords))));
            // and the whole simulated layer through the simulator
            var f = fresh.RunGemm(m, k, n, 2).Layers[0];
            var s = shared.RunGemm(m, k, n, 2).Layers[0];
            Assert.Equal((f.Cycles, f.Energy.TotalPj, f.StallCycles), (s.Cycles, s.Energy.TotalPj, s.StallCycles));
            winners.Add(string.Join("|", Nest(expected.Mapping)) + m);
            points++;
        }
        // every point but two per base design and shape is answered from a front (the second search records it), and the
        // grid moves the winner: fronts hold mappings that win somewhere. Each point is looked up twice (above, then by the
        // simulator): the two searched points hit on the second lookup; a front's answer is not kept, so the others re-score twice
        int designs = Bases().Count() * Shapes.Length;
        Assert.Equal((2L * designs, 2L * (points - 2L * designs), 2L * designs), (cache.Misses, cache.Rescored, cache.Hits));
        Assert.True(winners.Count > designs, $"{winners.Count} distinct winners over {designs} base designs and shapes");
    }

    [Fact]
    public void AFrontKeepsFewerCandidatesThanTheSearchScoresAndNegativeEnergiesFallBackToASearch()
    {
        var arch = TestArchs.Systolic(32, 32, Dataflow.OS, dramBw: 51.2, glbBytes: 1 << 20, glbBw: 64);
        var cost = TestArchs.Cost(arch);
        var mapper = new Mapper(arch, cost, new SimOptions(), Compute.PeThroughput.For(arch.Pe));
        var p = new Simulator(arch, cost).DefaultProblem(1, 128, 1024, 1024);
        var result = MappingFront.Search(mapper, p, 5000, out var front);
        Assert.NotNull(front);
        Assert.InRange(front!.Count, 1, (result.Evaluated - 1) / 2 - 1);
        Assert.NotNull(front.Select(mapper));
        var negative = cost with { Levels = cost.Levels.Select((l, i) => i == 0 ? l with { ReadEnergyPjPerWord = -1 } : l).ToArray() };
        Assert.Null(front.Select(new Mapper(arch, negative, new SimOptions(), Compute.PeThroughput.For(arch.Pe))));
    }

    [Fact]
    public void DeeperHierarchiesAndOpenDataflowsAreNotShared()
    {
        var arch = TestArchs.Systolic(16, 16, Dataflow.WS, glbBytes: 1 << 20, glbBw: 64);
        var l2 = new MemoryLevelSpec("l2", MemoryKind.Sram, null, 32 << 10, 32, 1, 64, 64, TensorSet.All, true, false);
        var deep = arch with { Memory = arch.Memory.Append(l2).ToArray() };
        var cache = new MappingCache();
        foreach (double clock in new[] { 500.0, 700, 900 })
            new Simulator(deep with { ClockMhz = clock }, TestArchs.Cost(deep), null, cache).RunGemm(64, 256, 512);
        Assert.Equal((3L, 0L), (cache.Misses, cache.Rescored));
        // an open dataflow skips dataflows by a bound that depends on the clock and bandwidth: searched afresh too
        var open = arch with { Array = arch.Array with { Open = DataflowSet.All } };
        foreach (double clock in new[] { 500.0, 700, 900 })
            new Simulator(open with { ClockMhz = clock }, TestArchs.Cost(open), null, cache).RunGemm(64, 256, 512);
        Assert.Equal((6L, 0L), (cache.Misses, cache.Rescored));
    }

    private static string[] Nest(GemmMapping m) => m.Levels.Select(l => $"{l.LevelName} {l.M}x{l.K}x{l.N} {string.Join("", l.Order)}")
        .Append($"{m.Dataflow} {m.FoldM}x{m.FoldK}x{m.FoldN}").ToArray();
}
