using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>
/// The mapper's one-level fast paths against the general code they stand in for, on whole mapspaces: the leaf scorer
/// (<see cref="LeafScorer"/>) against the general score, the tile counts of a mapping with one on-chip level
/// (<see cref="TileCounts"/>) and the loop-order keys read from the split-mask table (<see cref="Mapspace.NontrivialKey(int, int)"/>).
/// </summary>
public class MapperFastPathTests
{
    [Fact]
    public void TheLeafScorerEqualsTheGeneralScoreWithBypassAndOperandsKeptOnChip()
    {
        int scores = 0, bypassed = 0, kept = 0, stationaryBypassed = 0;
        var designs = new HashSet<string>();
        foreach (var (file, level, p, keep, mapper, space) in OneLevelMapspaces.Draw(5309, a => LeafScorer.Applies(new ArchView(a))))
        {
            designs.Add(file);
            foreach (var m in space)
            {
                var (fast, general) = mapper.LeafScoreOf(p, m, 777.25);
                Assert.True(BitConverter.DoubleToInt64Bits(fast.Cycles) == BitConverter.DoubleToInt64Bits(general.Cycles) &&
                            BitConverter.DoubleToInt64Bits(fast.EnergyPj) == BitConverter.DoubleToInt64Bits(general.EnergyPj),
                    $"{file} {p.M}x{p.K}x{p.N} kept {keep} bypass {m.BypassAt(level)} {m.Dataflow} {m.Levels[1].M}x{m.Levels[1].K}x{m.Levels[1].N} " +
                    $"order {string.Join("", m.Levels[0].Order)}: ({fast.Cycles}, {fast.EnergyPj}) instead of ({general.Cycles}, {general.EnergyPj})");
                scores++;
                if (m.BypassAt(level) != TensorSet.None) bypassed++;
                if ((m.BypassAt(level) & ArchView.SetOf(ArchView.Stationary(m.Dataflow))) != 0) stationaryBypassed++;
                if (keep != TensorSet.None) kept++;
            }
        }
        Assert.True(designs.Count >= 3, $"only {designs.Count} designs the leaf scorer applies to");
        Assert.True(scores >= 5000, $"only {scores} scores compared");
        Assert.True(bypassed >= 1000 && stationaryBypassed >= 200 && kept >= 500,
            $"{bypassed} with a bypass, {stationaryBypassed} with the stationary operand bypassed, {kept} with an operand kept on chip");
    }

    [Fact]
    public void OneLevelTileCountsEqualTheGeneralCountOnWholeMapspaces()
    {
        var rng = new Random(4021);
        int compared = 0, edges = 0;
        foreach (var (_, baseArch) in MapperCases.OneOnChipLevel())
            for (int trial = 0; trial < 12; trial++)
            {
                var arch = MapperCases.Small(baseArch, rng.Next(2, 9), rng.Next(2, 9), rng, 64, 4000);
                var cost = CostModel.Evaluate(arch);
                var sim = new Simulator(arch, cost);
                var p = sim.DefaultProblem(1, rng.Next(3, 60), rng.Next(3, 70), rng.Next(3, 60));
                List<GemmMapping> space;
                try { space = new Mapper(arch, cost, new SimOptions(), sim.Pe).EnumerateMapspace(p).ToList(); }
                catch (Mantissa.Arch.MantissaException) { continue; } // too small for even a 1×1×1 tile
                // one counter reused across the mapspace, as the mapper reuses its own (its cache of the last tile included)
                var fast = new TileCounts();
                foreach (var m in space)
                {
                    fast.Compute(p, m);
                    var general = new TileCounts();
                    general.ComputeGeneral(p, m);
                    Assert.Equal(general.Depths, fast.Depths);
                    for (int depth = 0; depth < general.Depths; depth++)
                        foreach (var d in new[] { Dim.M, Dim.K, Dim.N })
                            Assert.True(general.At(depth, d) == fast.At(depth, d),
                                $"{arch.Name} {p.M}x{p.K}x{p.N} tile {m.Levels[1].M}x{m.Levels[1].K}x{m.Levels[1].N} fold {m.FoldM}x{m.FoldK}x{m.FoldN}: " +
                                $"depth {depth} {d}: {fast.At(depth, d)} instead of {general.At(depth, d)}");
                    compared++;
                    if (p.M % m.Levels[1].M != 0 || p.N % m.Levels[1].N != 0) edges++;
                }
            }
        Assert.True(compared >= 4000 && edges >= 1000, $"{compared} mappings compared, {edges} with edge tiles");
    }

    [Fact]
    public void OneLevelTileCountsCountEdgeTilesAndFoldsExactly()
    {
        // M = 10 in tiles of 4 (two full, one of 2) in folds of 3: ⌈4/3⌉ = 2 per full tile, ⌈2/3⌉ = 1 for the edge one
        var levels = new[]
        {
            new LevelTile(0, "dram", 10, 7, 5, Mapspace.Orders[0]),
            new LevelTile(1, "buf", 4, 7, 5, Mapspace.Orders[0]),
        };
        var p = new GemmProblem(1, 10, 7, 5, 8, 8, 8, 32);
        var c = new TileCounts();
        c.Compute(p, new GemmMapping(levels, 3, 2, 5, Dataflow.OS));
        Assert.Equal((1L, 3L, 5L), (c.At(0, Dim.M), c.At(1, Dim.M), c.At(2, Dim.M)));
        Assert.Equal((1L, 1L, 4L), (c.At(0, Dim.K), c.At(1, Dim.K), c.At(2, Dim.K)));
        Assert.Equal((1L, 1L, 1L), (c.At(0, Dim.N), c.At(1, Dim.N), c.At(2, Dim.N)));
    }

    [Fact]
    public void TheKeyTableGivesTheKeyOfEveryOrderAndTile()
    {
        var parent = new LevelTile(0, "dram", 8, 6, 4, Mapspace.Orders[0]);
        int distinct = 0;
        foreach (long tm in new long[] { 1, 8, 9 })
        foreach (long tk in new long[] { 2, 6 })
        foreach (long tn in new long[] { 3, 4 })
        {
            var keys = new HashSet<int>();
            for (int o = 0; o < Mapspace.Orders.Length; o++)
            {
                int key = Mapspace.NontrivialKey(parent, Mapspace.Orders[o], tm, tk, tn);
                Assert.Equal(key, Mapspace.NontrivialKey(Mapspace.SplitMask(parent, tm, tk, tn), o));
                keys.Add(key);
            }
            distinct += keys.Count;
        }
        // per tile, as many keys as orders of its loops of more than one trip: 3! with three, 2 with two, 1 otherwise
        Assert.Equal((6 + 2 + 2 + 1) + 2 * (2 + 1 + 1 + 1), distinct);
    }
}
