using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>The branch-and-bound mapper finds the best point of its mapspace: checked against enumerating all of it.</summary>
public class MapperOptimalityTests
{
    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void ChosenScoreEqualsBruteForceOnRandomSmallProblems(string file)
    {
        // 26 problems per design (8 designs: 208 problems), each scored under all three objectives. Small arrays and
        // small random buffers make the mapspace small enough to enumerate yet tight enough that capacity binds.
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 12);
        var baseArch = BundledArchs.Load(file);
        int checkedProblems = 0, attempts = 0;
        while (checkedProblems < 26)
        {
            Assert.True(++attempts < 400, "could not draw enough small mapspaces");
            int rows = rng.Next(2, 5), cols = rng.Next(2, 5);
            var arch = MapperCases.Small(baseArch, rows, cols, rng, 48, 1500);
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            var p = sim.DefaultProblem(1, rng.Next(1, 24), rng.Next(1, 40), rng.Next(1, 24));
            var est = SystolicCompute.Estimate(rows, cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill);
            var probe = new Mapper(arch, cost, new SimOptions(), sim.Pe);
            List<GemmMapping> space;
            try { space = probe.EnumerateMapspace(p).Take(6001).ToList(); }
            catch (Mantissa.Arch.MantissaException) { continue; } // a buffer too small for even a 1×1×1 tile
            if (space.Count > 6000 || space.Count < 2) continue;
            var scores = space.Select(m => probe.Evaluate(p, m, est.Cycles)).ToList();
            foreach (var objective in new[] { MappingObjective.Latency, MappingObjective.Energy, MappingObjective.Edp })
            {
                var options = new SimOptions { Objective = objective };
                var mapper = new Mapper(arch, cost, options, sim.Pe);
                string what = $"{file} {rows}x{cols} caps [{string.Join(",", arch.Memory.Select(m => m.CapacityBytes))}] {p.M}x{p.K}x{p.N} {objective} ({space.Count} points)";
                MapperOracle.AssertOptimal(mapper, options, scores, mapper.Map(p, est.Cycles).Score, what);
            }
            checkedProblems++;
        }
    }

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void WithOperandsKeptOnChipTheChosenScoreEqualsBruteForceAndTheKeptOperandsNeverCrossDram(string file)
    {
        // Layer fusion hands the mapper operands already in the fusion level and the bytes that level gives to kept
        // activations: the search must be exact over the mapspace that leaves, count no DRAM crossing for them, and fit
        // the other tiles in the rest of the level.
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 31);
        var baseArch = BundledArchs.Load(file);
        if (new ArchView(baseArch).FusionLevel is not { } level) return; // a design without a fusion level never keeps operands
        int checkedProblems = 0, attempts = 0;
        while (checkedProblems < 26)
        {
            Assert.True(++attempts < 600, "could not draw enough small mapspaces");
            int rows = rng.Next(2, 5), cols = rng.Next(2, 5);
            var arch = baseArch with
            {
                Array = baseArch.Array with { Rows = rows, Cols = cols },
                Memory = baseArch.Memory.Select((m, l) => l == 0 || m.PerPe ? m : m with { CapacityBytes = rng.Next(200, 3000) }).ToArray(),
            };
            var view = new ArchView(arch);
            var kept = new[] { TensorSet.Inputs, TensorSet.Outputs, TensorSet.Inputs | TensorSet.Outputs, TensorSet.Weights }[rng.Next(4)];
            kept &= arch.Memory[level].Holds;
            foreach (var t in PerTensor.All)
                if ((kept & ArchView.SetOf(t)) != 0 && view.FirstHolder(t) != level) kept &= ~ArchView.SetOf(t);
            if (kept == TensorSet.None) continue;
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            var bare = sim.DefaultProblem(1, rng.Next(1, 24), rng.Next(1, 40), rng.Next(1, 24));
            double keptBytes = PerTensor.All.Where(t => (kept & ArchView.SetOf(t)) != 0).Sum(t => bare.Elements(t) * bare.Bits(t, false) / 8);
            double reserved = keptBytes + rng.Next(0, 200);
            if (reserved >= arch.Memory[level].CapacityBytes) continue;
            var p = bare with { OnChip = new OnChipOperands(kept, level, reserved) };
            var est = SystolicCompute.Estimate(rows, cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill);
            var probe = new Mapper(arch, cost, new SimOptions(), sim.Pe);
            List<GemmMapping> space;
            try { space = probe.EnumerateMapspace(p).Take(6001).ToList(); }
            catch (Mantissa.Arch.MantissaException) { continue; } // too little left for even a 1×1×1 tile
            if (space.Count > 6000 || space.Count < 2) continue;
            var scores = space.Select(m => probe.Evaluate(p, m, est.Cycles)).ToList();
            var options = new SimOptions();
            var mapper = new Mapper(arch, cost, options, sim.Pe);
            var result = mapper.Map(p, est.Cycles);
            string what = $"{file} {rows}x{cols} caps [{string.Join(",", arch.Memory.Select(m => m.CapacityBytes))}] {p.M}x{p.K}x{p.N} kept {kept} reserved {reserved}";
            MapperOracle.AssertOptimal(mapper, options, scores, result.Score, what);
            // the kept operands never cross DRAM; the others still do, at least once
            var dram = result.Traffic[MemoryLevels.Dram];
            foreach (var t in PerTensor.All)
            {
                long words = dram.ReadWords[(int)t] + dram.WriteWords[(int)t];
                if ((kept & ArchView.SetOf(t)) != 0) Assert.True(words == 0, $"{what}: kept {t} moves {words} DRAM words");
                else Assert.True(words > 0, $"{what}: {t} never crosses DRAM");
            }
            // the tiles of the operands not kept whole fit beside the reserved bytes
            var spec = arch.Memory[level];
            var tile = result.Mapping.Levels.First(l => l.LevelIndex == level);
            double tiles = Mapper.TileBytes(spec.Holds & ~(kept & (TensorSet.Inputs | TensorSet.Weights)), p, tile.M, tile.K, tile.N);
            Assert.True(reserved + tiles * (spec.DoubleBuffered ? 2 : 1) <= spec.CapacityBytes + 1e-9, $"{what}: {tiles} B of tiles beside {reserved} B");
            checkedProblems++;
        }
    }
}
