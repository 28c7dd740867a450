using Mantissa.Explorer.Pareto;

namespace Mantissa.Explorer.Tests;

/// <summary>Jensen/Fortin non-dominated sorting against the definition (peel the non-dominated set, O(M·N²) per front).</summary>
public class DivideAndConquerSortTests
{
    private static int[] Ranks(List<double[]> set)
    {
        int m = set[0].Length;
        var flat = set.SelectMany(v => v).ToArray();
        return DivideAndConquerSort.Ranks(flat, m);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    public void RanksMatchTheDefinitionOnRandomSetsWithTiesAndDuplicates(int objectives)
    {
        var rng = new Random(100 + objectives);
        for (int trial = 0; trial < 120; trial++)
        {
            // levels from 2 (almost every value tied) to 10,000 (almost none); sizes from 1 to 250
            int levels = new[] { 2, 3, 5, 10, 50, 10_000 }[trial % 6];
            var set = ParetoTests.RandomSet(rng, rng.Next(1, trial % 4 == 0 ? 250 : 60), objectives, levels);
            // exact duplicates of earlier vectors, ±∞ and a negative zero beside zeros
            for (int d = 0; d < set.Count / 5; d++) set.Add((double[])set[rng.Next(set.Count)].Clone());
            if (trial % 3 == 0) set[rng.Next(set.Count)][rng.Next(objectives)] = double.PositiveInfinity;
            if (trial % 5 == 0) set[rng.Next(set.Count)][rng.Next(objectives)] = double.NegativeInfinity;
            if (trial % 7 == 0) set[rng.Next(set.Count)][rng.Next(objectives)] = -0.0;
            set = set.OrderBy(_ => rng.Next()).ToList();
            Assert.Equal(ParetoTests.BruteRanks(set), Ranks(set));
        }
    }

    [Fact]
    public void AChainOfDuplicatedVectorsRanksByItsLength()
    {
        // (i, i, i, i) for i = 0..39, each twice: equal vectors share a rank, each step down the chain adds one
        var set = Enumerable.Range(0, 80).Select(i => Enumerable.Repeat((double)(i / 2), 4).ToArray()).Reverse().ToList();
        Assert.Equal(Enumerable.Range(0, 80).Select(i => 40 - i / 2).ToArray(), Ranks(set));
    }

    [Fact]
    public void AnAntichainIsOneFront()
    {
        // on the plane x + y + z = 30 no vector dominates another
        var set = new List<double[]>();
        for (int x = 0; x <= 30; x++)
            for (int y = 0; x + y <= 30; y++) set.Add(new double[] { x, y, 30 - x - y });
        Assert.All(Ranks(set), r => Assert.Equal(1, r));
    }

    [Fact]
    public void ParetoSortRanksUseItFromThreeObjectives()
    {
        var rng = new Random(7);
        var set = ParetoTests.RandomSet(rng, 200, 3, 6);
        Assert.Equal(Ranks(set), ParetoSort.Ranks(set));
    }
}
