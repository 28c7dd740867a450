using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Tests;

/// <summary>The sweep's worker threads and the in-order hand-off of their results.</summary>
public class SweepWorkersTests
{
    [Theory]
    [InlineData(1, 1000)]
    [InlineData(2, 1000)]
    [InlineData(4, 257)]
    public void EveryIndexRunsOnceAndIsHandedOnInOrder(int jobs, int count)
    {
        var runs = new int[count];
        var handedOn = new List<int>();
        var handoff = new InOrderHandoff<int[]>(count, ready => handedOn.AddRange(ready.Select(r => r[0])));
        var stats = SweepWorkers.Run(count, jobs, CancellationToken.None, (i, meter) =>
        {
            Interlocked.Increment(ref runs[i]);
            if (i % 7 == 0) Thread.SpinWait(2000); // some items finish late, so later ones wait in their slots
            handoff.Complete(i, [i], meter);
        });
        Assert.All(runs, n => Assert.Equal(1, n));
        Assert.Equal(Enumerable.Range(0, count), handedOn);
        Assert.Equal(jobs, stats.Count);
        Assert.Empty(handoff.Stranded());
    }

    [Fact]
    public void TheFirstExceptionStopsTheWorkersAndIsRethrown()
    {
        int ran = 0;
        var e = Assert.Throws<InvalidOperationException>(() => SweepWorkers.Run(100_000, 2, CancellationToken.None, (i, _) =>
        {
            Interlocked.Increment(ref ran);
            if (i == 10) throw new InvalidOperationException("item 10");
        }));
        Assert.Equal("item 10", e.Message);
        Assert.True(ran < 100_000, $"{ran} items ran after the failure");
    }

    [Fact]
    public void CancellationStopsTheWorkersAndLeavesLaterFinishedItemsStranded()
    {
        using var cts = new CancellationTokenSource();
        var handedOn = new List<int>();
        var handoff = new InOrderHandoff<int[]>(1000, ready => handedOn.AddRange(ready.Select(r => r[0])));
        Assert.Throws<OperationCanceledException>(() => SweepWorkers.Run(1000, 2, cts.Token, (i, meter) =>
        {
            if (i == 3) { cts.Cancel(); return; } // item 3 never finishes
            handoff.Complete(i, [i], meter);
        }));
        Assert.Equal([0, 1, 2], handedOn);
        var stranded = handoff.Stranded().Select(r => r[0]).ToList();
        Assert.All(stranded, i => Assert.True(i > 3));
        Assert.Equal(stranded.Order(), stranded);
    }
}
