using System.Globalization;
using Mantissa.Explorer.Text;

namespace Mantissa.Explorer.Tests;

/// <summary>
/// <see cref="RoundTripDouble"/> against .NET's own <c>ToString("R", InvariantCulture)</c>: the same characters for edge
/// doubles (signed zeros, subnormals, powers of two and ten, the boundaries of the exponent notation, integers) and for
/// millions of random bit patterns and decimal-looking values (more with MANTISSA_ROUNDTRIP_DOUBLES).
/// </summary>
public class RoundTripDoubleTests
{
    private static string Expected(double v) => v.ToString("R", CultureInfo.InvariantCulture);

    private static string Actual(double v)
    {
        Span<char> buffer = stackalloc char[RoundTripDouble.MaxLength];
        Assert.True(RoundTripDouble.TryWrite(v, buffer, out int n));
        return new string(buffer[..n]);
    }

    // compares without making strings, so millions of values run in about a second
    private static void Check(double v, Span<char> mine, Span<char> net)
    {
        RoundTripDouble.TryWrite(v, mine, out int a);
        v.TryFormat(net, out int b, "R", CultureInfo.InvariantCulture);
        if (!mine[..a].SequenceEqual(net[..b]))
            Assert.Fail($"bits 0x{BitConverter.DoubleToUInt64Bits(v):X16}: wrote {new string(mine[..a])}, .NET writes {new string(net[..b])}");
    }

    public static TheoryData<double, string> KnownTexts => new()
    {
        { 0.0, "0" }, { -0.0, "-0" }, { 1e15, "1000000000000000" }, { 1e16, "10000000000000000" }, { 1e17, "1E+17" },
        { 123456789012345680, "1.2345678901234568E+17" }, { 12345678901234568, "12345678901234568" },
        { 1234567890123456, "1234567890123456" }, { 0.0001, "0.0001" }, { 0.00001, "1E-05" }, { 1.5e-5, "1.5E-05" },
        { double.Epsilon, "5E-324" }, { double.MaxValue, "1.7976931348623157E+308" }, { 0.1 + 0.2, "0.30000000000000004" },
        { 167920, "167920" }, { -2.5, "-2.5" }, { 1.1715358566741956E-06, "1.1715358566741956E-06" },
        { double.PositiveInfinity, "Infinity" }, { double.NaN, "NaN" }, { Math.ScaleB(1, -25), "2.980232238769531E-08" },
    };

    [Theory]
    [MemberData(nameof(KnownTexts))]
    public void WritesTheTextDotNetWrites(double value, string text)
    {
        Assert.Equal(text, Expected(value)); // the expectation is .NET's own text
        Assert.Equal(text, Actual(value));
    }

    [Fact]
    public void EdgeDoublesMatchDotNet()
    {
        Span<char> mine = stackalloc char[64], net = stackalloc char[64];
        foreach (double sign in new[] { 1.0, -1.0 })
        {
            for (int e = -1074; e <= 1023; e++)
            {
                double p = Math.ScaleB(1.0, e);
                Check(sign * p, mine, net);
                Check(sign * BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(p) + 1), mine, net);
                Check(sign * BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(p) - 1), mine, net);
            }
            for (int e = -325; e <= 308; e++)
            {
                double p = double.Parse($"1e{e}", CultureInfo.InvariantCulture);
                foreach (double m in new[] { 1, 1.5, 9.999999999999999, 2.5, 5, 9.5 })
                {
                    double v = sign * m * p;
                    Check(v, mine, net);
                    Check(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(v) + 1), mine, net);
                    Check(BitConverter.Int64BitsToDouble(BitConverter.DoubleToInt64Bits(v) - 1), mine, net);
                }
            }
            for (long i = 0; i < 100_000; i++) Check(sign * i, mine, net);
            for (long i = 1; i < 1L << 62; i = i * 3 + 1) Check(sign * i, mine, net);
            for (ulong m = 0; m < 5000; m++)
            {
                Check(sign * BitConverter.UInt64BitsToDouble(m), mine, net);                       // subnormals
                Check(sign * BitConverter.UInt64BitsToDouble(0x0010_0000_0000_0000UL - m), mine, net); // around the smallest normal
                Check(sign * BitConverter.UInt64BitsToDouble(0x7FEF_FFFF_FFFF_FFFFUL - m), mine, net); // up to the largest
            }
        }
    }

    // MANTISSA_ROUNDTRIP_DOUBLES=N (and MANTISSA_ROUNDTRIP_SEED) runs a longer check than the 3 million of every run
    [Fact]
    public void RandomDoublesMatchDotNet() => Random(
        int.TryParse(Environment.GetEnvironmentVariable("MANTISSA_ROUNDTRIP_SEED"), out int seed) ? seed : 20261203,
        int.TryParse(Environment.GetEnvironmentVariable("MANTISSA_ROUNDTRIP_DOUBLES"), out int count) ? count : 3_000_000);

    private static void Random(int seed, int count)
    {
        var rng = new Random(seed);
        Span<char> mine = stackalloc char[64], net = stackalloc char[64];
        for (int i = 0; i < count; i++)
        {
            Check(BitConverter.Int64BitsToDouble(rng.NextInt64(long.MinValue, long.MaxValue)), mine, net); // any bit pattern
            if (i % 4 == 0)
            {
                // decimal-looking values (results such as 0.001679199375) and values of sweep-like magnitude
                Check(rng.NextInt64(1, 10_000_000_000_000_000) * Math.Pow(10, rng.Next(-30, 10)), mine, net);
                Check(rng.NextDouble() * Math.Pow(2, rng.Next(-80, 80)), mine, net);
            }
        }
    }
}
