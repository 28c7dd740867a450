using Mantissa.Arch.Cost;
using Xunit;

namespace Mantissa.Arch.Tests.Cost;

public class SeenFilterTests
{
    [Fact]
    public void ACodeIsSeenFromItsSecondOfferingUntilAnotherCodeTakesItsSlot()
    {
        var f = new SeenFilter(bits: 4); // 16 slots
        Assert.False(f.SeenBefore(12345));
        Assert.True(f.SeenBefore(12345));
        Assert.True(f.SeenBefore(12345));
        // 12345 + 16 lands in the same slot (the mix only moves bits 16 and up into the low ones) and displaces it
        Assert.False(f.SeenBefore(12345 + 16));
        Assert.False(f.SeenBefore(12345));
        // codes in other slots do not disturb each other
        for (int h = 1; h < 16; h++) Assert.False(f.SeenBefore(h));
        for (int h = 1; h < 16; h++) Assert.True(f.SeenBefore(h));
        // the slots start at 0: a code of 0 counts as seen (documented)
        Assert.True(new SeenFilter(bits: 4).SeenBefore(0));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(25)]
    public void SlotCountsOutsideOneTo24BitsAreRejected(int bits) =>
        Assert.Throws<ArgumentOutOfRangeException>(() => new SeenFilter(bits));
}
