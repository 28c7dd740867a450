using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Tests;

public class MappingCacheTests
{
    private static readonly (long M, long K, long N)[] Shapes = { (64, 256, 512), (1, 4096, 4096), (300, 77, 1000), (128, 1024, 1024) };

    // Designs whose mapping choice depends on DRAM bandwidth, buffer size, dataflow and energies.
    private static IEnumerable<(ArchitectureSpec Arch, ArchCost Cost)> Designs()
    {
        foreach (var df in new[] { Dataflow.WS, Dataflow.OS })
        foreach (double bw in new[] { 4.0, 64.0 })
        foreach (long glb in new[] { 64L << 10, 1L << 20 })
        {
            var arch = TestArchs.Systolic(16, 32, df, dramBw: bw, glbBytes: glb, glbBw: 64);
            yield return (arch, TestArchs.Cost(arch));
            yield return (arch, TestArchs.Cost(arch, dramPjPerWord: 400, leakMw: 300));
        }
    }

    [Fact]
    public void ASharedCacheGivesTheSameLayersAsAFreshMapperForEveryDesignAndShape()
    {
        var cache = new MappingCache();
        foreach (var pass in new[] { 1, 2 }) // the second pass is answered from the cache
        foreach (var (arch, cost) in Designs())
        foreach (var (m, k, n) in Shapes)
        {
            var fresh = new Simulator(arch, cost).RunGemm(m, k, n, 3).Layers[0];
            var shared = new Simulator(arch, cost, null, cache).RunGemm(m, k, n, 3).Layers[0];
            Assert.Equal(Nest(fresh.Mapping!), Nest(shared.Mapping!));
            Assert.Equal((fresh.Cycles, fresh.Energy.TotalPj), (shared.Cycles, shared.Energy.TotalPj));
            Assert.Equal(fresh.Traffic.Select(t => (t.ReadBytes, t.WriteBytes)), shared.Traffic.Select(t => (t.ReadBytes, t.WriteBytes)));
        }
        // the 4 designs of one dataflow and buffer size differ only in DRAM bandwidth, DRAM energy and leakage: two
        // searches per shape (the second records a front), then the front answers the other two. Only searched results
        // are kept per design, so the second pass hits for the 2 searched designs of each group and shape and re-scores
        // the front again for the other 2.
        int groups = 4, searched = 2 * groups * Shapes.Length, fromFront = Designs().Count() * Shapes.Length - searched;
        Assert.Equal((16 * 4, 32, 32), (Designs().Count() * Shapes.Length, searched, fromFront));
        Assert.Equal(((long)searched, (long)searched, 2L * fromFront), (cache.Misses, cache.Hits, cache.Rescored));
    }

    private static string[] Nest(GemmMapping m) => m.Levels.Select(l => $"{l.LevelName} {l.M}x{l.K}x{l.N} {string.Join("", l.Order)}").ToArray();

    [Fact]
    public void DesignsThatDifferOnlyInWhatTheMapperDoesNotReadShareOneMapping()
    {
        var cache = new MappingCache();
        var arch = TestArchs.Systolic(16, 16, Dataflow.WS, dramBw: 8, glbBytes: 128 << 10, glbBw: 64);
        var cost = TestArchs.Cost(arch);
        new Simulator(arch, cost, null, cache).RunGemm(64, 256, 512);
        new Simulator(arch with { Name = "renamed" }, cost with { AreaMm2 = 99, PeAreaUm2 = 7 }, null, cache).RunGemm(64, 256, 512, batch: 8);
        new Simulator(arch, cost, new SimOptions { Fusion = false }, cache).RunGemm(64, 256, 512);   // the switch is not a mapper input (kept operands are: next test)
        Assert.Equal((1L, 2L), (cache.Misses, cache.Hits));
        // DRAM bandwidth, clock, leakage and always-on power are re-scored from a front, built by the second search
        // of a design that differs only in them (MappingFrontTests); another objective is a new search
        var dram = arch.Memory[0] with { ReadBytesPerCycle = 9 };
        new Simulator(arch with { Memory = new[] { dram, arch.Memory[1] } }, cost, null, cache).RunGemm(64, 256, 512);
        new Simulator(arch with { ClockMhz = 700 }, cost, null, cache).RunGemm(64, 256, 512);
        new Simulator(arch, cost with { LeakageMw = 11 }, null, cache).RunGemm(64, 256, 512);
        new Simulator(arch, cost with { AlwaysOnMw = 5 }, null, cache).RunGemm(64, 256, 512);
        new Simulator(arch, cost, new SimOptions { Objective = MappingObjective.Energy }, cache).RunGemm(64, 256, 512);
        Assert.Equal((3L, 2L, 3L), (cache.Misses, cache.Hits, cache.Rescored));
        // may_bypass widens the mapspace: a level that may bypass its inputs is a new search (no front: it searches several views)
        new Simulator(arch with { Memory = new[] { arch.Memory[0], arch.Memory[1] with { MayBypass = TensorSet.Inputs } } }, cost, null, cache).RunGemm(64, 256, 512);
        Assert.Equal((4L, 2L, 3L), (cache.Misses, cache.Hits, cache.Rescored));
    }

