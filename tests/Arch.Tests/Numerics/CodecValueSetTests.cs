using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

public class CodecValueSetTests
{
    private static ScalarFormat F(string name) => (ScalarFormat)NumberFormat.Parse(name);

    private static double[] PositiveValues(string name)
    {
        var f = F(name);
        var set = new SortedSet<double>();
        for (ulong c = 0; c < (1UL << f.Bits); c++)
        {
            double v = f.ToDouble(c);
            if (v > 0 && !double.IsInfinity(v)) set.Add(v);
        }
        return set.ToArray();
    }

    [Fact]
    public void Fp16DecodesEveryCodeLikeSystemHalf()
    {
        var f = F("fp16");
        for (int c = 0; c < 65536; c++)
        {
            double expected = (double)BitConverter.UInt16BitsToHalf((ushort)c);
            var d = f.Decode((ulong)c);
            double got = f.ToDouble((ulong)c);
            if (double.IsNaN(expected)) { Assert.True(double.IsNaN(got)); Assert.Equal(NumberClass.NaN, d.Class); continue; }
            Assert.Equal(BitConverter.DoubleToInt64Bits(expected), BitConverter.DoubleToInt64Bits(got));
            Assert.Equal(expected, d.Value.ToDouble());
            if (!double.IsInfinity(expected))
                Assert.Equal((ulong)c, f.FromDouble(expected));
        }
    }

    [Fact]
    public void E2M1ValueSet() =>
        Assert.Equal(new[] { 0.5, 1, 1.5, 2, 3, 4, 6 }, PositiveValues("fp4e2m1"));

    [Fact]
    public void Posit4Es1ValueSet() =>
        Assert.Equal(new[] { 1 / 16.0, 0.25, 0.5, 1, 2, 4, 16 }, PositiveValues("posit4es1"));

    [Fact]
    public void Posit8Es0Has127PositiveValuesIn1Over64To64()
    {
        var v = PositiveValues("posit8es0");
        Assert.Equal(127, v.Length);
        Assert.Equal(1 / 64.0, v[0]);
        Assert.Equal(64.0, v[^1]);
        Assert.Equal(double.NaN, F("posit8es0").ToDouble(0x80));
    }

    [Fact]
    public void Posit16Es1RangeIs2ToTheMinus28To2To28()
    {
        var f = F("posit16es1");
        Assert.Equal(Math.ScaleB(1, 28), f.ToDouble(0x7FFF));
        Assert.Equal(Math.ScaleB(1, -28), f.ToDouble(0x0001));
        Assert.Equal(-Math.ScaleB(1, 28), f.ToDouble(0x8001));
        Assert.Equal(1.0, f.ToDouble(0x4000));
    }

    [Theory]
    [InlineData("fp8e4m3", 0x7E, 448.0)]
    [InlineData("fp8e4m3", 0x01, 0.001953125)]
    [InlineData("fp8e5m2", 0x7B, 57344.0)]
    [InlineData("fp6e2m3", 0x1F, 7.5)]
    [InlineData("fp6e3m2", 0x1F, 28.0)]
    [InlineData("bf16", 0x3F80, 1.0)]
    [InlineData("e8m0", 0x7F, 1.0)]
    [InlineData("e8m0", 0x00, 5.877471754111438e-39)]
    [InlineData("int8", 0x80, -128.0)]
    [InlineData("uint8", 0xFF, 255.0)]
    [InlineData("ternary", 0x3, -1.0)]
    public void KnownCodes(string format, ulong code, double value)
    {
        Assert.Equal(value, F(format).ToDouble(code));
        Assert.Equal(code, F(format).FromDouble(value));
    }

    [Theory]
    [InlineData("fp8e4m3", 0x7F)]
    [InlineData("fp8e4m3", 0xFF)]
    [InlineData("fp8e5m2", 0x7D)]
    [InlineData("e8m0", 0xFF)]
    [InlineData("ternary", 0x2)]
    public void NaNCodes(string format, ulong code) => Assert.Equal(NumberClass.NaN, F(format).Decode(code).Class);

    [Theory]
    [InlineData("fp8e4m3", 1000.0, false, 0x7F)]   // OCP E4M3 overflow → NaN
    [InlineData("fp8e4m3", 1000.0, true, 0x7E)]
    [InlineData("fp8e4m3", 464.0, false, 0x7E)]    // tie between 448 and 480 → even (448)
    [InlineData("fp8e4m3", 464.5, false, 0x7F)]
    [InlineData("fp8e5m2", 1e6, false, 0x7C)]      // → inf
    [InlineData("fp8e5m2", 1e6, true, 0x7B)]
    [InlineData("fp4e2m1", 100.0, false, 0x7)]     // finite-only saturates
    [InlineData("fp4e2m1", -0.2, false, 0x8)]      // → −0
    [InlineData("fp4e2m1", 0.25, false, 0x0)]      // tie 0 / 0.5 → even (0)
    [InlineData("fp4e2m1", 2.5, false, 0x4)]       // tie 2 / 3 → even (2)
    [InlineData("posit8es0", 1000.0, false, 0x7F)] // no overflow to NaR
    [InlineData("posit8es0", 1e-9, false, 0x01)]   // no underflow to zero
    [InlineData("posit8es0", -1e-9, false, 0xFF)]
    [InlineData("int8", 300.0, false, 0x7F)]
    [InlineData("int8", -2.5, false, 0xFE)]
    [InlineData("e8m0", 3.0, false, 0x80)]         // 3 = 1.5·2 tie → even code 0x80 (2)
    public void EncodesWithOverflowRules(string format, double x, bool saturate, ulong code) =>
        Assert.Equal(code, F(format).FromDouble(x, RoundingMode.Rne, saturate));
}
