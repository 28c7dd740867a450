using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;
using Mantissa.Verification.Reference;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>
/// The PE datapath codecs and the PE reference against the project's number-format library (written separately):
/// every code decodes to the same value, and rounding agrees on random values.
/// </summary>
public class PeCodecCrossCheckTests
{
    public static IEnumerable<object[]> Formats() =>
        new[] { "fp4e2m1", "fp6e2m3", "fp6e3m2", "fp8e4m3", "fp8e5m2", "fp16", "bf16", "posit4es1", "posit8es0", "posit8es2", "posit16es1" }
            .Select(f => new object[] { f });

    [Theory]
    [MemberData(nameof(Formats))]
    public void EveryCodeDecodesAlike(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var lib = FormatCodec.For(f);
        for (uint c = 0; c < 1u << f.Bits; c++)
        {
            double want = lib.ToDouble(c);
            var hw = f is PositFormat p ? new PositDatapathCodec(p).Unpack(c) : new FloatDatapathCodec((FloatFormat)f).Unpack(c);
            var rf = RefFormats.Decode(f, c);
            if (double.IsNaN(want))
            {
                Assert.Equal(OperandClass.NaN, hw.Class);
                Assert.Equal(OperandClass.NaN, rf.Class);
                continue;
            }
            if (double.IsInfinity(want))
            {
                Assert.Equal((OperandClass.Inf, want < 0), (hw.Class, hw.Neg));
                Assert.Equal((OperandClass.Inf, want < 0), (rf.Class, rf.InfNeg));
                continue;
            }
            Assert.Equal(want, (hw.Neg ? -1 : 1) * (double)hw.Sig * Math.Pow(2, hw.Exp));
            Assert.Equal(want, (double)rf.V.Num / (double)rf.V.Den);
        }
    }

    [Theory]
    [InlineData("fp16")]
    [InlineData("bf16")]
    [InlineData("fp8e5m2")]
    [InlineData("posit8es0")]
    [InlineData("posit8es2")]
    [InlineData("posit16es1")]
    [InlineData("posit4es1")]
    [InlineData("posit32es2")]
    [InlineData("posit32es0")]
    [InlineData("posit32es3")]
    public void RoundingAgreesOnRandomValues(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var lib = FormatCodec.For(f);
        var r = new Random(17);
        for (int i = 0; i < 4000; i++)
        {
            double d = (r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-60, 60));
            if (i % 2 == 0) d = lib.ToDouble((ulong)r.NextInt64(1L << f.Bits)) * (1 + Math.Pow(2, -r.Next(1, 20)) * (r.Next(2) * 2 - 1));
            if (d == 0 || double.IsNaN(d) || double.IsInfinity(d)) continue;
            ulong want = lib.FromDouble(d);
            long bits = BitConverter.DoubleToInt64Bits(d);
            int e = (int)((bits >> 52) & 0x7FF);
            var v = new WideValue(bits < 0, ((ulong)bits & ((1UL << 52) - 1)) | (1UL << 52), e - 1075);
            uint hw = f is PositFormat p ? new PositDatapathCodec(p).Pack(v) : new FloatDatapathCodec((FloatFormat)f).Pack(v);
            Assert.True(want == hw, $"{name}: {d:R} library {want:x}, datapath {hw:x}");
            var rat = new Rational(((bits & ((1L << 52) - 1)) | (1L << 52)) * (bits < 0 ? -1 : 1), 1) * Rational.Pow2(e - 1075);
            Assert.True(want == RefFormats.Round(f, RefValue.Of(rat)), $"{name}: {d:R} library {want:x}, reference {RefFormats.Round(f, RefValue.Of(rat)):x}");
        }
    }
}
