using Mantissa.Arch.Config;
using Mantissa.Arch.Numerics;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary><c>pe.accumulator</c> takes integer formats up to int64; wider, empty or overflowing widths are reported at the value.</summary>
public class WideAccumulatorKeyTests
{
    [Theory]
    [InlineData("int48", 48)]
    [InlineData("int64", 64)]
    public void WideIntegerAccumulatorsBind(string acc, int bits)
    {
        var pe = ArchitectureLoader.LoadText(WithLine(11, "  accumulator: " + acc), "t.yaml").Pe;
        Assert.Equal(new IntFormat(bits, true), pe.Accumulator);
    }

    [Theory]
    [InlineData("int65", "int width must be 2..64")]
    [InlineData("int0", "int width must be 2..64")]
    [InlineData("uint65", "uint width must be 1..64")]
    [InlineData("int99999999999", "int width must be 2..64")]
    [InlineData("fp99999999999e4m3", "N must equal 1+E+M, here 1+4+3=8")]
    [InlineData("fp8e2147483647m2147483647", "N must equal 1+E+M, here 1+2147483647+2147483647=4294967295")]
    [InlineData("posit8es99999999999", "posit es must be 0..4")]
    public void TooWideOrEmptyIntegersAreReportedAtTheAccumulator(string acc, string fragment)
    {
        var d = Assert.Single(Problems(WithLine(11, "  accumulator: " + acc)));
        Assert.Equal(("t.yaml", 11, "pe.accumulator"), (d.File, d.Line, d.KeyPath));
        Assert.Contains($"unknown number format '{acc}' ({fragment})", d.Message);
        Assert.Contains("int2..int64, uint1..uint64", d.Message);
    }
}
