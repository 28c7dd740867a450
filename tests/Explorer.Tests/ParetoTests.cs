using Mantissa.Explorer.Pareto;

namespace Mantissa.Explorer.Tests;

public class ParetoTests
{
    internal static List<double[]> RandomSet(Random rng, int n, int m, int levels) =>
        Enumerable.Range(0, n).Select(_ => Enumerable.Range(0, m).Select(_ => (double)rng.Next(levels)).ToArray()).ToList();

    /// <summary>Rank by definition: 1 + the longest chain of dominators.</summary>
    internal static int[] BruteRanks(List<double[]> v)
    {
        var ranks = new int[v.Count];
        var left = Enumerable.Range(0, v.Count).ToHashSet();
        for (int r = 1; left.Count > 0; r++)
        {
            var front = left.Where(i => !left.Any(j => j != i && Brute(v[j], v[i]))).ToList();
            foreach (var i in front) { ranks[i] = r; left.Remove(i); }
        }
        return ranks;
    }

    private static bool Brute(double[] a, double[] b) => a.Zip(b).All(p => p.First <= p.Second) && a.Zip(b).Any(p => p.First < p.Second);

    [Theory]
    [InlineData(2, 1)]
    [InlineData(3, 2)]
    [InlineData(4, 3)]
    [InlineData(5, 4)]
    public void RanksMatchABruteForceDefinition(int objectives, int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 30; trial++)
        {
            var set = RandomSet(rng, rng.Next(1, 60), objectives, 6); // few levels: many ties and duplicates
            Assert.Equal(BruteRanks(set), ParetoSort.Ranks(set));
        }
    }

    [Theory]
    [InlineData(1, 5)]
    [InlineData(2, 6)]
    [InlineData(3, 7)]
    [InlineData(4, 8)]
    [InlineData(5, 9)]
    public void FrontMatchesABruteForceDefinition(int objectives, int seed)
    {
        var rng = new Random(seed);
        for (int trial = 0; trial < 40; trial++)
        {
            // few levels: ties and duplicates; many levels: a sparse front
            var set = RandomSet(rng, rng.Next(1, trial < 20 ? 60 : 400), objectives, trial < 20 ? 5 : 1000);
            if (trial % 7 == 0) set[0][objectives - 1] = double.PositiveInfinity;
            if (trial % 5 == 0) set[^1][0] = double.NegativeInfinity;
            var brute = Enumerable.Range(0, set.Count).Where(i => !set.Any(q => Brute(q, set[i]))).ToArray();
            Assert.Equal(brute, ParetoSort.Front(set));
        }
    }

    [Fact]
    public void TwoObjectiveRanksMatchBruteForceOnLargerSets()
    {
        var rng = new Random(17);
        for (int trial = 0; trial < 5; trial++)
        {
            var set = RandomSet(rng, 300, 2, 40);
            Assert.Equal(BruteRanks(set), ParetoSort.Ranks(set));
        }
    }

    [Fact]
    public void FourDHypervolumeMatchesCellCounting()
    {
        var rng = new Random(12);
        for (int trial = 0; trial < 15; trial++)
        {
            var set = RandomSet(rng, rng.Next(1, 12), 4, 6);
            int cells = 0;
            for (int x = 0; x < 6; x++)
            for (int y = 0; y < 6; y++)
            for (int z = 0; z < 6; z++)
            for (int w = 0; w < 6; w++)
                if (set.Any(p => p[0] <= x && p[1] <= y && p[2] <= z && p[3] <= w)) cells++;
            Assert.Equal(cells, Hypervolume.Compute(set, new[] { 6.0, 6, 6, 6 }), 9);
        }
    }

    [Fact]
    public void CrowdingGivesBoundariesInfinityAndInteriorNormalisedGaps()
    {
        var v = new List<double[]> { new[] { 0.0, 4 }, new[] { 1.0, 2 }, new[] { 2.0, 1 }, new[] { 4.0, 0 } };
        var d = ParetoSort.Crowding(v, new[] { 0, 1, 2, 3 });
        Assert.True(double.IsPositiveInfinity(d[0]) && double.IsPositiveInfinity(d[3]));
        Assert.Equal((2.0 - 0) / 4 + (4.0 - 1) / 4, d[1], 12);
        Assert.Equal((4.0 - 1) / 4 + (2.0 - 0) / 4, d[2], 12);
    }

    [Fact]
    public void HypervolumeOfKnownSets()
    {
        // staircase (1,3) (2,2) (3,1) with reference (4,4): 3 + 2·… = 1·3 + 1·2 + 1·1 = 6
        Assert.Equal(6, Hypervolume.Compute(new List<double[]> { new[] { 1.0, 3 }, new[] { 2.0, 2 }, new[] { 3.0, 1 } }, new[] { 4.0, 4 }), 12);
        // a dominated point and a point outside the reference box add nothing
        Assert.Equal(6, Hypervolume.Compute(new List<double[]> { new[] { 1.0, 3 }, new[] { 2.0, 2 }, new[] { 3.0, 1 }, new[] { 3.0, 3 }, new[] { 5.0, 0 } }, new[] { 4.0, 4 }), 12);
        // one point in 3-D: a box
        Assert.Equal(2 * 3 * 4, Hypervolume.Compute(new List<double[]> { new[] { 0.0, 0, 0 } }, new[] { 2.0, 3, 4 }), 12);
        // two overlapping boxes in 3-D: 1·1·2 + 1·2·1 − overlap 1·1·1 … from (0,0,1),(0,1,0) ref (1,2,2): 1·2·1 + 1·1·2 − 1·1·1 = 3
        Assert.Equal(3, Hypervolume.Compute(new List<double[]> { new[] { 0.0, 0, 1 }, new[] { 0.0, 1, 0 } }, new[] { 1.0, 2, 2 }), 12);
    }

    [Fact]
    public void TwoDHypervolumeMatchesCellCounting()
    {
        var rng = new Random(13);
        for (int trial = 0; trial < 30; trial++)
        {
            // few levels: equal x, equal y and duplicate points; some points on or beyond the reference
            var set = RandomSet(rng, rng.Next(1, trial < 15 ? 10 : 120), 2, 12);
            var reference = new[] { 10.0, 10 };
            int cells = 0;
            for (int x = 0; x < 10; x++)
            for (int y = 0; y < 10; y++)
                if (set.Any(p => p[0] <= x && p[1] <= y)) cells++;
            Assert.Equal(cells, Hypervolume.Compute(set, reference), 9);
        }
    }

    [Fact]
    public void ThreeDHypervolumeMatchesCellCounting()
    {
        var rng = new Random(11);
        for (int trial = 0; trial < 20; trial++)
        {
            var set = RandomSet(rng, rng.Next(1, trial < 10 ? 15 : 80), 3, 8);
            var reference = new[] { 8.0, 8, 8 };
            int cells = 0;
            for (int x = 0; x < 8; x++)
            for (int y = 0; y < 8; y++)
            for (int z = 0; z < 8; z++)
                if (set.Any(p => p[0] <= x && p[1] <= y && p[2] <= z)) cells++;
            Assert.Equal(cells, Hypervolume.Compute(set, reference), 9);
        }
    }

    [Fact]
    public void FrontsArePerWorkloadAndSkipRowsWithoutAnObjective()
    {
        var header = new[] { "point", "workload", "key", "status", "reason", "latency_s", "tokens_per_j" };
        var rows = new List<string[]>
        {
            new[] { "0", "llm", "a", "valid", "", "2", "5" },
            new[] { "1", "llm", "b", "valid", "", "1", "4" },
            new[] { "2", "llm", "c", "valid", "", "3", "4" },     // dominated by point 0
            new[] { "3", "llm", "d", "invalid", "x", "0.1", "9" }, // invalid: never on a front
            new[] { "0", "gemm", "e", "valid", "", "1", "" },      // a GEMM has no tokens
            new[] { "1", "gemm", "f", "valid", "", "2", "" },
        };
        var fronts = ParetoAnalysis.Fronts(new Sweep.ResultTable(header, rows),
            new[] { new Sweep.Objective("latency_s", Goal.Min), new Sweep.Objective("tokens_per_j", Goal.Max) });
        var llm = fronts.Single(f => f.Workload == "llm");
        Assert.Equal(new[] { "1", "0" }, llm.Members.Select(m => m.Row[0]));
        Assert.Equal(3, llm.ValidRows);
        Assert.Empty(llm.Unreported);
        var gemm = fronts.Single(f => f.Workload == "gemm");
        Assert.Empty(gemm.Members);
        Assert.Equal(2, gemm.ValidRows);
        Assert.Equal(new[] { "tokens_per_j" }, gemm.Unreported);
    }

    [Fact]
    public void InfiniteObjectivesRankAsExtremesAndAreClampedForHypervolume()
    {
        var header = new[] { "point", "workload", "key", "status", "reason", "latency_s", "quant_sqnr_db" };
        string inf = Sweep.ResultTable.Format(double.PositiveInfinity); // what a sweep writes for an exact format
        var rows = new List<string[]>
        {
            new[] { "0", "w", "a", "valid", "", "1", "20" },
            new[] { "1", "w", "b", "valid", "", "2", inf },   // exact: the best SQNR there is
            new[] { "2", "w", "c", "valid", "", "3", inf },   // as exact as b but slower: dominated
            new[] { "3", "w", "d", "valid", "", "1.5", "10" }, // dominated by a
            new[] { "4", "w", "e", "valid", "", inf, "30" },  // +inf latency is the worst: dominated by b
        };
        var front = ParetoAnalysis.Fronts(new Sweep.ResultTable(header, rows),
            new[] { new Sweep.Objective("latency_s", Goal.Min), new Sweep.Objective("quant_sqnr_db", Goal.Max) }).Single();
        Assert.Equal(new[] { "0", "1" }, front.Members.Select(m => m.Row[0]));
        Assert.Equal(5, front.ValidRows);
        Assert.Empty(front.Unreported);
        Assert.All(front.Members, m => Assert.True(double.IsPositiveInfinity(m.Crowding)));
        // clamped: latency +inf -> 3, -SQNR -inf -> -30; scaled a = (0, 0.5), b = (0.5, 0); ref 1.1:
        // 1.1·0.6 + 0.6·0.5 = 0.96 of the 1.21 box
        Assert.Equal(0.96 / 1.21, front.Hypervolume!.Value, 12);
        var ranks = ParetoSort.Ranks(new List<double[]> { new[] { 1.0, -20 }, new[] { 2.0, double.NegativeInfinity }, new[] { double.PositiveInfinity, -30 } });
        Assert.Equal(new[] { 1, 1, 2 }, ranks);
    }
}
