using Mantissa.Arch;

namespace Mantissa.Arch.Tests;

public class BoundedMemoTests
{
    [Fact]
    public void KeepsEntriesUntilFullThenStartsOverWithTheNewOne()
    {
        var memo = new BoundedMemo<int, string>(3);
        for (int i = 0; i < 3; i++) memo.Add(i, $"v{i}");
        for (int i = 0; i < 3; i++)
        {
            Assert.True(memo.TryGetValue(i, out var v));
            Assert.Equal($"v{i}", v);
        }
        memo.Add(3, "v3"); // the fourth entry: the memo starts over and keeps it
        Assert.False(memo.TryGetValue(0, out _));
        Assert.False(memo.TryGetValue(2, out _));
        Assert.True(memo.TryGetValue(3, out var last));
        Assert.Equal("v3", last);
        memo.Add(4, "v4");
        memo.Add(5, "v5");
        Assert.True(memo.TryGetValue(3, out _)); // three entries since the start-over: still within capacity
        Assert.True(memo.TryGetValue(5, out _));
    }

    [Fact]
    public void UsesTheGivenComparer()
    {
        var memo = new BoundedMemo<string, int>(4, StringComparer.OrdinalIgnoreCase);
        memo.Add("Mem", 1);
        Assert.True(memo.TryGetValue("MEM", out var v));
        Assert.Equal(1, v);
    }

    [Fact]
    public void CapacityMustBePositive() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new BoundedMemo<int, int>(0));
}
