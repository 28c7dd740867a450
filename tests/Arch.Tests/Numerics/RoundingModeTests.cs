using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

public class RoundingModeTests
{
    private static ScalarFormat F(string name) => (ScalarFormat)NumberFormat.Parse(name);

    [Theory]
    // fp8e4m3 around 1: neighbours 1 (0x38) and 1.125 (0x39)
    [InlineData("fp8e4m3", 1.05, "rne", 0x38)]
    [InlineData("fp8e4m3", 1.1, "rne", 0x39)]
    [InlineData("fp8e4m3", 1.1, "rtz", 0x38)]
    [InlineData("fp8e4m3", 1.01, "rup", 0x39)]
    [InlineData("fp8e4m3", 1.1, "rdn", 0x38)]
    [InlineData("fp8e4m3", -1.1, "rtz", 0xB8)]
    [InlineData("fp8e4m3", -1.01, "rup", 0xB8)]
    [InlineData("fp8e4m3", -1.01, "rdn", 0xB9)]
    // fp8e5m2 overflow by mode: max 57344 (0x7B), inf 0x7C
    [InlineData("fp8e5m2", 60000.0, "rtz", 0x7B)]
    [InlineData("fp8e5m2", 60000.0, "rup", 0x7C)]
    [InlineData("fp8e5m2", 60000.0, "rdn", 0x7B)]
    [InlineData("fp8e5m2", -60000.0, "rup", 0xFB)]
    [InlineData("fp8e5m2", -60000.0, "rdn", 0xFC)]
    // tiny values: rup gives the smallest subnormal, rtz/rdn give zero
    [InlineData("fp16", 1e-30, "rup", 0x0001)]
    [InlineData("fp16", 1e-30, "rtz", 0x0000)]
    [InlineData("fp16", -1e-30, "rdn", 0x8001)]
    [InlineData("fp16", -1e-30, "rup", 0x8000)]
    // posits: directed rounding on the pattern, never to 0 or NaR
    [InlineData("posit8es0", 1.01, "rup", 0x41)]
    [InlineData("posit8es0", 1.01, "rtz", 0x40)]
    [InlineData("posit8es0", -1.01, "rdn", 0xBF)]
    [InlineData("posit8es0", 1e-9, "rtz", 0x01)]
    [InlineData("posit8es0", 1e9, "rup", 0x7F)]
    // integers
    [InlineData("int8", 2.5, "rne", 0x02)]
    [InlineData("int8", 3.5, "rne", 0x04)]
    [InlineData("int8", -2.5, "rtz", 0xFE)]
    [InlineData("int8", -2.5, "rdn", 0xFD)]
    [InlineData("int8", 2.1, "rup", 0x03)]
    [InlineData("uint4", -3.0, "rne", 0x0)]
    [InlineData("ternary", 0.7, "rne", 0x1)]
    [InlineData("ternary", -5.0, "rne", 0x3)]
    public void DirectedModes(string format, double x, string mode, ulong expected) =>
        Assert.Equal(expected, F(format).FromDouble(x, RoundingModes.Parse(mode)));

    [Fact]
    public void Posit4Es1RoundsOnTheBitPatternNotTheValue()
    {
        var f = F("posit4es1");
        // Between 4 (0110) and 16 (0111) the pattern midpoint 01101 is 8, not the arithmetic midpoint 10.
        Assert.Equal(0x7UL, f.FromDouble(9.0));
        Assert.Equal(0x6UL, f.FromDouble(7.9));
        Assert.Equal(0x6UL, f.FromDouble(8.0));    // tie → even pattern 0110
        Assert.Equal(0x1UL, f.FromDouble(0.1));    // 1/16 (0001) vs 1/4 (0010): midpoint 1/8
        Assert.Equal(0x2UL, f.FromDouble(0.13));
    }

