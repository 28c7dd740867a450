using System.Numerics;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

public class AccumulatorAndExactValueTests
{
    private static ScalarFormat F(string name) => (ScalarFormat)NumberFormat.Parse(name);

    [Fact]
    public void DotProductIsExactWithOneRounding()
    {
        var f8 = F("fp8e4m3");
        var o = new Oracle("fp8e4m3");
        var out16 = new Oracle("fp16");
        var rng = new Random(9);
        var acc = new ExactAccumulator();
        for (int trial = 0; trial < 300; trial++)
        {
            acc.Clear();
            var sum = Q.Int(0);
            bool nan = false;
            for (int k = 0; k < 64; k++)
            {
                ulong a = (ulong)rng.Next(256), b = (ulong)rng.Next(256);
                if ((a & 0x7F) == 0x7F || (b & 0x7F) == 0x7F) { a &= 0x3F; b &= 0x3F; }
                acc.AddProduct(f8, a, f8, b);
                var p = o.Mul(o.Decode(a), o.Decode(b));
                nan |= p.Kind == RKind.NaN;
                sum += p.Value;
            }
            Assert.False(nan);
            ulong expected = out16.Round(RVal.Of(sum), OMode.Rne)!.Value;
            Assert.Equal(expected, acc.Round(F("fp16")));
        }
    }

    [Fact]
    public void QuireKeepsTinyTermsThatCancellationReveals()
    {
        var f = F("fp32");
        var acc = new ExactAccumulator();
        ulong big = f.FromDouble(1e30), one = f.FromDouble(1.0), tiny = f.FromDouble(1e-40);
        acc.AddProduct(f, big, f, big);              // 1e60
        acc.Add(f, one);
        acc.AddProduct(f, big, f, f.FromDouble(-1e30)); // −1e60 (bit-identical magnitude)
        acc.Add(f, tiny);
        var v = acc.Value;
        Assert.Equal(ExactValue.FromDouble(1.0) + ExactValue.FromDouble(f.ToDouble(tiny)), v);
        Assert.Equal(one, acc.Round(f));
        acc.Add(double.NaN);
        Assert.True(acc.Value.IsNaN);
    }

    [Fact]
    public void PositQuireMatchesExactSum()
    {
        var p = F("posit16es1");
        var rng = new Random(4);
        var acc = new ExactAccumulator();
        var exact = ExactValue.Zero;
        for (int k = 0; k < 500; k++)
        {
            ulong a = (ulong)rng.Next(1 << 16), b = (ulong)rng.Next(1 << 16);
            if (a == 0x8000 || b == 0x8000) continue;
            acc.AddProduct(p, a, p, b);
            exact += p.Decode(a).Value * p.Decode(b).Value;
        }
        Assert.Equal(exact, acc.Value);
        Assert.Equal(p.Encode(exact), acc.Round(p));
    }

    [Theory]
    [InlineData("0.1", "1/10", "0.1")]
    [InlineData("-3/8", "-3/8", "-0.375")]
    [InlineData("1.5e3", "1500", "1500")]
    [InlineData("0x1.8p-3", "3/16", "0.1875")]
    [InlineData("-0", "-0", "-0")]
    [InlineData("inf", "inf", "inf")]
    [InlineData("1/3", "1/3", "0.333333333333333333333333333333333333333333333333333333333333...")]
    public void ParsesAndPrintsExactly(string text, string fraction, string dec)
    {
        var v = ExactValue.Parse(text);
        Assert.Equal(fraction, v.ToFractionString());
        Assert.Equal(dec, v.ToDecimalString());
    }

    [Fact]
    public void DecimalEncodingIsExact()
    {
        // 0.1 is not a double; encoding from the exact decimal must still round correctly.
        var f = F("fp32");
        Assert.Equal(BitConverter.SingleToUInt32Bits(0.1f), (uint)f.Encode(ExactValue.Parse("0.1")));
        // A decimal just above an fp16 tie rounds up even though the nearest double is the tie itself.
        var h = F("fp16");
        var tie = ExactValue.FromDouble(1.0) + ExactValue.FromDyadic(false, BigInteger.One, -11);
        Assert.Equal(0x3C00UL, h.Encode(tie));
        Assert.Equal(0x3C01UL, h.Encode(tie + ExactValue.Parse("1e-30")));
        Assert.Equal(0x3C00UL, h.FromDouble(1.0 + Math.ScaleB(1, -11) + 1e-30));
        Assert.Throws<MantissaException>(() => ExactValue.Parse("1.2.3"));
    }

    [Fact]
    public void ToDoubleRoundsExactValuesCorrectly()
    {
        Assert.Equal(0.1, ExactValue.Parse("0.1").ToDouble());
        Assert.Equal(1.0 / 3, ExactValue.Parse("1/3").ToDouble());
        Assert.Equal(double.PositiveInfinity, ExactValue.Parse("1e400").ToDouble());
        Assert.Equal(double.Epsilon, ExactValue.Parse("5e-324").ToDouble());
    }

    [Theory]
    [InlineData("posit32es2", 0x40000000UL, 1.0)]
    [InlineData("posit32es2", 0x7FFFFFFFUL, 1.329227995784916e36)]   // maxpos 2^120
    [InlineData("posit32es2", 0x00000001UL, 7.52316384526264e-37)]   // minpos 2^-120
    [InlineData("posit32es2", 0x48000000UL, 2.0)]                    // regime 10, exponent 01
    [InlineData("posit32es2", 0x50000000UL, 4.0)]
    [InlineData("posit8es2", 0x7FUL, 16777216.0)]                    // 2^24
    [InlineData("fp12e5m6", 0x3C0UL, 1.0)]
    public void WidePositsAndGenericFloats(string format, ulong code, double value)
    {
        Assert.Equal(value, F(format).ToDouble(code));
        Assert.Equal(code, F(format).FromDouble(value));
    }
}
