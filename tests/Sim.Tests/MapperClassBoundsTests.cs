using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>
/// The order class bound the search computes from per-tile terms (<see cref="ClassBounds"/>) against its definition (the
/// DRAM bits of <see cref="TrafficModel.AccumulateDram"/>, priced as the score prices them) on whole mapspaces where operands
/// bypass the on-chip level (into the array, the stationary one too) or are kept there by fusion; and mappers of different
/// designs sharing a thread's search state (<see cref="SearchScratch"/>).
/// </summary>
public class MapperClassBoundsTests
{
    [Fact]
    public void TheSearchsClassBoundEqualsItsDefinitionWithBypassAndOperandsKeptOnChip()
    {
        int bounds = 0, bypassed = 0, kept = 0, stationaryBypassed = 0;
        foreach (var (file, level, p, keep, mapper, space) in OneLevelMapspaces.Draw(7319))
        {
            foreach (var m in space)
            {
                var (fast, reference) = mapper.ClassBoundOf(p, m, 777.25);
                string what = $"{file} {p.M}x{p.K}x{p.N} kept {keep} bypass {m.BypassAt(level)} {m.Dataflow} " +
                              $"{m.Levels[1].M}x{m.Levels[1].K}x{m.Levels[1].N} order {string.Join("", m.Levels[0].Order)}";
                Assert.True(BitConverter.DoubleToInt64Bits(fast.Primary) == BitConverter.DoubleToInt64Bits(reference.Primary) &&
                            BitConverter.DoubleToInt64Bits(fast.Secondary) == BitConverter.DoubleToInt64Bits(reference.Secondary),
                    $"{what}: ({fast.Primary}, {fast.Secondary}) instead of ({reference.Primary}, {reference.Secondary})");
                bounds++;
                if (m.BypassAt(level) != TensorSet.None) bypassed++;
                if ((m.BypassAt(level) & ArchView.SetOf(ArchView.Stationary(m.Dataflow))) != 0) stationaryBypassed++;
                if (keep != TensorSet.None) kept++;
            }
        }
        Assert.True(bounds >= 5000, $"only {bounds} class bounds compared");
        Assert.True(bypassed >= 1000 && stationaryBypassed >= 200 && kept >= 500,
            $"{bypassed} with a bypass, {stationaryBypassed} with the stationary operand bypassed, {kept} with an operand kept on chip");
    }

    [Fact]
    public void MappersOfDifferentDesignsSharingAThreadsSearchStateMapAsOnAThreadOfTheirOwn()
    {
        // a design with one on-chip level and one with more, mapped alternately on this thread, against each mapped alone
        // on a new thread (a new thread's search state is new)
        var archs = BundledArchs.Files.Append("sweeps/edge-npu.yaml").Select(f => BundledArchs.Load(f)).ToList();
        var one = archs.First(a => new ArchView(a).Shared.Length == 2);
        var more = archs.First(a => new ArchView(a).Shared.Length > 2);
        string Map(ArchitectureSpec arch)
        {
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            var p = sim.DefaultProblem(1, 96, 700, 300);
            double cycles = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill).Cycles;
            var r = new Mapper(arch, cost, new SimOptions(), sim.Pe).Map(p, cycles);
            return $"{arch.Name}: {MapperCases.Tiles(r)} ({BitConverter.DoubleToInt64Bits(r.Score.Cycles)}, {BitConverter.DoubleToInt64Bits(r.Score.EnergyPj)}) {r.Evaluated}";
        }
        string Alone(ArchitectureSpec arch)
        {
            string result = "";
            var t = new Thread(() => result = Map(arch));
            t.Start();
            t.Join();
            return result;
        }
        var expected = new[] { Alone(one), Alone(more) };
        Assert.NotEqual(expected[0], expected[1]);
        for (int round = 0; round < 2; round++)
        {
            Assert.Equal(expected[0], Map(one));
            Assert.Equal(expected[1], Map(more));
        }
    }
}
