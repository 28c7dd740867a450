using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Tests;

/// <summary>
/// The simulator times and re-prices a GEMM under the mapper's per-architecture views (<see cref="Mapper.ViewOf"/>)
/// instead of a view built per call: the view it returns for a mapping's bypass is one built once, and timing under it
/// gives the same bits as under a freshly built view of that bypass.
/// </summary>
public class TileTimelineViewTests
{
    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void TimingUnderTheMappersViewEqualsTimingUnderAFreshView(string file)
    {
        var baseArch = BundledArchs.Load(file);
        // every shared on-chip level may bypass any tensor it holds: the mapspace has several bypass choices
        var arch = baseArch with
        {
            Array = baseArch.Array with { Rows = 4, Cols = 4 },
            Memory = baseArch.Memory.Select((m, l) => l == 0 || m.PerPe ? m : m with { CapacityBytes = 1024, MayBypass = m.Holds }).ToArray(),
        };
        var cost = CostModel.Evaluate(arch);
        var sim = new Simulator(arch, cost);
        var mapper = new Mapper(arch, cost, new SimOptions(), sim.Pe);
        var p = sim.DefaultProblem(1, 12, 40, 20);
        double compute = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe,
            arch.Switches.ModelFill, true, arch.Array.Preload).Cycles;
        var perBypass = new Dictionary<string, int>();
        int timed = 0;
        foreach (var m in mapper.EnumerateMapspace(p))
        {
            // up to 25 mappings of each bypass choice
            string key = string.Join(",", m.Bypass ?? Array.Empty<TensorSet>());
            perBypass[key] = perBypass.GetValueOrDefault(key) + 1;
            if (perBypass[key] > 25) continue;
            var view = mapper.ViewOf(m.Bypass);
            // the same instance for the same choice, whichever list spells it
            Assert.Same(view, mapper.ViewOf(m.Bypass?.ToArray()));
            Assert.Equal(Enumerable.Range(0, arch.Memory.Count).Select(l => new ArchView(arch, m.Bypass).Holds(l)),
                Enumerable.Range(0, arch.Memory.Count).Select(view.Holds));
            var memory = TrafficCost.Of(arch, cost, TrafficModel.Compute(arch, p, m, TensorSet.None));
            foreach (long maxTiles in new[] { 0L, long.MaxValue }) // closed form, and the recurrence where the nest has one
            {
                var fresh = TileTimeline.Run(arch, p, m, compute, memory, maxTiles);
                var shared = TileTimeline.Run(view, p, m, compute, memory, maxTiles);
                Assert.Equal(BitConverter.DoubleToInt64Bits(fresh.Cycles), BitConverter.DoubleToInt64Bits(shared.Cycles));
                Assert.Equal(fresh, shared);
            }
            timed++;
        }
        Assert.True(timed >= 20, $"only {timed} mappings timed");
        Assert.True(perBypass.Count >= 2, $"only {perBypass.Count} bypass choice(s) among the mappings timed");
    }

    [Fact]
    public void NoBypassAndAnAllNoneBypassAreTheMappersViewWithoutBypass()
    {
        var arch = BundledArchs.Load("tpu-int8.yaml");
        var cost = CostModel.Evaluate(arch);
        var mapper = new Mapper(arch, cost, new SimOptions(), PeThroughput.For(arch.Pe));
        Assert.Same(mapper.View, mapper.ViewOf(null));
        Assert.Same(mapper.View, mapper.ViewOf(new TensorSet[arch.Memory.Count]));
        Assert.Null(mapper.View.Bypass);
    }
}
