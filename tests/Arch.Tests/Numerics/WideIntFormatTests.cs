using System.Numerics;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>Integer formats of 33..64 bits: ranges, codes at the edges, and rounding/saturation into them.</summary>
public class WideIntFormatTests
{
    private static ScalarFormat F(string name) => (ScalarFormat)NumberFormat.Parse(name);

    [Theory]
    [InlineData("int33", "-4294967296", "4294967295")]
    [InlineData("int48", "-140737488355328", "140737488355327")]
    [InlineData("int64", "-9223372036854775808", "9223372036854775807")]
    [InlineData("uint33", "0", "8589934591")]
    [InlineData("uint64", "0", "18446744073709551615")]
    public void RangesAreTheTwosComplementAndUnsignedOnes(string name, string min, string max)
    {
        var f = (IntFormat)F(name);
        Assert.Equal((Int128.Parse(min), Int128.Parse(max)), (f.MinValue, f.MaxValue));
    }

    [Fact]
    public void EdgeCodesDecodeExactly()
    {
        var i64 = F("int64");
        Assert.Equal(ExactValue.FromInteger(BigInteger.Parse("-9223372036854775808")), i64.Decode(0x8000_0000_0000_0000UL).Value);
        Assert.Equal(ExactValue.FromInteger(long.MaxValue), i64.Decode(0x7FFF_FFFF_FFFF_FFFFUL).Value);
        Assert.Equal(ExactValue.FromInteger(-1), i64.Decode(ulong.MaxValue).Value);
        var u64 = F("uint64");
        Assert.Equal(ExactValue.FromInteger(BigInteger.Parse("18446744073709551615")), u64.Decode(ulong.MaxValue).Value);
        var i40 = F("int40");
        Assert.Equal(ExactValue.FromInteger(-(1L << 39)), i40.Decode(1UL << 39).Value);
        Assert.Equal(ExactValue.FromInteger(-1), i40.Decode((1UL << 40) - 1).Value);
        Assert.Equal(ExactValue.FromInteger(5), i40.Decode((1UL << 40) | 5).Value);   // bits above the width are ignored
    }

    [Fact]
    public void EncodingRoundsToNearestEvenAndSaturates()
    {
        var i64 = F("int64");
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, i64.FromDouble(1e19));                 // beyond 2^63: saturates
        Assert.Equal(0x8000_0000_0000_0000UL, i64.FromDouble(-1e30));
        Assert.Equal(1UL << 62, i64.FromDouble(Math.ScaleB(1, 62)));
        Assert.Equal(0x7FFF_FFFF_FFFF_FFFFUL, i64.Encode(ExactValue.FromInteger(BigInteger.Pow(2, 64) - 1)));   // 2^64 − 1: Exp 63
        var u64 = F("uint64");
        Assert.Equal(ulong.MaxValue, u64.Encode(ExactValue.FromInteger(BigInteger.Pow(2, 64) - 1)));
        Assert.Equal(ulong.MaxValue - 2047, u64.FromDouble(Math.ScaleB(1, 64) - 2048));  // a double exactly
        // 2^64 − 1/2 rounds (ties to even) up to 2^64, one past uint64: saturates instead of wrapping to 0.
        Assert.Equal(ulong.MaxValue, u64.Encode(ExactValue.FromRational(BigInteger.Pow(2, 65) - 1, 2)));
        Assert.Equal(0UL, u64.FromDouble(-3));
        var i48 = F("int48");
        Assert.Equal((4UL, 6UL), (i48.FromDouble(4.5), i48.FromDouble(5.5)));   // ties to even
        Assert.Equal((1UL << 48) - 6, i48.FromDouble(-5.5));
        Assert.Equal((1UL << 47) - 1, i48.FromDouble(1e15));
    }
}
