using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;
using Mantissa.Sim.Results;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>
/// Bypass in the mapspace: a level's <c>may_bypass</c> lets the mapper choose which of those tensors it skips. The search
/// is exact over the union of every bypass choice (brute force), and a layer with a chosen bypass is the layer of the
/// design whose <c>holds</c> are fixed to that choice.
/// </summary>
public class MapperBypassSearchTests
{
    private static readonly TensorSet[] Tensors = { TensorSet.Weights, TensorSet.Inputs, TensorSet.Outputs };

    private static double Compute(ArchitectureSpec arch, GemmProblem p, PeThroughput pe) =>
        SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, pe, arch.Switches.ModelFill, true, arch.Array.Preload).Cycles;

    // A random may_bypass for every shared on-chip level: any subset of its holds (all of them: the level may go unused).
    private static TensorSet RandomBypass(Random rng, TensorSet holds)
    {
        var set = TensorSet.None;
        foreach (var t in Tensors) if ((holds & t) != 0 && rng.Next(2) == 0) set |= t;
        return set;
    }

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void BypassScoreEqualsBruteForceOverEveryBypassChoice(string file)
    {
        // 26 problems per design (8 designs: 208), each under all three objectives, with random small arrays and buffers
        // and random may_bypass sets on the shared on-chip levels
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 1217);
        var baseArch = BundledArchs.Load(file);
        int checkedProblems = 0, attempts = 0, bypassed = 0;
        while (checkedProblems < 26)
        {
            Assert.True(++attempts < 600, "could not draw enough small mapspaces");
            int rows = rng.Next(2, 5), cols = rng.Next(2, 5);
            var arch = baseArch with
            {
                Array = baseArch.Array with { Rows = rows, Cols = cols },
                Memory = baseArch.Memory.Select((m, l) => l == 0 || m.PerPe ? m : m with { CapacityBytes = rng.Next(48, 1500), MayBypass = RandomBypass(rng, m.Holds) }).ToArray(),
            };
            if (arch.Memory.All(m => m.MayBypass == TensorSet.None)) continue;
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            var p = sim.DefaultProblem(1, rng.Next(1, 24), rng.Next(1, 40), rng.Next(1, 24));
            var probe = new Mapper(arch, cost, new SimOptions(), sim.Pe);
            List<GemmMapping> space;
            try { space = probe.EnumerateMapspace(p).Take(12001).ToList(); }
            catch (MantissaException) { continue; } // no bypass choice holds even a 1×1×1 tile
            if (space.Count > 12000 || space.Count < 2) continue;
            double compute = Compute(arch, p, sim.Pe);
            var scores = space.Select(m => probe.Evaluate(p, m, compute)).ToList();
            foreach (var objective in new[] { MappingObjective.Latency, MappingObjective.Energy, MappingObjective.Edp })
            {
                var options = new SimOptions { Objective = objective };
                var mapper = new Mapper(arch, cost, options, sim.Pe);
                var result = mapper.Map(p, compute);
                string what = $"{file} {rows}x{cols} bypass [{string.Join(",", arch.Memory.Select(m => m.MayBypass))}] caps [{string.Join(",", arch.Memory.Select(m => m.CapacityBytes))}] " +
                              $"{p.M}x{p.K}x{p.N} {objective} ({space.Count} points)";
                MapperOracle.AssertOptimal(mapper, options, scores, result.Score, what);
                // the reported score is the chosen mapping's, under its own bypass
                Assert.Equal(probe.Evaluate(p, result.Mapping, compute), result.Score);
                for (int l = 0; l < arch.Memory.Count; l++)
                    Assert.Equal(TensorSet.None, result.Mapping.BypassAt(l) & ~arch.Memory[l].MayBypass);
                if (result.Mapping.Bypass is { } b && b.Any(t => t != TensorSet.None)) bypassed++;
            }
            checkedProblems++;
        }
        Assert.True(bypassed > 0, $"{file}: the search never chose a bypass");
    }

    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void ALayerWithAChosenBypassIsTheLayerOfTheDesignHoldingThatChoice(string file)
    {
        // Every shared on-chip level may bypass every tensor it holds; the layer the mapper chose (cycles,
        // DRAM bytes, energy) equals the same layer on the design whose holds are that choice, with the same tiles and
        // orders fixed through mapping constraints, at the same prices.
        var baseArch = BundledArchs.Load(file);
        var arch = baseArch with
        {
            Memory = baseArch.Memory.Select((m, l) => l == 0 || m.PerPe ? m : m with { MayBypass = m.Holds }).ToArray(),
        };
        var cost = CostModel.Evaluate(arch);
        var shapes = new (long M, long K, long N)[] { (1, 4096, 4096), (128, 512, 384), (513, 257, 129), (2048, 64, 2048) };
        int bypassed = 0;
        foreach (var objective in new[] { MappingObjective.Latency, MappingObjective.Energy })
        foreach (var (m, k, n) in shapes)
        {
            var options = new SimOptions { Objective = objective };
            var layer = new Simulator(arch, cost, options).RunGemm(m, k, n).Layers[0];
            var map = layer.Mapping!;
            var fixedArch = arch with
            {
                Memory = arch.Memory.Select((spec, l) =>
                    MapperOracle.Pin(spec with { Holds = spec.Holds & ~map.BypassAt(l), MayBypass = TensorSet.None }, l, map)).ToArray(),
            };
            var pinned = new Simulator(fixedArch, cost, options).RunGemm(m, k, n).Layers[0];
            Assert.Null(pinned.Mapping!.Bypass);
            Assert.Equal(map.Levels.Select(t => (t.M, t.K, t.N)), pinned.Mapping.Levels.Select(t => (t.M, t.K, t.N)));
            Assert.Equal(pinned.Cycles, layer.Cycles);
            Assert.Equal(pinned.DramBytes, layer.DramBytes);
            Assert.Equal(pinned.Traffic.Select(t => (t.ReadBytes, t.WriteBytes)), layer.Traffic.Select(t => (t.ReadBytes, t.WriteBytes)));
            Assert.Equal(pinned.Energy.TotalPj, layer.Energy.TotalPj, 9);
            if (map.Bypass is { } b && b.Any(t => t != TensorSet.None)) bypassed++;
        }
        Assert.True(bypassed > 0, $"{file}: no layer chose a bypass");
    }

    [Fact]
    public void FusionStillKeepsActivationsOnChipWhenTheBufferMayBypassThem()
    {
        // ResNet-50 on tpu-int8 with a unified buffer that may bypass inputs and outputs: the mapper bypasses where that
        // pays, but a GEMM whose operands fusion keeps in the buffer is mapped holding them there, so every convolution
        // output still stays on chip, and every layer's energy breakdown sums to its total.
        var set = ("memory.unified_buffer.may_bypass", "[inputs, outputs]");
        var arch = BundledArchs.Load("tpu-int8.yaml", set);
        var w = FusionTests.Build("resnet50", arch);
        var r = BundledArchs.Sim("tpu-int8.yaml", null, set).Run(w);
        int ub = arch.Memory.ToList().FindIndex(m => m.Name == "unified_buffer");
        Assert.Contains(r.Layers, l => l.Mapping?.BypassAt(ub) is not null and not TensorSet.None);
        Assert.Equal("unified_buffer", r.Fusion!.Level);
        Assert.All(r.Layers.Where(l => l.Kind == OpKind.Conv2d), l => Assert.Equal(0, l.Traffic[MemoryLevels.Dram].WriteBytes));
        foreach (var l in r.Layers)
            Assert.Equal(l.Energy.TotalPj, l.Energy.ComputePj + l.Energy.Levels.Sum(x => x.Pj) + l.Energy.LeakagePj, l.Energy.TotalPj * 1e-12);
    }

    [Fact]
    public void WithoutMayBypassNothingMoves()
    {
        // a design that declares no may_bypass maps exactly as before: one bypass choice, none bypassed
        foreach (var file in BundledArchs.Files)
        {
            var arch = BundledArchs.Load(file);
            Assert.Single(ArchView.BypassChoices(arch));
            Assert.Null(new Simulator(arch, CostModel.Evaluate(arch)).RunGemm(256, 1024, 1024).Layers[0].Mapping!.Bypass);
        }
    }
}
