namespace Mantissa.Explorer.Tests;

public class ArithCommandTests
{
    private static (int code, string stdout, string stderr) Run(params string[] args) => CliTests.Run(args);

    [Theory]
    [InlineData("44", "fp8e4m3", "add", "38", "40")]         // 1 + 2 = 3
    [InlineData("0400", "fp16", "mul", "3c00", "0400")]       // 1 · 2^-14
    [InlineData("7f", "fp8e4m3", "mul", "7e", "40")]          // 448·2 overflows to NaN (OCP E4M3)
    [InlineData("7c", "fp8e5m2", "add", "7b", "7b")]          // → inf
    [InlineData("7", "fp4e2m1", "add", "7", "7")]             // finite-only: saturates at 6
    [InlineData("80", "posit8es0", "div", "40", "00")]        // x/0 → NaR
    [InlineData("3e", "fp8e4m3", "fma", "38", "38", "34")]    // 1·1 + 0.75 = 1.75
    [InlineData("3c", "fp16", "cvt:fp8e5m2", "3c01")]         // result printed in the target's width
    [InlineData("3f800000", "bf16", "cvt:fp32", "3f80")]
    [InlineData("0002", "fp16", "add", "0001", "1")]          // zero-padded to four digits; input padding is optional
    public void PrintsLowerCaseZeroPaddedHex(string expected, params string[] args)
    {
        var (code, stdout, stderr) = Run(new[] { "arith" }.Concat(args).ToArray());
        Assert.True(code == 0, stderr);
        Assert.Equal(expected + "\n", stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void RoundAndSaturateOptions()
    {
        Assert.Equal("3d\n", Run("arith", "fp16", "cvt:fp8e5m2", "3c01", "--round", "rup").stdout.Replace("\r\n", "\n"));
        Assert.Equal("7e\n", Run("arith", "fp8e4m3", "mul", "7e", "40", "--saturate").stdout.Replace("\r\n", "\n"));
        Assert.Equal("7e\n", Run("arith", "fp8e4m3", "encode", "1000", "--saturate").stdout.Replace("\r\n", "\n"));
        Assert.Equal("b9\n", Run("arith", "fp8e4m3", "encode", "-1.01", "--round", "rdn").stdout.Replace("\r\n", "\n"));
        var (code, _, err) = Run("arith", "fp8e4m3", "add", "38", "40", "--round", "nearest");
        Assert.Equal(2, code);
        Assert.Contains("rne, rtz, rup, rdn, sr", err);
    }

    [Fact]
    public void DecodeShowsClassExactValueAndFields()
    {
        var (code, stdout, _) = Run("arith", "posit16es1", "decode", "7001");
        Assert.Equal(0, code);
        var lines = stdout.Replace("\r\n", "\n").Split('\n');
        Assert.Contains("class     normal", lines);
        Assert.Contains("value     1025/64", lines);
        Assert.Contains("decimal   16.015625", lines);
        Assert.Contains("regime    k=2 (4 bits)", lines);
        Assert.Contains("exponent  0b0 (1 of 1 bits present), scale 2^4", lines);
        Assert.Contains("fraction  0b0000000001 (10 bits)", lines);

        var fp = Run("arith", "fp8e4m3", "decode", "01").stdout;
        Assert.Contains("class     subnormal", fp);
        Assert.Contains("value     1/512", fp);
        Assert.Contains("decimal   0.001953125", fp);
        Assert.Contains("exponent  0b0000 = 0, unbiased -6 (bias 7)", fp);
        Assert.Contains("class     nar", Run("arith", "posit8es0", "decode", "80").stdout);
        Assert.Contains("class     infinity", Run("arith", "fp16", "decode", "fc00").stdout);
    }

    [Fact]
    public void EncodeParsesExactDecimals()
    {
        Assert.Equal("2e66\n", Run("arith", "fp16", "encode", "0.1").stdout.Replace("\r\n", "\n"));
        Assert.Equal("18\n", Run("arith", "posit8es0", "encode", "3/8").stdout.Replace("\r\n", "\n")); // 0 001 1000: k=−2, 1.5·2^−2
        Assert.Equal("fd\n", Run("arith", "int8", "encode", "-3").stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void BadInputGivesClearErrors()
    {
        var r = Run("arith", "fp8e4m3", "add", "38", "400");
        Assert.Equal(1, r.code);
        Assert.Contains("does not fit in 8 bits", r.stderr);
        r = Run("arith", "fp8e4m3", "ad", "38", "40");
        Assert.Equal(2, r.code);
        Assert.Contains("did you mean 'add'", r.stderr);
        r = Run("arith", "mxfp4", "add", "1", "2");
        Assert.Contains("block format", r.stderr);
        r = Run("arith", "fp8e4m3", "fma", "38", "40");
        Assert.Equal(2, r.code);
        Assert.Contains("fma takes 3 codes", r.stderr);
        r = Run("arith", "fp8e4m3", "encode", "abc");
        Assert.Contains("'abc' is not a number", r.stderr);
    }

    [Fact]
    public void BatchWritesOneResultPerLineAndKeepsGoingAfterABadLine()
    {
        string input = "fp8e4m3 add 38 40\n" +
                       "bf16 mul 3fc0 4000\n" +
                       "fp8e4m3 add 38 zz\n" +
                       "\n" +
                       "fp9 add 1 2\n" +
                       "posit8es0 decode 40\n" +
                       "fp16 cvt:fp8e4m3 5bff\n" +
                       "fp32 encode 0.1\n" +
                       "fp16 fma 3c00 3c00 3c00\n";
        var (code, stdout, _) = CliTests.RunWithInput(input, "arith", "--batch");
        var lines = stdout.Replace("\r\n", "\n").TrimEnd('\n').Split('\n');
        Assert.Equal(9, lines.Length); // output line N answers input line N, the blank line with an empty one
        Assert.Equal("44", lines[0]);
        Assert.Equal("4040", lines[1]);
        Assert.StartsWith("error: line 3: 'zz' is not a hexadecimal code", lines[2]);
        Assert.Equal("", lines[3]);
        Assert.StartsWith("error: line 5: unknown number format 'fp9'", lines[4]);
        Assert.Equal("normal 1 1", lines[5]);
        Assert.Equal("78", lines[6]);
        Assert.Equal("3dcccccd", lines[7]);
        Assert.Equal("4000", lines[8]);
        Assert.Equal(1, code); // some lines failed
    }

    [Fact]
    public void BatchAppliesRoundingOptionsToEveryLine()
    {
        var (code, stdout, _) = CliTests.RunWithInput("fp16 cvt:fp8e5m2 3c01\nfp8e4m3 mul 7e 40\n", "arith", "--batch", "--round", "rup", "--saturate");
        Assert.Equal(0, code);
        Assert.Equal("3d\n7e\n", stdout.Replace("\r\n", "\n"));
    }

    [Fact]
    public void IntegersSaturateWithOrWithoutTheFlagAndHelpSaysSo()
    {
        // 100 + 100 in int8: 127 (7f) either way; --saturate only changes floats
        Assert.Equal("7f\n", Run("arith", "int8", "add", "64", "64").stdout.Replace("\r\n", "\n"));
        Assert.Equal("7f\n", Run("arith", "int8", "add", "64", "64", "--saturate").stdout.Replace("\r\n", "\n"));
        var help = Run("arith", "--help").stdout;
        Assert.Contains("Integers, FP4 and FP6 always saturate", help);
    }

    [Fact]
    public void DotPrintsCodesLikeArith()
    {
        // 1 + 2 = 3 in fp16: arith and a two-term dot (1·1 + 2·1) print the same code, 4200
        string arith = Run("arith", "fp16", "add", "3c00", "4000").stdout.Trim();
        string dot = Run("dot", "--pe", "minifloat_mac", "--format", "fp16", "--accum", "fp16", "--out", "fp16", "--a", "3c00,4000", "--w", "3c00,3c00").stdout.Trim();
        Assert.Equal("4200", arith);
        Assert.Equal(arith + " 3", dot);
    }
}
