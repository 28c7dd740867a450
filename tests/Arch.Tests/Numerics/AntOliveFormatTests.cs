using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>ANT flint/pot and OliVe abfloat codecs against the independent <see cref="Oracle"/>, exhaustively.</summary>
public class AntOliveFormatTests
{
    public static TheoryData<string> AllWidths()
    {
        var d = new TheoryData<string>();
        for (int n = 3; n <= 8; n++) d.Add($"flint{n}");
        for (int n = 2; n <= 8; n++) { d.Add($"uflint{n}"); d.Add($"pot{n}"); d.Add($"upot{n}"); }
        for (int n = 4; n <= 8; n++) d.Add($"abfloat{n}");
        return d;
    }

    private static double[] PositiveValues(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var set = new SortedSet<double>();
        for (ulong c = 0; c < 1UL << f.Bits; c++) if (f.ToDouble(c) > 0) set.Add(f.ToDouble(c));
        return set.ToArray();
    }

    [Fact]
    public void Flint4IsTheAntPaperSet() => Assert.Equal(new double[] { 1, 2, 3, 4, 6, 8, 16 }, PositiveValues("flint4"));

    [Fact]
    public void UnsignedFlint4() =>
        Assert.Equal(new double[] { 1, 2, 3, 4, 5, 6, 7, 8, 10, 12, 14, 16, 24, 32, 64 }, PositiveValues("uflint4"));

    [Fact]
    public void Pot4() => Assert.Equal(new double[] { 1, 2, 4, 8, 16, 32, 64 }, PositiveValues("pot4"));

    [Fact]
    public void AbFloat4SitsAboveInt4() => Assert.Equal(new double[] { 12, 16, 24, 32, 48, 64, 96 }, PositiveValues("abfloat4"));

    [Fact]
    public void FlintCodesAreIntegersInTheLowerHalf()
    {
        var f = (ScalarFormat)NumberFormat.Parse("uflint8");
        for (ulong c = 0; c < 128; c++) Assert.Equal((double)c, f.ToDouble(c));
        Assert.Equal(Math.Pow(2, 14), f.ToDouble(0xFF));
        Assert.Equal(128, f.ToDouble(0x80));
    }

    [Theory]
    [MemberData(nameof(AllWidths))]
    public void EveryCodeDecodesAsTheReferenceGrid(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var o = new Oracle(name);
        for (ulong c = 0; c < 1UL << f.Bits; c++)
        {
            var want = o.Decode(c);
            var got = f.Decode(c).Value;
            Assert.True(got.IsFinite, $"{name} {c:x}");
            Assert.Equal(want.Value.ToDouble(), got.ToDouble());
            Assert.Equal(want.SignBit, got.Negative);
            Assert.Equal(c, f.Encode(got));
        }
    }

    [Theory]
    [InlineData("flint3")] [InlineData("flint4")] [InlineData("flint8")] [InlineData("uflint2")] [InlineData("uflint4")]
    [InlineData("uflint8")] [InlineData("pot4")] [InlineData("pot8")] [InlineData("upot4")] [InlineData("upot8")]
    [InlineData("abfloat4")] [InlineData("abfloat8")]
    public void EveryFp16CodeRoundsOnceInEveryMode(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var src = new Oracle("fp16");
        var dst = new Oracle(name);
        var from = (ScalarFormat)NumberFormat.Parse("fp16");
        foreach (var (om, rm) in new[] { (OMode.Rne, RoundingMode.Rne), (OMode.Rtz, RoundingMode.Rtz), (OMode.Rup, RoundingMode.Rup), (OMode.Rdn, RoundingMode.Rdn) })
            for (ulong c = 0; c < 1UL << 16; c++)
                ExhaustiveArithmeticTests.AssertSame(f, dst.Round(src.Decode(c), om), FormatArithmetic.Convert(from, f, c, rm), () => $"fp16->{name} {rm} {c:x}");
    }

    [Fact]
    public void TiesGoToTheEvenCode()
    {
        var f = (ScalarFormat)NumberFormat.Parse("flint4");
        Assert.Equal(8.0, f.ToDouble(f.FromDouble(7)));   // 6 (code 101) vs 8 (code 110): even code
        Assert.Equal(8.0, f.ToDouble(f.FromDouble(12)));  // 8 (110) vs 16 (111): even code
        Assert.Equal(16.0, f.ToDouble(f.FromDouble(12.001)));
    }

    [Fact]
    public void StochasticRoundingPicksOnlyNeighboursAtTheRightRate()
    {
        var f = (ScalarFormat)NumberFormat.Parse("flint4");
        var rng = new Random(1);
        int up = 0, n = 20000;
        for (int i = 0; i < n; i++)
        {
            double v = f.ToDouble(f.FromDouble(7, RoundingMode.Sr, rng: rng));
            Assert.True(v is 6 or 8);
            if (v == 8) up++;
        }
        Assert.InRange(up / (double)n, 0.48, 0.52);
    }

    [Fact]
    public void NamesOutsideTheirRangesAreRejected()
    {
        Assert.False(NumberFormat.TryParse("flint2", out _, out var e1));
        Assert.Contains("flint width must be 3..8", e1);
        Assert.False(NumberFormat.TryParse("abfloat3", out _, out var e2));
        Assert.Contains("abfloat width must be 4..8", e2);
        Assert.False(NumberFormat.TryParse("upot9", out _, out _));
    }
}
