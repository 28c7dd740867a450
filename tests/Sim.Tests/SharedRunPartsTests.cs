using Mantissa.Arch.Model;
using Mantissa.Sim.Fusion;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Workloads;

namespace Mantissa.Sim.Tests;

/// <summary>
/// What a workload run shares instead of copying: layers named from the operators when first read (the totals summed
/// from the shared priced results are those of the named layers, bit for bit), the part of a fusion plan its kept
/// tensors determine (shared by plans that keep the same tensors), and the planner's state table growing past its
/// first size when many kept activations are live at once.
/// </summary>
public class SharedRunPartsTests
{
    [Fact]
    public void Named_layers_carry_each_operators_name_and_sum_to_the_run_totals_bit_for_bit()
    {
        // Llama-2-7B decode, w4a8g128 on an int8 MAC: 32 decoder layers of operators sharing priced results, and format notes
        var w = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, 1, null, 128, "w4a8g128"));
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, dramBw: 32, glbBytes: 1 << 20);
        var r = TestArchs.Sim(arch).Run(w);
        var names = w.Graph.Operators.Select(o => o.Name).ToList();
        Assert.Equal(names, r.Layers.Select(l => l.Name));
        Assert.Equal(w.Graph.Operators.Select(o => o.Kind), r.Layers.Select(l => l.Kind));
        Assert.Same(r.Layers[5], r.Layers[5]);
        Assert.Equal(r.Layers.Count(l => l.FormatNote is not null), r.FormatFallbacks);
        Assert.True(r.FormatFallbacks > 0);
        Assert.Contains(r.Layers, l => l.FusionGroup is not null);
        // the totals of the named layers, summed again in layer order, are the run's
        var again = new SimResult(arch, r.Cost, r.Layers.ToList(), r.Tokens, r.Frames);
        Assert.Equal(BitConverter.DoubleToInt64Bits(r.Cycles), BitConverter.DoubleToInt64Bits(again.Cycles));
        Assert.Equal(BitConverter.DoubleToInt64Bits(r.ComputeCycles), BitConverter.DoubleToInt64Bits(again.ComputeCycles));
        Assert.Equal(BitConverter.DoubleToInt64Bits(r.EnergyPj), BitConverter.DoubleToInt64Bits(again.EnergyPj));
        Assert.Equal(r.Macs, again.Macs);
        for (int l = 0; l < arch.Memory.Count; l++)
        {
            Assert.Equal(r.Traffic[l].ReadWords, again.Traffic[l].ReadWords);
            Assert.Equal(r.Traffic[l].WriteWords, again.Traffic[l].WriteWords);
            Assert.Equal(BitConverter.DoubleToInt64Bits(r.Traffic[l].ReadBytes), BitConverter.DoubleToInt64Bits(again.Traffic[l].ReadBytes));
        }
    }

    [Fact]
    public void Plans_that_keep_the_same_tensors_share_what_those_tensors_give_the_operators()
    {
        // the choice of FusionTests' "most saved" case ({y}, 4.5 MiB) at two capacities that both hold only it: two plans
        // (their inputs differ), one shape
        const long MiB = 1 << 20;
        var sizes = new Dictionary<string, double> { ["in"] = MiB, ["x"] = MiB, ["y"] = 4.5 * MiB, ["z"] = 3 * MiB, ["out"] = MiB };
        SimOperator Op(string name, string[] reads, string writes) => new(name, OpKind.Elementwise, null, 1, reads.Sum(r => sizes[r]), sizes[writes])
        {
            Uses = reads.Select(r => new TensorUse(r, sizes[r], false)).Append(new TensorUse(writes, sizes[writes], true)).ToList(),
        };
        var ops = new[] { Op("op0", new[] { "in" }, "x"), Op("op1", new[] { "x" }, "y"), Op("op2", new[] { "x", "y" }, "z"), Op("op3", new[] { "z" }, "out") };
        var fusible = new[] { new FusibleTensor("x", MiB, 0, 2), new FusibleTensor("y", 4.5 * MiB, 1, 2), new FusibleTensor("z", 3 * MiB, 2, 3) };
        FusionPlan PlanAt(long capacity)
        {
            var arch = TestArchs.Systolic(32, 32, Dataflow.WS, glbBytes: capacity);
            return FusionPlanner.Plan(arch, new ArchView(arch), ops, TestArchs.Sim(arch).RunOperators(ops).Layers, fusible);
        }
        var a = PlanAt(5 * MiB);
        var b = PlanAt(5 * MiB + MiB / 4);
        Assert.NotSame(a, b);
        Assert.Same(a.Shape, b.Shape);
        Assert.Equal(new[] { "y" }, b.Resident);
        Assert.Equal(new[] { false, true, true, false }, b.Touches);
        Assert.Equal(new[] { 0, 0, 4.5 * MiB, 0 }, b.ChipIn);
        Assert.Equal(new[] { 0, 4.5 * MiB, 0, 0 }, b.ChipOut);
    }

    [Fact]
    public void Many_kept_activations_live_at_once_are_planned_as_the_brute_force_finds()
    {
        // eight operators each write a 1 MiB activation that one join reads: a 5.5 MiB buffer keeps five of them, each
        // saving its write and its read (2 MiB). Before the join up to 219 sets of kept activations are live (every set of
        // at most five of the eight), past the search's first table of 64 slots.
        const long MiB = 1 << 20;
        var ops = new List<SimOperator>();
        for (int j = 0; j < 8; j++)
            ops.Add(new SimOperator($"e{j}", OpKind.Elementwise, null, 1, MiB, MiB)
            {
                Uses = new[] { new TensorUse("in", MiB, false), new TensorUse($"t{j}", MiB, true) },
            });
        ops.Add(new SimOperator("join", OpKind.Elementwise, null, 1, 8 * MiB, MiB)
        {
            Uses = Enumerable.Range(0, 8).Select(j => new TensorUse($"t{j}", MiB, false)).Append(new TensorUse("out", MiB, true)).ToList(),
        });
        var fusible = Enumerable.Range(0, 8).Select(j => new FusibleTensor($"t{j}", MiB, j, 8)).ToList();
        var arch = TestArchs.Systolic(32, 32, Dataflow.WS, glbBytes: 5 * MiB + MiB / 2);
        var sim = TestArchs.Sim(arch);
        var unfused = sim.RunOperators(ops).Layers;
        var (resident, _, live) = FusionPlanner.Plan(arch, new ArchView(arch), ops, unfused, fusible);
        Assert.Equal(5, resident.Count);
        Assert.Equal(5 * MiB, live[8]);
        var chosen = fusible.Where(t => resident.Contains(t.Name)).ToList();
        Assert.True(FusionPlanBruteForceTests.Feasible(arch, 1, ops, unfused, chosen));
        double best = double.PositiveInfinity;
        for (int mask = 0; mask < 1 << 8; mask++)
        {
            var set = fusible.Where((_, b) => (mask >> b & 1) != 0).ToList();
            if (FusionPlanBruteForceTests.Feasible(arch, 1, ops, unfused, set)) best = Math.Min(best, FusionPlanBruteForceTests.Dram(arch, ops, unfused, set));
        }
        Assert.Equal(best, FusionPlanBruteForceTests.Dram(arch, ops, unfused, chosen));
        var run = sim.RunOperators(ops, fusible);
        Assert.Equal(run.Fusion!.UnfusedDramBytes - 10 * MiB, run.Fusion.DramBytes);
    }
}
