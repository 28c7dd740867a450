using Mantissa.Sim.Mapping;
using Xunit;

namespace Mantissa.Sim.Tests;

public class RecentEntriesTests
{
    [Fact]
    public void TheLastCountKeysAreFoundAndTheOldestIsDroppedFirst()
    {
        var recent = new RecentEntries<int, string>(3);
        recent.Add(1, "a");
        recent.Add(2, "b");
        recent.Add(3, "c");
        Assert.True(recent.TryGetValue(1, out var v) && v == "a");
        recent.Add(2, "other"); // already present: keeps its value and its place
        Assert.True(recent.TryGetValue(2, out v) && v == "b");
        recent.Add(4, "d");     // full: 1, the oldest, goes
        Assert.False(recent.TryGetValue(1, out _));
        Assert.True(recent.TryGetValue(2, out _) && recent.TryGetValue(3, out _) && recent.TryGetValue(4, out _));
        recent.Add(5, "e");
        Assert.False(recent.TryGetValue(2, out _));
        Assert.True(recent.TryGetValue(5, out v) && v == "e");
    }
}
