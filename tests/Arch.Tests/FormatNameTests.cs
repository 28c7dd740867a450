using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests;

public class FormatNameTests
{
    [Theory]
    [InlineData("int8", "int8", 8)]
    [InlineData("UINT1", "uint1", 1)]
    [InlineData("fp4e2m1", "fp4e2m1", 4)]
    [InlineData("FP16", "fp16", 16)]
    [InlineData("fp16e5m10", "fp16", 16)]
    [InlineData("bf16", "bf16", 16)]
    [InlineData("fp12e5m6", "fp12e5m6", 12)]
    [InlineData("posit8es0", "posit8es0", 8)]
    [InlineData("posit32es2", "posit32es2", 32)]
    [InlineData("mxfp4", "mxfp4", 4)]
    [InlineData("nvfp4", "nvfp4", 4)]
    [InlineData("ternary", "ternary", 2)]
    [InlineData("e8m0", "e8m0", 8)]
    [InlineData("int33", "int33", 33)]
    [InlineData("INT48", "int48", 48)]
    [InlineData("int64", "int64", 64)]
    [InlineData("uint64", "uint64", 64)]
    public void ParsesCanonicalNames(string input, string canonical, int bits)
    {
        var f = NumberFormat.Parse(input);
        Assert.Equal(canonical, f.Name);
        Assert.Equal(bits, f.Bits);
    }

    [Fact]
    public void OcpFormatsKeepTheirFlavor()
    {
        Assert.Equal(FloatFlavor.OcpE4M3, ((FloatFormat)NumberFormat.Parse("fp8e4m3")).Flavor);
        Assert.Equal(FloatFlavor.FiniteOnly, ((FloatFormat)NumberFormat.Parse("fp6e3m2")).Flavor);
        Assert.Equal(FloatFlavor.Ieee, ((FloatFormat)NumberFormat.Parse("fp8e5m2")).Flavor);
    }

    [Fact]
    public void BlockFormatsAmortiseTheirScale()
    {
        Assert.Equal(4.25, NumberFormat.Parse("mxfp4").BitsPerElement);
        Assert.Equal(4.5, NumberFormat.Parse("nvfp4").BitsPerElement);
        Assert.Equal(8.25, NumberFormat.Parse("mxint8").BitsPerElement);
    }

    [Theory]
    [InlineData("int1", "int width must be 2..64")]
    [InlineData("int0", "int width must be 2..64")]
    [InlineData("int65", "int width must be 2..64")]
    [InlineData("uint0", "uint width must be 1..64")]
    [InlineData("uint65", "uint width must be 1..64")]
    [InlineData("fp8e4m4", "N must equal 1+E+M")]
    [InlineData("posit8es5", "posit es must be 0..4")]
    [InlineData("posit1es0", "posit width must be 2..32")]
    [InlineData("float8", "valid formats:")]
    public void BadNamesExplainThemselves(string input, string fragment)
    {
        var e = Assert.Throws<MantissaException>(() => NumberFormat.Parse(input));
        Assert.Contains(fragment, e.Message);
        Assert.Contains(input, e.Message);
    }
}
