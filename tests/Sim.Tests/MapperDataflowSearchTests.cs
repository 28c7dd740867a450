using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>
/// Spatial unrolling in the mapspace: an array whose dataflow is open is mapped exactly (brute force over the union of
/// its dataflows' mapspaces), and each dataflow is timed and priced as a fixed array of that dataflow would be.
/// </summary>
public class MapperDataflowSearchTests
{
    private static readonly DataflowSet[] OpenSets = { DataflowSet.All, DataflowSet.WS | DataflowSet.OS, DataflowSet.OS | DataflowSet.IS, DataflowSet.WS | DataflowSet.IS };

    // The compute cycles of one dataflow, recomputed here from SCALE-Sim's closed form with the design's switches.
    private static double Compute(ArchitectureSpec arch, GemmProblem p, PeThroughput pe, Dataflow d) =>
        SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, d, p.M, p.K, p.N, pe, arch.Switches.ModelFill, true, arch.Array.Preload).Cycles;

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void OpenDataflowScoreEqualsBruteForceOverEveryDataflow(string file)
    {
        // 26 problems per design (8 designs: 208), each under all three objectives, with random small arrays and
        // buffers and a random open set of two or three dataflows
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 1213);
        var baseArch = BundledArchs.Load(file);
        int checkedProblems = 0, attempts = 0, notFirst = 0;
        var chosenDataflows = new HashSet<Dataflow>();
        while (checkedProblems < 26)
        {
            Assert.True(++attempts < 400, "could not draw enough small mapspaces");
            int rows = rng.Next(2, 5), cols = rng.Next(2, 5);
            var open = OpenSets[rng.Next(OpenSets.Length)];
            var first = Enum.GetValues<Dataflow>().First(d => (open & ArraySpec.Bit(d)) != 0);
            var arch = baseArch with
            {
                Array = baseArch.Array with { Rows = rows, Cols = cols, Dataflow = first, Open = open },
                Memory = baseArch.Memory.Select((m, l) => l == 0 || m.PerPe ? m : m with { CapacityBytes = rng.Next(48, 1500) }).ToArray(),
            };
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            var p = sim.DefaultProblem(1, rng.Next(1, 24), rng.Next(1, 40), rng.Next(1, 24));
            var probe = new Mapper(arch, cost, new SimOptions(), sim.Pe);
            List<GemmMapping> space;
            try { space = probe.EnumerateMapspace(p).Take(9001).ToList(); }
            catch (MantissaException) { continue; } // a buffer too small for even a 1×1×1 tile
            if (space.Count > 9000 || space.Count < 2) continue;
            Assert.Equal(arch.Array.Dataflows.ToHashSet(), space.Select(m => m.Dataflow).ToHashSet());
            var scores = space.Select(m => probe.Evaluate(p, m, Compute(arch, p, sim.Pe, m.Dataflow))).ToList();
            foreach (var objective in new[] { MappingObjective.Latency, MappingObjective.Energy, MappingObjective.Edp })
            {
                var options = new SimOptions { Objective = objective };
                var mapper = new Mapper(arch, cost, options, sim.Pe);
                var result = mapper.Map(p, Compute(arch, p, sim.Pe, first));
                string what = $"{file} {rows}x{cols} {arch.Array.DataflowText} caps [{string.Join(",", arch.Memory.Select(m => m.CapacityBytes))}] {p.M}x{p.K}x{p.N} {objective} ({space.Count} points)";
                MapperOracle.AssertOptimal(mapper, options, scores, result.Score, what);
                // the reported score is the chosen mapping's, under its own dataflow's compute cycles
                var again = probe.Evaluate(p, result.Mapping, Compute(arch, p, sim.Pe, result.Mapping.Dataflow));
                Assert.Equal(again, result.Score);
                chosenDataflows.Add(result.Mapping.Dataflow);
                if (result.Mapping.Dataflow != first) notFirst++;
            }
            checkedProblems++;
        }
        Assert.True(notFirst > 0, $"{file}: the search never left the first listed dataflow");
    }

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void OpenArrayLayerEqualsTheFixedArrayOfItsChosenDataflow(string file)
    {
        // The layer an open array reports (cycles, compute cycles, traffic, energy) is the one the array fixed to the
        // chosen dataflow reports for the same mapping, fixed through mapping constraints, at the same prices.
        var baseArch = BundledArchs.Load(file);
        var open = baseArch with { Array = baseArch.Array with { Open = DataflowSet.All } };
        var cost = CostModel.Evaluate(open);
        var shapes = new (long M, long K, long N)[] { (1, 4096, 4096), (128, 512, 384), (513, 257, 129), (2048, 64, 2048) };
        foreach (var (m, k, n) in shapes)
        {
            var layer = new Simulator(open, cost).RunGemm(m, k, n).Layers[0];
            var map = layer.Mapping!;
            var fixedArch = baseArch with
            {
                Array = baseArch.Array with { Dataflow = map.Dataflow, Open = DataflowSet.None },
                Memory = baseArch.Memory.Select((spec, l) => MapperOracle.Pin(spec, l, map)).ToArray(),
            };
            var pinned = new Simulator(fixedArch, cost).RunGemm(m, k, n).Layers[0];
            string what = $"{file} {m}x{k}x{n} {map.Dataflow}";
            Assert.Equal(map.Dataflow, pinned.Mapping!.Dataflow);
            Assert.Equal(map.Levels.Select(t => (t.M, t.K, t.N)), pinned.Mapping.Levels.Select(t => (t.M, t.K, t.N)));
            Assert.Equal(pinned.ComputeCycles, layer.ComputeCycles);
            Assert.Equal(pinned.Cycles, layer.Cycles);
            Assert.Equal(pinned.DramBytes, layer.DramBytes);
            Assert.Equal(pinned.Energy.TotalPj, layer.Energy.TotalPj, 9);
            // and its compute is the dataflow's SCALE-Sim closed form
            var p = new Simulator(open, cost).DefaultProblem(1, m, k, n);
            Assert.True(Compute(open, p, PeThroughput.For(open.Pe), map.Dataflow) == layer.ComputeCycles, what);
        }
    }

    [Fact]
    public void OpenArrayIsPricedAtItsMostExpensiveDataflow()
    {
        var arch = BundledArchs.Load("tpu-int8.yaml");
        double Active(Dataflow d) => CostModel.Evaluate(arch with { Array = arch.Array with { Dataflow = d } }).PeEnergyPerActiveCyclePj;
        var open = CostModel.Evaluate(arch with { Array = arch.Array with { Open = DataflowSet.All } });
        double most = Enum.GetValues<Dataflow>().Max(Active);
        Assert.Equal(most, open.PeEnergyPerActiveCyclePj);
        Assert.True(Enum.GetValues<Dataflow>().Min(Active) < most, "dataflows should differ in PE energy on tpu-int8");
        Assert.Equal(CostModel.Evaluate(arch).AreaMm2, open.AreaMm2, 9);
        var pair = arch with { Array = arch.Array with { Dataflow = Dataflow.OS, Open = DataflowSet.OS | DataflowSet.IS } };
        Assert.Equal(Math.Max(Active(Dataflow.OS), Active(Dataflow.IS)), CostModel.Evaluate(pair).PeEnergyPerActiveCyclePj);
    }

    [Fact]
    public void FixedInnermostOrderKeepsOnlyTheDataflowsThatWalkFoldsSo()
    {
        var arch = BundledArchs.Load("tpu-int8.yaml", ("array.dataflow", "search"));
        var inner = new ArchView(arch).Shared[^1];
        // os walks its folds m, n, k
        var pinned = arch with { Memory = arch.Memory.Select((s, l) => l == inner ? s with { Mapping = new LevelMappingSpec(LoopOrder.MNK, null, null, null, "x.yaml:1:1") } : s).ToArray() };
        var sim = new Simulator(pinned, CostModel.Evaluate(pinned));
        Assert.Equal(Dataflow.OS, sim.RunGemm(64, 256, 64).Layers[0].Mapping!.Dataflow);
        // k, m, n is no dataflow's fold order: the error names the constraint and every dataflow's order
        var none = arch with { Memory = arch.Memory.Select((s, l) => l == inner ? s with { Mapping = new LevelMappingSpec(LoopOrder.KMN, null, null, null, "x.yaml:1:1") } : s).ToArray() };
        var ex = Assert.Throws<MantissaException>(() => new Simulator(none, CostModel.Evaluate(none)).RunGemm(64, 256, 64));
        Assert.Contains("x.yaml:1:1: order [k, m, n]", ex.Message);
        Assert.Contains("ws [n, k, m]; os [m, n, k]; is [m, k, n]", ex.Message);
    }
}
