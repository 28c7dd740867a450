using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>
/// 32-bit formats are too wide for the table oracle: their allocation-free UInt128 arithmetic is checked against
/// the exact-rational route (decode → ExactValue operation → encode), a separate code path, in every mode.
/// </summary>
public class WideFormatDifferentialTests
{
    [Theory]
    [InlineData("posit32es2", 41)]
    [InlineData("posit32es4", 42)]
    [InlineData("posit24es1", 43)]
    [InlineData("fp32", 44)]
    [InlineData("fp24e8m15", 45)]
    [InlineData("int32", 46)]
    [InlineData("uint32", 47)]
    public void FastPathsEqualExactRationals(string name, int seed)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        ulong mask = f.Codec.Mask;
        var rng = new Random(seed);
        var modes = new[] { RoundingMode.Rne, RoundingMode.Rtz, RoundingMode.Rup, RoundingMode.Rdn };
        for (int i = 0; i < 20_000; i++)
        {
            ulong a = (ulong)rng.NextInt64() & mask, b = (ulong)rng.NextInt64() & mask, c = (ulong)rng.NextInt64() & mask;
            if (i % 3 == 0) b = (a + (ulong)rng.Next(-50, 50)) & mask;   // near-cancellation
            var mode = modes[i % 4];
            var va = f.Decode(a).Value; var vb = f.Decode(b).Value; var vc = f.Decode(c).Value;
            bool down = mode == RoundingMode.Rdn;
            Assert.Equal(f.Encode(ExactValue.Add(va, vb, down), mode), FormatArithmetic.Add(f, a, b, mode));
            Assert.Equal(f.Encode(ExactValue.Add(va, vb.IsNaN ? vb : vb.Negate(), down), mode), FormatArithmetic.Sub(f, a, b, mode));
            Assert.Equal(f.Encode(va * vb, mode), FormatArithmetic.Mul(f, a, b, mode));
            Assert.Equal(f.Encode(va / vb, mode), FormatArithmetic.Div(f, a, b, mode));
            Assert.Equal(f.Encode(ExactValue.Add(va * vb, vc, down), mode), FormatArithmetic.Fma(f, a, b, c, mode));
        }
    }
}