    [Theory]
    [InlineData("fp8e4m3", 1.03)]
    [InlineData("posit8es0", 2.3)]
    [InlineData("fp16", 1.0001)]
    [InlineData("int8", -7.3)]
    [InlineData("fp4e2m1", 4.4)]
    public void StochasticRoundingIsUnbiasedAndPicksANeighbour(string format, double x)
    {
        var f = F(format);
        ulong down = f.FromDouble(x, RoundingMode.Rdn), up = f.FromDouble(x, RoundingMode.Rup);
        double lo = f.ToDouble(down), hi = f.ToDouble(up);
        Assert.True(lo < x && x < hi);
        var rng = new Random(42);
        const int n = 40_000;
        double sum = 0;
        int ups = 0;
        for (int i = 0; i < n; i++)
        {
            ulong c = f.FromDouble(x, RoundingMode.Sr, rng: rng);
            Assert.True(c == down || c == up, $"{c:x} is neither {down:x} nor {up:x}");
            if (c == up) ups++;
            sum += f.ToDouble(c);
        }
        double p = (x - lo) / (hi - lo);
        double sigma = Math.Sqrt(p * (1 - p) / n);
        Assert.InRange((double)ups / n, p - 5 * sigma, p + 5 * sigma);
        Assert.InRange(sum / n, x - 5 * sigma * (hi - lo), x + 5 * sigma * (hi - lo));
    }

    [Fact]
    public void StochasticRoundingIsReproducibleWithASeed()
    {
        var f = F("fp8e4m3");
        ulong[] Run() { var r = new Random(5); return Enumerable.Range(0, 64).Select(_ => f.FromDouble(1.03, RoundingMode.Sr, rng: r)).ToArray(); }
        Assert.Equal(Run(), Run());
        Assert.Equal(0x38UL, f.FromDouble(1.0, RoundingMode.Sr, rng: new Random(1))); // exact values never move
    }

    [Fact]
    public void StochasticArithmeticPicksANeighbourOfTheExactResult()
    {
        var f = F("fp8e4m3");
        var rng = new Random(3);
        for (ulong a = 0; a < 256; a += 3)
            for (ulong b = 0; b < 256; b += 5)
            {
                ulong sr = FormatArithmetic.Add(f, a, b, RoundingMode.Sr, rng: rng);
                ulong dn = FormatArithmetic.Add(f, a, b, RoundingMode.Rdn), upc = FormatArithmetic.Add(f, a, b, RoundingMode.Rup);
                bool nan = f.Decode(dn).Class == NumberClass.NaN;
                Assert.True(nan ? f.Decode(sr).Class == NumberClass.NaN : sr == dn || sr == upc || f.ToDouble(sr) == f.ToDouble(dn) || f.ToDouble(sr) == f.ToDouble(upc),
                    $"add {a:x} {b:x}: sr {sr:x} not in [{dn:x}, {upc:x}]");
            }
    }

    [Fact]
    public void Fp32ArithmeticMatchesHardwareFloat()
    {
        var f = F("fp32");
        var rng = new Random(21);
        for (int i = 0; i < 50_000; i++)
        {
            uint a = (uint)rng.NextInt64(), b = (uint)rng.NextInt64(), c = (uint)rng.NextInt64();
            if (i % 2 == 0) b = (b & 0x807FFFFF) | (a & 0x7F800000); // similar exponents: cancellation
            float fa = BitConverter.UInt32BitsToSingle(a), fb = BitConverter.UInt32BitsToSingle(b), fc = BitConverter.UInt32BitsToSingle(c);
            Check(fa + fb, FormatArithmetic.Add(f, a, b));
            Check(fa - fb, FormatArithmetic.Sub(f, a, b));
            Check(fa * fb, FormatArithmetic.Mul(f, a, b));
            Check(fa / fb, FormatArithmetic.Div(f, a, b));
            Check(MathF.FusedMultiplyAdd(fa, fb, fc), FormatArithmetic.Fma(f, a, b, c));
        }

        static void Check(float expected, ulong actual)
        {
            if (float.IsNaN(expected)) Assert.True(float.IsNaN(BitConverter.UInt32BitsToSingle((uint)actual)));
            else Assert.Equal(BitConverter.SingleToUInt32Bits(expected), (uint)actual);
        }
    }

    [Fact]
    public void ExactZeroSumsAreNegativeOnlyWhenRoundingDown()
    {
        var f = F("fp16");
        Assert.Equal(0x0000UL, FormatArithmetic.Sub(f, 0x3C00, 0x3C00));
        Assert.Equal(0x8000UL, FormatArithmetic.Sub(f, 0x3C00, 0x3C00, RoundingMode.Rdn));
        Assert.Equal(0x8000UL, FormatArithmetic.Add(f, 0x8000, 0x8000));
        Assert.Equal(0x0000UL, FormatArithmetic.Add(f, 0x8000, 0x0000));
    }
}
