using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>Generic IEEE-style floats, other posit shapes and small integers against the oracle, plus the hot-path contract.</summary>
public class GenericFormatTests
{
    [Theory]
    [InlineData("fp7e3m3")]
    [InlineData("fp6e4m1")]
    [InlineData("fp5e2m2")]
    [InlineData("posit6es2")]
    [InlineData("posit7es3")]
    [InlineData("posit5es0")]
    [InlineData("int4")]
    [InlineData("uint4")]
    [InlineData("ternary")]
    public void AllPairsAllModes(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var o = new Oracle(name);
        foreach (var (om, rm) in new[] { (OMode.Rne, RoundingMode.Rne), (OMode.Rtz, RoundingMode.Rtz), (OMode.Rup, RoundingMode.Rup), (OMode.Rdn, RoundingMode.Rdn) })
            for (ulong a = 0; a < (1UL << f.Bits); a++)
                for (ulong b = 0; b < (1UL << f.Bits); b++)
                {
                    var va = o.Decode(a); var vb = o.Decode(b);
                    ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Add(va, vb, om), om), FormatArithmetic.Add(f, a, b, rm), () => $"{name} {rm} add {a:x} {b:x}");
                    ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Mul(va, vb), om), FormatArithmetic.Mul(f, a, b, rm), () => $"{name} {rm} mul {a:x} {b:x}");
                    ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Div(va, vb), om), FormatArithmetic.Div(f, a, b, rm), () => $"{name} {rm} div {a:x} {b:x}");
                    for (ulong c = 1; c < (1UL << f.Bits); c += (1UL << f.Bits) / 4)
                        ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Fma(va, vb, o.Decode(c), om), om), FormatArithmetic.Fma(f, a, b, c, rm), () => $"{name} {rm} fma {a:x} {b:x} {c:x}");
                }
    }

    [Theory]
    [InlineData("posit12es3", 31)]
    [InlineData("fp12e5m6", 32)]
    [InlineData("posit16es2", 33)]
    public void RandomPairsOfWiderShapes(string name, int seed)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var o = new Oracle(name);
        var rng = new Random(seed);
        for (int i = 0; i < 30_000; i++)
        {
            ulong a = (ulong)rng.Next(1 << f.Bits), b = (ulong)rng.Next(1 << f.Bits);
            var va = o.Decode(a); var vb = o.Decode(b);
            ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Add(va, vb, OMode.Rne), OMode.Rne), FormatArithmetic.Add(f, a, b), () => $"{name} add {a:x} {b:x}");
            ExhaustiveArithmeticTests.AssertSame(f, o.Round(o.Mul(va, vb), OMode.Rne), FormatArithmetic.Mul(f, a, b), () => $"{name} mul {a:x} {b:x}");
        }
    }

    private static double Sink;

    [Fact]
    public void ArithmeticOnNonzeroOperandsAllocatesNothing()
    {
        var formats = new[] { "fp8e4m3", "fp16", "bf16", "fp32", "posit16es1", "posit32es2", "int8" }
            .Select(n => (ScalarFormat)NumberFormat.Parse(n)).ToArray();
        var fp16 = (ScalarFormat)NumberFormat.Parse("fp16");
        foreach (var f in formats) { FormatArithmetic.Fma(f, 3, 5, 7); FormatArithmetic.Div(f, 3, 5); FormatArithmetic.Convert(f, fp16, 3); }
        long before = GC.GetAllocatedBytesForCurrentThread();
        ulong sink = 0;
        foreach (var f in formats)
            for (ulong k = 1; k < 60; k++)
            {
                // Operands of ordinary magnitude (subnormal fma products far below an addend may take the exact-rational path).
                ulong a = f.FromDouble(1.0) + k, b = f.FromDouble(-3.7) + 2 * k;
                sink += FormatArithmetic.Add(f, a, b) + FormatArithmetic.Sub(f, a, b) + FormatArithmetic.Mul(f, a, b)
                      + FormatArithmetic.Div(f, a, b) + FormatArithmetic.Fma(f, a, b, a + 2) + FormatArithmetic.Convert(f, fp16, a);
            }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Sink = sink;
    }

    [Fact]
    public void HotPathConversionsAllocateNothing()
    {
        var codecs = new[] { "fp8e4m3", "fp16", "bf16", "fp32", "posit16es1", "posit32es2", "int8", "e8m0" }
            .Select(n => ((ScalarFormat)NumberFormat.Parse(n)).Codec).ToArray();
        var rng = new Random(1);
        foreach (var c in codecs) { c.ToDouble(1); c.FromDouble(1.5); c.FromDouble(1.5, RoundingMode.Sr, rng: rng); }
        double Run()
        {
            double sink = 0;
            for (int i = 0; i < 10_000; i++)
                foreach (var c in codecs)
                {
                    ulong code = c.FromDouble(i * 0.37 - 1000, RoundingMode.Rne);
                    code ^= c.FromDouble(i * 1e-3, RoundingMode.Sr, rng: rng);
                    sink += c.ToDouble(code);
                }
            return sink;
        }
        // The first pass may be recompiled mid-loop (tiering, on-stack replacement), which can allocate runtime
        // objects on this thread under load; the steady state is what a hot loop sees, and it must allocate nothing.
        double sink = Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        sink += Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
        Sink = sink;
    }
}
