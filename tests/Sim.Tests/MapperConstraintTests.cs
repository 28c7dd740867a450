using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>Mapping constraints: the mapper searches exactly the mappings they allow (checked by brute force) and evaluates a complete one as given.</summary>
public class MapperConstraintTests
{
    private static readonly LoopOrder[] AllOrders = Enum.GetValues<LoopOrder>();

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void ConstrainedScoreEqualsBruteForceOfTheConstrainedSpace(string file)
    {
        // 26 constrained problems per design (8 designs: 208), random small arrays, buffers and constraints
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 1201);
        var baseArch = BundledArchs.Load(file);
        int checkedProblems = 0, infeasible = 0, attempts = 0;
        while (checkedProblems < 26)
        {
            Assert.True(++attempts < 600, "could not draw enough small constrained mapspaces");
            int rows = rng.Next(2, 5), cols = rng.Next(2, 5);
            long pm = rng.Next(1, 24), pk = rng.Next(1, 40), pn = rng.Next(1, 24);
            var arch = baseArch with
            {
                Array = baseArch.Array with { Rows = rows, Cols = cols },
                Memory = baseArch.Memory.Select((m, l) => l == 0 || m.PerPe ? m : m with { CapacityBytes = rng.Next(48, 1500) }).ToArray(),
            };
            var shared = new ArchView(arch).Shared; // nesting order: by capacity
            arch = arch with { Memory = arch.Memory.Select((m, l) => m with { Mapping = RandomConstraint(rng, l, shared, arch, pm, pk, pn) }).ToArray() };
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            var p = sim.DefaultProblem(1, pm, pk, pn);
            var est = SystolicCompute.Estimate(rows, cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill);
            var probe = new Mapper(arch, cost, new SimOptions(), sim.Pe);
            List<GemmMapping> space;
            try { space = probe.EnumerateMapspace(p).Take(6001).ToList(); }
            catch (MantissaException e) when (e.Message.Contains("cannot hold even the smallest tile")) { continue; }
            if (space.Count > 6000) continue;
            string what = $"{file} {rows}x{cols} caps [{string.Join(",", arch.Memory.Select(m => m.CapacityBytes))}] {p.M}x{p.K}x{p.N} " +
                          $"constraints [{string.Join("; ", arch.Memory.Where(m => m.Mapping is not null).Select(m => $"{m.Name} {m.Mapping}"))}]";
            foreach (var m in space) AssertSatisfies(arch, p, m, what);
            if (space.Count == 0)
            {
                // nothing satisfies the constraints: an error that names them, never a mapping
                var e = Assert.Throws<MantissaException>(() => probe.Map(p, est.Cycles));
                Assert.Contains("satisfies the mapping constraints", e.Message);
                infeasible++;
                continue;
            }
            var scores = space.Select(m => probe.Evaluate(p, m, est.Cycles)).ToList();
            foreach (var objective in new[] { MappingObjective.Latency, MappingObjective.Energy, MappingObjective.Edp })
            {
                var options = new SimOptions { Objective = objective };
                var mapper = new Mapper(arch, cost, options, sim.Pe);
                var result = mapper.Map(p, est.Cycles);
                AssertSatisfies(arch, p, result.Mapping, what);
                MapperOracle.AssertOptimal(mapper, options, scores, result.Score, $"{what} {objective}");
            }
            checkedProblems++;
        }
        Assert.True(infeasible < attempts, "every drawn constraint set was infeasible");
    }

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void AMappingFixedCompletelyIsEvaluatedAsGiven(string file)
    {
        // fix every tile and every free loop order to those of a random point of the unconstrained space
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 77);
        var arch = BundledArchs.Load(file);
        var cost = CostModel.Evaluate(arch);
        var sim = new Simulator(arch, cost);
        for (int trial = 0; trial < 5; trial++)
        {
            var p = sim.DefaultProblem(1, rng.Next(1, 300), rng.Next(1, 3000), rng.Next(1, 3000));
            var est = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill);
            var free = new Mapper(arch, cost, new SimOptions(), sim.Pe);
            var all = free.EnumerateMapspace(p).Take(20000).ToList();
            var target = all[rng.Next(all.Count)];
            var memory = arch.Memory.ToArray();
            for (int j = 0; j < target.Levels.Count; j++)
            {
                var lt = target.Levels[j];
                bool innermost = j == target.Levels.Count - 1;
                var order = innermost ? (LoopOrder?)null : Enum.Parse<LoopOrder>(string.Concat(lt.Order.Select(d => d.ToString())));
                memory[lt.LevelIndex] = memory[lt.LevelIndex] with
                {
                    Mapping = j == 0 ? new LevelMappingSpec(order, null, null, null, "test") : new LevelMappingSpec(order, lt.M, lt.K, lt.N, "test"),
                };
            }
            var fixedArch = arch with { Memory = memory };
            var mapper = new Mapper(fixedArch, cost, new SimOptions(), sim.Pe);
            var result = mapper.Map(p, est.Cycles);
            Assert.Equal(target.Levels.Select(l => (l.M, l.K, l.N)), result.Mapping.Levels.Select(l => (l.M, l.K, l.N)));
            for (int j = 0; j < target.Levels.Count; j++)
                Assert.Equal(target.Levels[j].Order, result.Mapping.Levels[j].Order);
            Assert.Equal(free.Evaluate(p, target, est.Cycles), result.Score);
        }
    }

    [Fact]
    public void AnOrderInsideTheInnermostLevelOtherThanTheDataflowsIsAnError()
    {
        var arch = BundledArchs.Load("tpu-int8.yaml"); // ws: folds walk n, k, m
        var inner = new ArchView(arch).Shared[^1];
        var memory = arch.Memory.ToArray();
        memory[inner] = memory[inner] with { Mapping = new LevelMappingSpec(LoopOrder.MKN, null, null, null, "m.yaml:3:3 (mapping.weight_fifo)") };
        var sim = new Simulator(arch with { Memory = memory }, CostModel.Evaluate(arch with { Memory = memory }));
        var e = Assert.Throws<MantissaException>(() => sim.RunGemm(64, 512, 512));
        Assert.Equal("m.yaml:3:3 (mapping.weight_fifo): order [m, k, n]: the loops inside 'weight_fifo', the innermost on-chip level, " +
                     "walk the array's folds in the order its dataflow (ws) fixes: [n, k, m]", e.Message);
    }

    [Fact]
    public void AFixedTileTooLargeForItsLevelNamesTheConstraintAndTheBytes()
    {
        var arch = BundledArchs.Load("tpu-int8.yaml");
        var memory = arch.Memory.ToArray();
        int fifo = memory.ToList().FindIndex(m => m.Name == "weight_fifo");
        memory[fifo] = memory[fifo] with { Mapping = new LevelMappingSpec(null, null, 1024, 1024, "m.yaml:2:3 (mapping.weight_fifo)") };
        var a = arch with { Memory = memory };
        var e = Assert.Throws<MantissaException>(() => new Simulator(a, CostModel.Evaluate(a)).RunGemm(256, 1024, 1024));
        // 1024 × 1024 int8 weights = 1 MiB against half of the 256 KiB double-buffered FIFO
        Assert.Equal("m.yaml:2:3 (mapping.weight_fifo): no mapping of GEMM M=256 K=1024 N=1024 satisfies the mapping constraints: " +
                     "a tile of 'weight_fifo' with M=1 K=1024 N=1024 needs 1048576 bytes, more than the 131072 bytes it holds per buffer (double-buffered)", e.Message);
    }

    // Independent of the mapspace code: a fixed extent e at a level means its tile is min(e, problem extent) there;
    // a fixed order means the level's loops run in that order.
    private static void AssertSatisfies(ArchitectureSpec arch, GemmProblem p, GemmMapping m, string what)
    {
        foreach (var lt in m.Levels)
        {
            if (arch.Memory[lt.LevelIndex].Mapping is not { } c) continue;
            if (c.TileM is { } tm) Assert.True(lt.M == Math.Min(tm, p.M), $"{what}: {lt.LevelName} M={lt.M}");
            if (c.TileK is { } tk) Assert.True(lt.K == Math.Min(tk, p.K), $"{what}: {lt.LevelName} K={lt.K}");
            if (c.TileN is { } tn) Assert.True(lt.N == Math.Min(tn, p.N), $"{what}: {lt.LevelName} N={lt.N}");
            if (c.Order is { } o) Assert.True(string.Concat(lt.Order.Select(d => d.ToString())) == o.ToString(), $"{what}: {lt.LevelName} order");
        }
        for (int j = 1; j < m.Levels.Count; j++)
            Assert.True(m.Levels[j].M <= m.Levels[j - 1].M && m.Levels[j].K <= m.Levels[j - 1].K && m.Levels[j].N <= m.Levels[j - 1].N, $"{what}: tiles nest");
    }

    private static LevelMappingSpec? RandomConstraint(Random rng, int level, int[] shared, ArchitectureSpec arch, long pm, long pk, long pn)
    {
        int depth = Array.IndexOf(shared, level);
        if (depth < 0 || rng.NextDouble() < 0.4) return null;
        bool innermost = depth == shared.Length - 1;
        LoopOrder? order = !innermost && rng.NextDouble() < 0.5 ? AllOrders[rng.Next(6)] : null;
        long? Tile(long extent) => depth > 0 && rng.NextDouble() < 0.4 ? rng.Next(1, (int)extent + 3) : null;
        var c = new LevelMappingSpec(order, Tile(pm), Tile(pk), Tile(pn), $"random:{level}");
        return c.IsEmpty ? null : c;
    }
}
