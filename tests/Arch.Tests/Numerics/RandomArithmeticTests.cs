using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>16-bit formats against the oracle on seeded random operands and on every pair of special values.</summary>
public class RandomArithmeticTests
{
    private static readonly Dictionary<string, Oracle> Oracles = new();

    private static Oracle OracleFor(string name)
    {
        lock (Oracles)
        {
            if (!Oracles.TryGetValue(name, out var o)) Oracles[name] = o = new Oracle(name);
            return o;
        }
    }

    private static ScalarFormat F(string name) => (ScalarFormat)NumberFormat.Parse(name);

    private static readonly (OMode, RoundingMode)[] Modes =
        { (OMode.Rne, RoundingMode.Rne), (OMode.Rtz, RoundingMode.Rtz), (OMode.Rup, RoundingMode.Rup), (OMode.Rdn, RoundingMode.Rdn) };

    [Theory]
    [InlineData("fp16", 1)]
    [InlineData("bf16", 2)]
    [InlineData("posit16es1", 3)]
    public void RandomPairsAddSubMul(string name, int seed)
    {
        var f = F(name);
        var o = OracleFor(name);
        var rng = new Random(seed);
        const int pairs = 200_000;
        for (int i = 0; i < pairs; i++)
        {
            ulong a = (ulong)rng.Next(1 << 16), b = (ulong)rng.Next(1 << 16);
            // Mostly nearest-even; every fourth pair uses a directed mode.
            var (om, rm) = i % 4 == 0 ? Modes[rng.Next(4)] : Modes[0];
            var va = o.Decode(a); var vb = o.Decode(b);
            ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Add(va, vb, om), om), FormatArithmetic.Add(f, a, b, rm), () => $"{name} {rm} add {a:x} {b:x}");
            ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Sub(va, vb, om), om), FormatArithmetic.Sub(f, a, b, rm), () => $"{name} {rm} sub {a:x} {b:x}");
            ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Mul(va, vb), om), FormatArithmetic.Mul(f, a, b, rm), () => $"{name} {rm} mul {a:x} {b:x}");
            if (i % 8 == 0)
                ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Div(va, vb), om), FormatArithmetic.Div(f, a, b, rm), () => $"{name} {rm} div {a:x} {b:x}");
        }
    }

    public static IEnumerable<ulong> Specials(string name) => name switch
    {
        "fp16" => new ulong[] { 0x0000, 0x8000, 0x7C00, 0xFC00, 0x7E00, 0xFE01, 0x7BFF, 0xFBFF, 0x0001, 0x8001, 0x03FF, 0x0400, 0x8400, 0x3C00, 0xBC00, 0x3C01, 0x7800, 0x0200 },
        "bf16" => new ulong[] { 0x0000, 0x8000, 0x7F80, 0xFF80, 0x7FC0, 0x7F7F, 0xFF7F, 0x0001, 0x8001, 0x007F, 0x0080, 0x3F80, 0xBF80, 0x3F81, 0x7F00 },
        _ => new ulong[] { 0x0000, 0x8000, 0x7FFF, 0x8001, 0x0001, 0xFFFF, 0x4000, 0xC000, 0x4001, 0x7FFE, 0x0002, 0x3FFF },
    };

    [Theory]
    [InlineData("fp16")]
    [InlineData("bf16")]
    [InlineData("posit16es1")]
    public void AllSpecialValuePairs(string name)
    {
        var f = F(name);
        var o = OracleFor(name);
        var sp = Specials(name).ToArray();
        foreach (var (om, rm) in Modes)
            foreach (ulong a in sp)
                foreach (ulong b in sp)
                {
                    var va = o.Decode(a); var vb = o.Decode(b);
                    ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Add(va, vb, om), om), FormatArithmetic.Add(f, a, b, rm), () => $"{name} {rm} add {a:x} {b:x}");
                    ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Sub(va, vb, om), om), FormatArithmetic.Sub(f, a, b, rm), () => $"{name} {rm} sub {a:x} {b:x}");
                    ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Mul(va, vb), om), FormatArithmetic.Mul(f, a, b, rm), () => $"{name} {rm} mul {a:x} {b:x}");
                    ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Div(va, vb), om), FormatArithmetic.Div(f, a, b, rm), () => $"{name} {rm} div {a:x} {b:x}");
                    foreach (ulong c in sp)
                        ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Fma(va, vb, o.Decode(c), om), om), FormatArithmetic.Fma(f, a, b, c, rm), () => $"{name} {rm} fma {a:x} {b:x} {c:x}");
                }
    }

    [Theory]
    [InlineData("fp16", 100_000, 11)]
    [InlineData("bf16", 40_000, 12)]
    [InlineData("posit16es1", 40_000, 13)]
    [InlineData("fp8e4m3", 40_000, 14)]
    [InlineData("posit8es0", 20_000, 15)]
    [InlineData("fp6e2m3", 20_000, 16)]
    public void RandomFmaTriples(string name, int count, int seed)
    {
        var f = F(name);
        var o = OracleFor(name);
        var rng = new Random(seed);
        int n = 1 << f.Bits;
        for (int i = 0; i < count; i++)
        {
            ulong a = (ulong)rng.Next(n), b = (ulong)rng.Next(n), c = (ulong)rng.Next(n);
            if (i % 3 == 0)
            {
                // Make c nearly cancel a·b so the single rounding matters.
                c = FormatArithmetic.Mul(f, a, b) ^ (f.Bits == 16 && name != "posit16es1" ? 0x8000UL : 0UL);
                if (name.StartsWith("posit")) c = (0 - FormatArithmetic.Mul(f, a, b)) & (ulong)(n - 1);
                else if (f.Bits == 8) c = FormatArithmetic.Mul(f, a, b) ^ 0x80;
                else if (f.Bits == 6) c = FormatArithmetic.Mul(f, a, b) ^ 0x20;
            }
            var (om, rm) = i % 5 == 0 ? Modes[rng.Next(4)] : Modes[0];
            ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Fma(o.Decode(a), o.Decode(b), o.Decode(c), om), om),
                FormatArithmetic.Fma(f, a, b, c, rm), () => $"{name} {rm} fma {a:x} {b:x} {c:x}");
        }
    }

    [Fact]
    public void Fp16AddAndMulMatchSystemHalf()
    {
        var f = F("fp16");
        var rng = new Random(7);
        for (int i = 0; i < 200_000; i++)
        {
            ushort a = (ushort)rng.Next(1 << 16), b = (ushort)rng.Next(1 << 16);
            double da = (double)BitConverter.UInt16BitsToHalf(a), db = (double)BitConverter.UInt16BitsToHalf(b);
            // double holds fp16 sums and products exactly, so one conversion to Half is the correctly rounded result.
            Half sum = (Half)(da + db), prod = (Half)(da * db);
            CheckHalf(sum, FormatArithmetic.Add(f, a, b), $"add {a:x} {b:x}");
            CheckHalf(prod, FormatArithmetic.Mul(f, a, b), $"mul {a:x} {b:x}");
        }
    }

    private static void CheckHalf(Half expected, ulong actual, string what)
    {
        if (Half.IsNaN(expected)) { Assert.True(Half.IsNaN(BitConverter.UInt16BitsToHalf((ushort)actual)), what); return; }
        Assert.True(BitConverter.HalfToUInt16Bits(expected) == actual, $"{what}: expected {BitConverter.HalfToUInt16Bits(expected):x}, got {actual:x}");
    }

    [Fact]
    public void Fp32FromDoubleMatchesTheCastToFloat()
    {
        var f = F("fp32");
        var rng = new Random(8);
        for (int i = 0; i < 100_000; i++)
        {
            double x = BitConverter.Int64BitsToDouble(rng.NextInt64());
            if (double.IsNaN(x)) continue;
            uint expected = BitConverter.SingleToUInt32Bits((float)x);
            Assert.Equal(expected, (uint)f.FromDouble(x));
            Assert.Equal((double)(float)x, f.ToDouble(expected));
        }
    }
}
