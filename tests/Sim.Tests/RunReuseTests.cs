using Mantissa.Arch.Cost;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>
/// A workload run prices each distinct operator once and shares the result among the operators of that shape (the
/// 32 decoder layers of Llama-2-7B), and finds the fusion plan's graph-only part once per operator list. Both reuses
/// must give exactly what pricing every operator on its own and planning afresh give: checked bit for bit on every
/// bundled design for Llama-2-7B decode and prefill and ResNet-50.
/// </summary>
public class RunReuseTests
{
    public static IEnumerable<object[]> Cases => BundledArchs.Files.SelectMany(f =>
        new[] { new object[] { f, "decode" }, new object[] { f, "prefill" }, new object[] { f, "resnet50" } });

    private static Workload Build(string which, Mantissa.Arch.Model.ArchitectureSpec arch)
    {
        string recipe = FormatFit.DefaultRecipe(arch.Pe) ?? "fp16";
        return which switch
        {
            "decode" => WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 2048, recipe)),
            "prefill" => WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Prefill, 1, 256, null, recipe)),
            _ => WorkloadCatalog.Build("resnet50", new WorkloadOptions(Phase.Prefill, 1, null, null, recipe)),
        };
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Every_layer_equals_its_operator_priced_alone_and_the_totals_are_the_in_order_sums(string file, string which)
    {
        var arch = BundledArchs.Load(file);
        var cost = CostModel.Evaluate(arch);
        var w = Build(which, arch);
        var ops = WorkloadLowering.For(w, arch).Ops;
        var mappings = new MappingCache(); // mapper results are the same with and without it (MappingCacheTests)
        var off = new SimOptions { Fusion = false };
        var run = new Simulator(arch, cost, off, mappings).RunOperators(ops, Array.Empty<Fusion.FusibleTensor>());
        Assert.Equal(ops.Count, run.Layers.Count);
        for (int i = 0; i < ops.Count; i++)
        {
            var alone = new Simulator(arch, cost, off, mappings).RunOperators(new[] { ops[i] }, Array.Empty<Fusion.FusibleTensor>()).Layers[0];
            AssertSame(alone, run.Layers[i], $"{file} {which} {ops[i].Name}");
        }
        AssertTotals(run);
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_fused_run_is_the_same_planned_afresh_and_run_again(string file, string which)
    {
        var arch = BundledArchs.Load(file);
        var cost = CostModel.Evaluate(arch);
        var w = Build(which, arch);
        var lowered = WorkloadLowering.For(w, arch);
        var mappings = new MappingCache();
        var sim = new Simulator(arch, cost, null, mappings);
        var first = sim.RunOperators(lowered.Ops, lowered.Fusible, 0, 0, lowered.Chains);
        var again = sim.RunOperators(lowered.Ops, lowered.Fusible, 0, 0, lowered.Chains); // every shape memoised
        // a copy of the operator list has no memoised plan skeleton or group structure; a new simulator no priced shapes
        var fresh = new Simulator(arch, cost, null, mappings).RunOperators(lowered.Ops.ToList(), lowered.Fusible.ToList(), 0, 0, lowered.Chains.ToList());
        foreach (var other in new[] { again, fresh })
        {
            Assert.Equal(first.Layers.Count, other.Layers.Count);
            for (int i = 0; i < first.Layers.Count; i++) AssertSame(first.Layers[i], other.Layers[i], $"{file} {which} {first.Layers[i].Name}");
            Assert.Equal(first.Fusion!.Groups.Count, other.Fusion!.Groups.Count);
            for (int g = 0; g < first.Fusion.Groups.Count; g++)
            {
                var (a, b) = (first.Fusion.Groups[g], other.Fusion.Groups[g]);
                Assert.Equal(a.Operators, b.Operators);
                Assert.Equal(a.ResidentTensors, b.ResidentTensors);
                Assert.Equal((a.ResidentBytes, a.PeakResidentBytes, a.UnfusedDramBytes, a.DramBytes, a.CompulsoryDramBytes, a.TiledAttention),
                             (b.ResidentBytes, b.PeakResidentBytes, b.UnfusedDramBytes, b.DramBytes, b.CompulsoryDramBytes, b.TiledAttention));
            }
            Assert.Equal(first.Fusion.DramBytes, other.Fusion.DramBytes);
            Assert.Equal(first.Cycles, other.Cycles);
            Assert.Equal(first.EnergyPj, other.EnergyPj);
        }
        // the layers' names, kinds and format notes are the operators' own
        for (int i = 0; i < lowered.Ops.Count; i++)
        {
            Assert.Equal(lowered.Ops[i].Name, first.Layers[i].Name);
            Assert.Equal(lowered.Ops[i].Kind, first.Layers[i].Kind);
            Assert.Equal(lowered.Ops[i].Gemm is null ? null : lowered.Ops[i].FormatNote, first.Layers[i].FormatNote);
        }
        AssertTotals(first);
    }

    // Every number of a layer, bit for bit (doubles compared as bits, so -0 and NaN payloads count too).
    internal static void AssertSame(LayerResult a, LayerResult b, string what)
    {
        Assert.True(a.Name == b.Name && a.Kind == b.Kind && a.FormatNote == b.FormatNote && a.FusionGroup == b.FusionGroup, what);
        Assert.True(a.Gemm == b.Gemm && a.Macs == b.Macs && a.Bound == b.Bound && a.Bounds == b.Bounds && SameMapping(a.Mapping, b.Mapping), what);
        Assert.True(Bits(a.ComputeCycles) == Bits(b.ComputeCycles) && Bits(a.Cycles) == Bits(b.Cycles) && Bits(a.Utilization) == Bits(b.Utilization), what);
        Assert.True(Bits(a.Energy.ComputePj) == Bits(b.Energy.ComputePj) && Bits(a.Energy.LeakagePj) == Bits(b.Energy.LeakagePj), what);
        Assert.Equal(a.Energy.Levels.Select(l => (l.Level, Bits(l.Pj))), b.Energy.Levels.Select(l => (l.Level, Bits(l.Pj))));
        Assert.Equal(a.Traffic.Count, b.Traffic.Count);
        for (int l = 0; l < a.Traffic.Count; l++)
        {
            Assert.Equal(a.Traffic[l].ReadWords, b.Traffic[l].ReadWords);
            Assert.Equal(a.Traffic[l].WriteWords, b.Traffic[l].WriteWords);
            Assert.True(Bits(a.Traffic[l].ReadBytes) == Bits(b.Traffic[l].ReadBytes) && Bits(a.Traffic[l].WriteBytes) == Bits(b.Traffic[l].WriteBytes), what);
        }
    }

    private static bool SameMapping(Mapping.GemmMapping? a, Mapping.GemmMapping? b) => a is null || b is null ? a is null && b is null :
        (a.FoldM, a.FoldK, a.FoldN, a.Dataflow) == (b.FoldM, b.FoldK, b.FoldN, b.Dataflow) &&
        a.Levels.Select(t => (t.LevelIndex, t.LevelName, t.M, t.K, t.N, string.Join(",", t.Order))).SequenceEqual(
            b.Levels.Select(t => (t.LevelIndex, t.LevelName, t.M, t.K, t.N, string.Join(",", t.Order)))) &&
        (a.Bypass ?? Array.Empty<Mantissa.Arch.Model.TensorSet>()).SequenceEqual(b.Bypass ?? Array.Empty<Mantissa.Arch.Model.TensorSet>());

    // The run's totals are the layers summed one by one in order (the order fixes the floating-point result).
    internal static void AssertTotals(SimResult r)
    {
        double cycles = 0, compute = 0, pePj = 0, leakPj = 0;
        long macs = 0;
        var levelPj = new double[r.Arch.Memory.Count];
        var readBytes = new double[r.Arch.Memory.Count];
        var writeWords = new long[r.Arch.Memory.Count];
        foreach (var l in r.Layers)
        {
            cycles += l.Cycles; compute += l.ComputeCycles; macs += l.Macs; pePj += l.Energy.ComputePj; leakPj += l.Energy.LeakagePj;
            for (int i = 0; i < levelPj.Length; i++)
            {
                levelPj[i] += l.Energy.Levels[i].Pj; readBytes[i] += l.Traffic[i].ReadBytes; writeWords[i] += l.Traffic[i].Writes;
            }
        }
        Assert.Equal(Bits(cycles), Bits(r.Cycles));
        Assert.Equal(Bits(compute), Bits(r.ComputeCycles));
        Assert.Equal(macs, r.Macs);
        Assert.Equal(Bits(pePj), Bits(r.Energy.ComputePj));
        Assert.Equal(Bits(leakPj), Bits(r.Energy.LeakagePj));
        for (int i = 0; i < levelPj.Length; i++)
        {
            Assert.Equal(Bits(levelPj[i]), Bits(r.Energy.Levels[i].Pj));
            Assert.Equal(Bits(readBytes[i]), Bits(r.Traffic[i].ReadBytes));
            Assert.Equal(writeWords[i], r.Traffic[i].Writes);
        }
    }

    private static long Bits(double x) => BitConverter.DoubleToInt64Bits(x);
}
