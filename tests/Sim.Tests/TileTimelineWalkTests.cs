using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Tests;

/// <summary>
/// The tile timeline's walk (nested loops, per-tile terms reused between alike tiles) gives the cycles of the
/// tile-by-tile walk it replaced (<see cref="TileTimelineReference"/>) bit for bit: on every bundled design with random
/// small arrays, buffers, bypass choices, double buffering and DRAM bandwidths, over random problems — GEMV-like decode
/// shapes (one row), edge tiles that do not divide their extents, batches — and many mappings of each.
/// </summary>
public class TileTimelineWalkTests
{
    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void TheWalkEqualsTheTileByTileWalkBitForBit(string file)
    {
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 4242);
        var baseArch = BundledArchs.Load(file);
        int walked = 0, multiTile = 0, problems = 0, attempts = 0;
        while (problems < 24)
        {
            Assert.True(++attempts < 400, "could not draw enough mapspaces");
            bool bypass = rng.Next(2) == 0, flipDouble = rng.Next(3) == 0;
            var arch = baseArch with
            {
                Array = baseArch.Array with { Rows = rng.Next(1, 9), Cols = rng.Next(1, 9) },
                Memory = baseArch.Memory.Select((m, l) => l == 0 ? m with { ReadBytesPerCycle = m.ReadBytesPerCycle * (0.05 + rng.NextDouble()), WriteBytesPerCycle = m.WriteBytesPerCycle * (0.05 + rng.NextDouble()) }
                    : m.PerPe ? m
                    : m with
                    {
                        CapacityBytes = rng.Next(64, 4096), MayBypass = bypass ? m.Holds : TensorSet.None,
                        DoubleBuffered = flipDouble ? !m.DoubleBuffered : m.DoubleBuffered,
                    }).ToArray(),
            };
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            var mapper = new Mapper(arch, cost, new SimOptions(), sim.Pe);
            // a third of the problems are one-row (decode GEMV) shapes
            long m = rng.Next(3) == 0 ? 1 : rng.Next(1, 40);
            var p = sim.DefaultProblem(1, m, rng.Next(1, 200), rng.Next(1, 200));
            double compute = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe,
                arch.Switches.ModelFill, true, arch.Array.Preload).Cycles;
            List<GemmMapping> space;
            try { space = mapper.EnumerateMapspace(p).Take(4000).ToList(); }
            catch (Mantissa.Arch.MantissaException) { continue; }
            problems++;
            // about 60 mappings of each problem, spread over its mapspace
            int step = Math.Max(1, space.Count / 60);
            for (int i = 0; i < space.Count; i += step)
            {
                var map = space[i];
                if (map.Levels.Count < 2) continue;
                var view = mapper.ViewOf(map.Bypass);
                var memory = TrafficCost.Of(arch, cost, TrafficModel.Compute(view, p, map, TensorSet.None));
                var timing = TileTimeline.Run(view, p, map, compute, memory, long.MaxValue);
                Assert.False(timing.ClosedForm);
                double expected = TileTimelineReference.Recurrence(view, p, map, compute, memory, TileCounts.Of(p, map));
                Assert.True(BitConverter.DoubleToInt64Bits(expected) == BitConverter.DoubleToInt64Bits(timing.Cycles),
                    $"{file} {arch.Array.Rows}x{arch.Array.Cols} {p.M}x{p.K}x{p.N} mapping {i}: walk {timing.Cycles:R}, tile by tile {expected:R}");
                walked++;
                if (timing.OuterTiles > 1) multiTile++;
            }
        }
        Assert.True(walked >= 500, $"only {walked} mappings walked");
        Assert.True(multiTile >= walked / 4, $"only {multiTile} of {walked} mappings have more than one outer tile");
    }
}
