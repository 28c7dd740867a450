using Mantissa.Arch.Cost;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Tests;

/// <summary>The mapper's leaf pruning (<see cref="LeafBound"/>) changes how many leaves are scored, never what is chosen.</summary>
public class MapperPruningTests
{
    [Theory]
    [MemberData(nameof(BundledArchs.All), MemberType = typeof(BundledArchs))]
    public void PrunedSearchChoosesTheSameMappingAsScoringEveryLeaf(string file)
    {
        // LLM-sized and awkward shapes on every bundled design under all three objectives, on its own array and on random
        // array sizes: the pruned and unpruned searches must return the same mapping with the same score, bit for bit.
        var rng = new Random(file.GetHashCode(StringComparison.Ordinal) & 0x7fff ^ 77);
        var baseArch = BundledArchs.Load(file);
        (int M, int K, int N)[] shapes =
            [(128, 1024, 1024), (1, 4096, 11008), (77, 300, 513), (2048, 4096, 4096), (1, 128, 2048), (512, 64, 512)];
        int searches = 0;
        for (int a = 0; a < 4; a++)
        {
            var arch = a == 0 ? baseArch : baseArch with { Array = baseArch.Array with { Rows = rng.Next(2, 129), Cols = rng.Next(2, 129) } };
            var cost = CostModel.Evaluate(arch);
            var sim = new Simulator(arch, cost);
            foreach (var (m, k, n) in shapes)
            {
                var p = sim.DefaultProblem(1, m, k, n);
                double cycles = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, arch.Array.Dataflow, p.M, p.K, p.N, sim.Pe, arch.Switches.ModelFill).Cycles;
                foreach (var objective in new[] { MappingObjective.Latency, MappingObjective.Energy, MappingObjective.Edp })
                {
                    var options = new SimOptions { Objective = objective };
                    var pruned = new Mapper(arch, cost, options, sim.Pe);
                    var all = new Mapper(arch, cost, options, sim.Pe) { Pruning = false };
                    MapperResult rp, ra;
                    try { rp = pruned.Map(p, cycles); ra = all.Map(p, cycles); }
                    catch (Mantissa.Arch.MantissaException) { continue; } // a buffer too small for this shape on this array
                    string what = $"{file} {arch.Array.Rows}x{arch.Array.Cols} {m}x{k}x{n} {objective}";
                    Assert.Equal(Tiles(ra), Tiles(rp));
                    Assert.Equal((ra.Mapping.FoldM, ra.Mapping.FoldK, ra.Mapping.FoldN, ra.Mapping.Dataflow),
                        (rp.Mapping.FoldM, rp.Mapping.FoldK, rp.Mapping.FoldN, rp.Mapping.Dataflow));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(ra.Score.Cycles), BitConverter.DoubleToInt64Bits(rp.Score.Cycles));
                    Assert.Equal(BitConverter.DoubleToInt64Bits(ra.Score.EnergyPj), BitConverter.DoubleToInt64Bits(rp.Score.EnergyPj));
                    Assert.Equal(ra.Evaluated, rp.Evaluated);
                    Assert.True(pruned.Scored <= all.Scored, what);
                    searches++;
                }
            }
        }
        Assert.True(searches >= 30, $"only {searches} searches ran");
    }

    [Fact]
    public void TheBoundSkipsLeavesOfTheBenchGemmOnTheEdgeNpu()
    {
        // the design the GEMM speed benchmarks sweep: without skipped leaves the test above would compare a search with itself
        var (pruned, all) = MapperCases.SameOnBenchGemm(m => m.Pruning = false);
        Assert.True(pruned.Scored < all.Scored, $"pruning scored {pruned.Scored} of {all.Scored} leaves");
    }

    private static string Tiles(MapperResult r) => MapperCases.Tiles(r);
}
