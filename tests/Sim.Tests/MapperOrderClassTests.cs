using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>
/// With one on-chip level a mapping's score depends on the DRAM level's loop order only through its innermost loop of
/// more than one trip (<see cref="Mapper.OrderClass"/>), which lets the mapper score one leaf per order class of a tile.
/// </summary>
public class MapperOrderClassTests
{
    [Fact]
    public void EveryOrderOfAClassScoresTheSameBitForBitAndTheClassBoundIsBelowTheScoreOverWholeMapspaces()
    {
        // brute force over the whole mapspace (every dataflow, bypass choice and tile) of small random problems on every
        // bundled design with one on-chip level, on edge-npu (the GEMM benchmarks' design) and with outputs kept on chip
        var rng = new Random(4242);
        int groups = 0, designs = 0, bounds = 0;
        foreach (var (file, baseArch) in MapperCases.OneOnChipLevel())
        {
            designs++;
            for (int trial = 0; trial < 6; trial++)
            {
                int rows = rng.Next(2, 6), cols = rng.Next(2, 6);
                var arch = MapperCases.Small(baseArch, rows, cols, rng, 64, 4000);
                var cost = CostModel.Evaluate(arch);
                var sim = new Simulator(arch, cost);
                var p = sim.DefaultProblem(1, rng.Next(3, 40), rng.Next(3, 60), rng.Next(3, 40));
                var mapper = new Mapper(arch, cost, new SimOptions(), sim.Pe);
                List<GemmMapping> space;
                try { space = mapper.EnumerateMapspace(p).ToList(); }
                catch (Mantissa.Arch.MantissaException) { continue; } // a buffer too small for even a 1×1×1 tile
                var first = new Dictionary<string, (long Cycles, long Energy, string Order)>();
                foreach (var m in space)
                {
                    var dram = m.Levels[0];
                    var tile = m.Levels[1];
                    int cls = Mapper.OrderClass(Mapspace.NontrivialKey(dram, dram.Order.ToArray(), tile.M, tile.K, tile.N));
                    string key = $"{m.Dataflow} {string.Join(",", (m.Bypass ?? []).Select(b => (int)b))} {tile.M}x{tile.K}x{tile.N} class {cls}";
                    var s = mapper.Evaluate(p, m, 1000.5);
                    // the class bound: the mapping's DRAM bits exactly, and keys no higher than its score's
                    var whole = TrafficModel.Compute(arch, p, m, TensorSet.None);
                    var dramBits = new TrafficBits(arch.Memory.Count);
                    TrafficModel.AccumulateDram(new ArchView(arch, m.Bypass), p, m, TileCounts.Of(p, m), dramBits);
                    Assert.Equal(whole.Reads(0), dramBits.Reads(0));
                    Assert.Equal(whole.Writes(0), dramBits.Writes(0));
                    var (fast, reference) = mapper.ClassBoundOf(p, m, 1000.5);
                    var (bc, be) = reference;
                    Assert.True(bc <= s.Cycles && be <= s.EnergyPj, $"{file} {p.M}x{p.K}x{p.N} {key}: bound ({bc}, {be}) above ({s.Cycles}, {s.EnergyPj})");
                    // the bound the search computes from its per-tile terms is the definition's, bit for bit
                    Assert.True(BitConverter.DoubleToInt64Bits(fast.Primary) == BitConverter.DoubleToInt64Bits(bc) &&
                                BitConverter.DoubleToInt64Bits(fast.Secondary) == BitConverter.DoubleToInt64Bits(be),
                        $"{file} {p.M}x{p.K}x{p.N} {key}: the search's class bound ({fast.Primary}, {fast.Secondary}) is not its definition's ({bc}, {be})");
                    bounds++;
                    var bits = (BitConverter.DoubleToInt64Bits(s.Cycles), BitConverter.DoubleToInt64Bits(s.EnergyPj), string.Join("", dram.Order));
                    if (!first.TryGetValue(key, out var f)) { first[key] = bits; continue; }
                    groups++;
                    Assert.True(f.Cycles == bits.Item1 && f.Energy == bits.Item2,
                        $"{file} {rows}x{cols} {p.M}x{p.K}x{p.N} {key}: order {bits.Item3} scores ({s.Cycles}, {s.EnergyPj}), order {f.Order} " +
                        $"({BitConverter.Int64BitsToDouble(f.Cycles)}, {BitConverter.Int64BitsToDouble(f.Energy)})");
                }
            }
        }
        Assert.True(designs >= 3, $"only {designs} designs have one on-chip level");
        Assert.True(bounds >= 5000, $"only {bounds} class bounds checked");
        Assert.True(groups >= 1000, $"only {groups} leaves shared an order class with an earlier one");
    }

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void ReusingTheClassScoreChoosesTheSameMappingAsScoringEveryOrder(string file)
    {
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 91);
        var baseArch = BundledArchs.Load(file);
        (int M, int K, int N)[] shapes = [(128, 1024, 1024), (1, 4096, 11008), (77, 300, 513), (512, 64, 512), (3, 5, 7)];
        for (int a = 0; a < 3; a++)
        {
            var arch = a == 0 ? baseArch : baseArch with { Array = baseArch.Array with { Rows = rng.Next(2, 129), Cols = rng.Next(2, 129) } };
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            foreach (var (m, k, n) in shapes)
            {
                var p = sim.DefaultProblem(1, m, k, n);
                double cycles = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill).Cycles;
                foreach (var objective in new[] { MappingObjective.Latency, MappingObjective.Energy, MappingObjective.Edp })
                    foreach (bool pruning in new[] { true, false })
                    {
                        var options = new SimOptions { Objective = objective };
                        var reuse = new Mapper(arch, cost, options, sim.Pe) { Pruning = pruning };
                        var all = new Mapper(arch, cost, options, sim.Pe) { Pruning = pruning, ReusesOrderClasses = false };
                        MapperResult rr, ra;
                        try { rr = reuse.Map(p, cycles); ra = all.Map(p, cycles); }
                        catch (Mantissa.Arch.MantissaException) { continue; } // a buffer too small for this shape on this array
                        string what = $"{file} {arch.Array.Rows}x{arch.Array.Cols} {m}x{k}x{n} {objective} pruning {pruning}";
                        Assert.True(Tiles(ra) == Tiles(rr), $"{what}: {Tiles(rr)} instead of {Tiles(ra)}");
                        Assert.Equal(ra.Mapping.Dataflow, rr.Mapping.Dataflow);
                        Assert.Equal(BitConverter.DoubleToInt64Bits(ra.Score.Cycles), BitConverter.DoubleToInt64Bits(rr.Score.Cycles));
                        Assert.Equal(BitConverter.DoubleToInt64Bits(ra.Score.EnergyPj), BitConverter.DoubleToInt64Bits(rr.Score.EnergyPj));
                        Assert.Equal(ra.Evaluated, rr.Evaluated);
                        Assert.True(reuse.Scored <= all.Scored, what);
                    }
            }
        }
    }

    [Fact]
    public void TheBenchGemmOnTheEdgeNpuScoresFewerLeaves()
    {
        // the design the GEMM speed benchmarks sweep: without reused leaves the test above would compare a search with itself
        var (reuse, all) = MapperCases.SameOnBenchGemm(m => m.ReusesOrderClasses = false);
        Assert.True(reuse.Scored < all.Scored, $"reusing class scores scored {reuse.Scored} of {all.Scored} leaves");
    }

    private static string Tiles(MapperResult r) => MapperCases.Tiles(r);
}
