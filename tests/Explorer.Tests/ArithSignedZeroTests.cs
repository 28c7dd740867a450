namespace Mantissa.Explorer.Tests;

/// <summary>
/// <c>mantissa arith</c> follows IEEE 754 §6.3 for the sign of zero in every rounding mode: x − x and +0 + −0 are +0
/// except when rounding toward −∞ (−0); −0 + −0 is −0; a product with a zero takes the XOR of the signs; a nonzero
/// result that rounds to zero keeps its sign (fp16: 0001 is the smallest subnormal 2^-24, 7bff the largest finite).
/// </summary>
public class ArithSignedZeroTests
{
    [Theory]
    //          operation                  rne     rtz     rup     rdn
    [InlineData("fp16 sub 3c00 3c00",      "0000", "0000", "0000", "8000")]   // 1 − 1
    [InlineData("fp16 add 0000 8000",      "0000", "0000", "0000", "8000")]   // +0 + −0
    [InlineData("fp16 add 8000 8000",      "8000", "8000", "8000", "8000")]   // −0 + −0
    [InlineData("fp16 mul 0000 bc00",      "8000", "8000", "8000", "8000")]   // +0 · −1
    [InlineData("fp16 mul 8000 bc00",      "0000", "0000", "0000", "0000")]   // −0 · −1
    [InlineData("fp16 fma 0000 bc00 8000", "8000", "8000", "8000", "8000")]   // +0 · −1 + −0
    [InlineData("fp16 fma 3c00 3c00 bc00", "0000", "0000", "0000", "8000")]   // 1·1 − 1
    [InlineData("fp16 mul 8001 0001",      "8000", "8000", "8000", "8001")]   // −2^-48: underflow keeps the sign
    [InlineData("fp16 mul 0001 0001",      "0000", "0000", "0001", "0000")]   // +2^-48
    [InlineData("fp16 div 8001 7bff",      "8000", "8000", "8000", "8001")]
    [InlineData("bf16 sub 3f80 3f80",      "0000", "0000", "0000", "8000")]
    [InlineData("fp8e4m3 mul 00 b8",       "80",   "80",   "80",   "80")]
    [InlineData("fp32 add 80000000 80000000", "80000000", "80000000", "80000000", "80000000")]
    public void ZeroSignsInEveryRoundingMode(string op, string rne, string rtz, string rup, string rdn)
    {
        var parts = op.Split(' ');
        foreach (var (mode, want) in new[] { ("rne", rne), ("rtz", rtz), ("rup", rup), ("rdn", rdn) })
        {
            var (code, output, err) = CliTests.Run(new[] { "arith", "--round", mode }.Concat(parts).ToArray());
            Assert.True(code == 0, err);
            Assert.True(output.Trim() == want, $"{op} --round {mode}: got {output.Trim()}, IEEE 754 gives {want}");
        }
    }
}
