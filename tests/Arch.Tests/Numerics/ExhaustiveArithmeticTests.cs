using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>Production arithmetic against the independent <see cref="Oracle"/>: every operand pair of each ≤ 8-bit format.</summary>
public class ExhaustiveArithmeticTests
{
    public static TheoryData<string> SmallFormats => new()
    {
        "posit8es0", "posit4es1", "fp8e4m3", "fp8e5m2", "fp6e2m3", "fp6e3m2", "fp4e2m1", "int8",
        "flint4", "uflint4", "pot4", "abfloat4", "flint8", "pot6",
    };

    internal static void AssertSame(ScalarFormat f, ulong? expected, ulong actual, Func<string> what)
    {
        if (expected is null)
        {
            if (f.Decode(actual).Class != NumberClass.NaN) Assert.Fail($"{what()}: expected NaN, got {actual:x}");
            return;
        }
        if (expected.Value != actual) Assert.Fail($"{what()}: expected {expected.Value:x}, got {actual:x}");
    }

    private static void CheckAllPairs(string name, OMode om, RoundingMode rm)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var o = new Oracle(name);
        int n = 1 << f.Bits;
        for (ulong a = 0; a < (ulong)n; a++)
        {
            var va = o.Decode(a);
            for (ulong b = 0; b < (ulong)n; b++)
            {
                var vb = o.Decode(b);
                AssertSame(f, o.Round(o.Add(va, vb, om), om), FormatArithmetic.Add(f, a, b, rm), () => $"{name} {rm} add {a:x} {b:x}");
                AssertSame(f, o.Round(o.Sub(va, vb, om), om), FormatArithmetic.Sub(f, a, b, rm), () => $"{name} {rm} sub {a:x} {b:x}");
                AssertSame(f, o.Round(o.Mul(va, vb), om), FormatArithmetic.Mul(f, a, b, rm), () => $"{name} {rm} mul {a:x} {b:x}");
                AssertSame(f, o.Round(o.Div(va, vb), om), FormatArithmetic.Div(f, a, b, rm), () => $"{name} {rm} div {a:x} {b:x}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(SmallFormats))]
    public void AllPairsRoundToNearestEven(string name) => CheckAllPairs(name, OMode.Rne, RoundingMode.Rne);

    [Theory]
    [InlineData("fp8e4m3")]
    [InlineData("fp8e5m2")]
    [InlineData("posit8es0")]
    [InlineData("fp6e3m2")]
    [InlineData("fp4e2m1")]
    [InlineData("int8")]
    [InlineData("flint4")]
    [InlineData("uflint8")]
    [InlineData("abfloat8")]
    public void AllPairsDirectedRounding(string name)
    {
        CheckAllPairs(name, OMode.Rtz, RoundingMode.Rtz);
        CheckAllPairs(name, OMode.Rup, RoundingMode.Rup);
        CheckAllPairs(name, OMode.Rdn, RoundingMode.Rdn);
    }

    [Theory]
    [InlineData("fp8e4m3")]
    [InlineData("fp8e5m2")]
    [InlineData("fp6e2m3")]
    public void SaturatingAddAndMul(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var o = new Oracle(name);
        int n = 1 << f.Bits;
        for (ulong a = 0; a < (ulong)n; a++)
            for (ulong b = 0; b < (ulong)n; b++)
            {
                AssertSame(f, o.Round(o.Add(o.Decode(a), o.Decode(b), OMode.Rne), OMode.Rne, saturate: true),
                    FormatArithmetic.Add(f, a, b, RoundingMode.Rne, saturate: true), () => $"{name} sat add {a:x} {b:x}");
                AssertSame(f, o.Round(o.Mul(o.Decode(a), o.Decode(b)), OMode.Rne, saturate: true),
                    FormatArithmetic.Mul(f, a, b, RoundingMode.Rne, saturate: true), () => $"{name} sat mul {a:x} {b:x}");
            }
    }

    [Theory]
    [InlineData("fp8e4m3", "posit8es0")]
    [InlineData("posit8es0", "fp8e5m2")]
    [InlineData("fp8e5m2", "fp4e2m1")]
    [InlineData("fp8e4m3", "int8")]
    [InlineData("fp16", "fp8e4m3")]
    [InlineData("bf16", "fp8e5m2")]
    [InlineData("posit16es1", "posit8es0")]
    [InlineData("fp16", "posit8es0")]
    public void ConversionOfEveryCode(string from, string to)
    {
        var ff = (ScalarFormat)NumberFormat.Parse(from);
        var ft = (ScalarFormat)NumberFormat.Parse(to);
        var src = new Oracle(from);
        var dst = new Oracle(to);
        foreach (var (om, rm) in new[] { (OMode.Rne, RoundingMode.Rne), (OMode.Rtz, RoundingMode.Rtz), (OMode.Rup, RoundingMode.Rup), (OMode.Rdn, RoundingMode.Rdn) })
            for (ulong c = 0; c < (1UL << ff.Bits); c++)
                AssertSame(ft, dst.Round(src.Decode(c), om), FormatArithmetic.Convert(ff, ft, c, rm), () => $"{from}->{to} {rm} {c:x}");
    }
}