    [Fact]
    public void ASearchedDesignIsKeptForTheSweepOnlyOnceItComesBack()
    {
        // the same design with 1 + RecentCount distinct problems: the first is out of the recent searches when it comes
        // back (searched again), but a problem seen twice is kept whatever follows
        var cache = new MappingCache();
        var arch = TestArchs.Systolic(8, 8, Dataflow.WS, dramBw: 8, glbBytes: 64 << 10, glbBw: 64);
        var cost = TestArchs.Cost(arch);
        var options = new SimOptions { Objective = MappingObjective.Energy };
        void Map(int m)
        {
            var sim = new Simulator(arch, cost, options, cache); // a simulator of its own: it remembers its own mappings
            sim.MapGemm(sim.DefaultProblem(1, m, 64, 64));
        }
        Map(1);
        Map(2);
        Map(2); // back soon: a hit, and kept from now on
        Assert.Equal((2L, 1L), (cache.Misses, cache.Hits));
        for (int m = 3; m < 3 + MappingCache.RecentCount; m++) Map(m);
        long misses = cache.Misses;
        Assert.Equal(2L + MappingCache.RecentCount, misses);
        Map(2);
        Assert.Equal((misses, 2L), (cache.Misses, cache.Hits));
        Map(1); // dropped from the recent searches: searched again
        Assert.Equal((misses + 1, 2L), (cache.Misses, cache.Hits));
    }

    [Fact]
    public void OperandsKeptOnChipArePartOfTheKey()
    {
        // Layer fusion maps a GEMM whose input is already in the buffer as its own problem: with a tight buffer the
        // kept bytes change the mapping, so a cache that ignored them would hand back the wrong one.
        var cache = new MappingCache();
        var arch = TestArchs.Systolic(16, 16, Dataflow.WS, dramBw: 8, glbBytes: 96 << 10, glbBw: 64);
        var cost = TestArchs.Cost(arch);
        var sim = new Simulator(arch, cost, null, cache);
        var bare = sim.DefaultProblem(1, 256, 256, 256);
        var kept = bare with { OnChip = new OnChipOperands(TensorSet.Inputs, 1, 64 << 10) };
        var a = sim.MapGemm(bare);
        var b = new Simulator(arch, cost, null, cache).MapGemm(kept);
        Assert.Equal((2L, 0L), (cache.Misses, cache.Hits));
        Assert.Equal(Nest(b), Nest(new Simulator(arch, cost, null, cache).MapGemm(kept)));
        Assert.Equal((2L, 1L), (cache.Misses, cache.Hits));
        Assert.Equal(Nest(b), Nest(new Simulator(arch, cost).MapGemm(kept))); // a fresh search agrees
        Assert.NotEqual(Nest(a), Nest(b));
    }

    [Fact]
    public void EveryArchitectureAndCostFieldIsKeyedOrListedAsUnreadByTheMapper()
    {
        // A new field on either record must be placed in one list: keyed if the mapper (Mapper, Mapspace, TrafficModel,
        // TrafficCost, TileTimeline.ClosedForm, EnergyModel.TotalPj) reads it, unread otherwise.
        static string[] Props(Type t) => t.GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract").Order().ToArray();
        Assert.Equal(Props(typeof(ArchitectureSpec)), MapperInputs.KeyedArchitecture.Concat(MapperInputs.UnreadArchitecture).Order().ToArray());
        Assert.Equal(Props(typeof(ArchCost)), MapperInputs.KeyedCost.Concat(MapperInputs.UnreadCost).Order().ToArray());
        // "Memory" is keyed by MemoryLevelSpec's record equality: every property of a level, may_bypass and mapping
        // constraints included, is compared
        var level = TestArchs.Systolic(16, 16, Dataflow.WS, dramBw: 8, glbBytes: 128 << 10, glbBw: 64).Memory[1];
        Assert.NotEqual(level, level with { MayBypass = TensorSet.Outputs });
    }

    [Fact]
    public void TheSharedKeyLeavesOutExactlyWhatAFrontRescoresAndTheFullKeyKeepsEverything()
    {
        // each design is built afresh, so equal keys come from equal values, not from shared lists or records
        static ArchitectureSpec Arch(double dramBw = 8, long glb = 96 << 10, string dramType = "ddr4", double clock = 1000)
        {
            var a = TestArchs.Systolic(16, 16, Dataflow.WS, dramBw: dramBw, glbBytes: glb, glbBw: 64);
            return a with { ClockMhz = clock, Memory = a.Memory.Select((m, i) => i == 0 ? m with { DramType = dramType } : m).ToArray() };
        }
        var pe = PeThroughput.For(Arch().Pe);
        MapperInputs Key(ArchitectureSpec a, ArchCost? c = null, SimOptions? o = null) => new(a, c ?? TestArchs.Cost(a), o ?? new SimOptions(), pe);
        var baseKey = Key(Arch());
        Assert.Equal(baseKey, Key(Arch()));
        Assert.Equal(baseKey.GetHashCode(), Key(Arch()).GetHashCode());
        Assert.Equal(baseKey, Key(Arch(), o: new SimOptions { Fusion = false })); // the mapper never reads fusion
        // re-scored by a front: a different design, the same shared key
        var rescored = new[]
        {
            Key(Arch(clock: 700)), Key(Arch(dramBw: 32)), Key(Arch(dramType: "hbm2")), Key(Arch(), TestArchs.Cost(Arch(), dramPjPerWord: 50)),
            Key(Arch(), TestArchs.Cost(Arch(), leakMw: 20)), Key(Arch(), TestArchs.Cost(Arch()) with { AlwaysOnMw = 3 }),
        };
        foreach (var k in rescored)
        {
            Assert.NotEqual(baseKey, k);
            Assert.Equal(baseKey.Shared, k.Shared);
            Assert.Equal(baseKey.Shared.GetHashCode(), k.Shared.GetHashCode());
        }
        // searched again: the shared key differs too
        var cost = TestArchs.Cost(Arch());
        var searched = new[]
        {
            Key(Arch(glb: 64 << 10)), Key(Arch(), cost with { PeEnergyPerActiveCyclePj = 0.7 }),
            Key(Arch(), cost with { Levels = [cost.Levels[0], cost.Levels[1] with { ReadEnergyPjPerWord = 3 }] }),
            Key(Arch() with { Memory = [Arch().Memory[0] with { CapacityBytes = 1L << 30 }, Arch().Memory[1]] }),
            Key(Arch(), o: new SimOptions { Objective = MappingObjective.Energy }),
        };
        foreach (var k in searched)
        {
            Assert.NotEqual(baseKey, k);
            Assert.NotEqual(baseKey.Shared, k.Shared);
        }
        Assert.NotEqual(baseKey, baseKey.Shared); // the two kinds of key never match each other
    }

    [Fact]
    public void AFullCacheStartsOverAndKeepsAnsweringCorrectly()
    {
        var cache = new MappingCache(capacity: 2);
        var arch = TestArchs.Systolic(8, 8, Dataflow.OS, dramBw: 8, glbBytes: 64 << 10, glbBw: 64);
        var cost = TestArchs.Cost(arch);
        foreach (var (m, k, n) in Shapes.Concat(Shapes))
            Assert.Equal(new Simulator(arch, cost).RunGemm(m, k, n).Cycles, new Simulator(arch, cost, null, cache).RunGemm(m, k, n).Cycles);
        Assert.Equal(8, cache.Hits + cache.Misses);
        Assert.True(cache.Misses >= 4);
    }
}
