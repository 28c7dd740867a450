using System.Numerics;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;
using Mantissa.Sim.Pe.Hw;
using Mantissa.Verification.Reference;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>
/// Integer accumulators wider than int32 (int33..int64): sums beyond int32's range come out exact, and wrap/saturate
/// act at the configured width, checked against hand-worked values and the independent reference.
/// </summary>
public class WideAccumulatorTests
{
    /// <summary>K copies of one (activation, weight) code pair.</summary>
    private static (uint[] A, uint[] W) Repeat(uint a, uint w, int k) => (Enumerable.Repeat(a, k).ToArray(), Enumerable.Repeat(w, k).ToArray());

    private static BigInteger Signed(ulong code, int bits) => RefFormats.IntValue(new IntFormat(bits, true), code);

    [Fact]
    public void Int16MacIntoInt64KeepsASumBeyondInt32()
    {
        // 8 × (−32768)·(−32768) = 2^33: int64 holds it; int32 wraps it to 0 (2^33 mod 2^32).
        var (a, w) = Repeat(0x8000, 0x8000, 8);
        var wide = PeConfiguration.Of("int64", PeKind.IntMac, "int16", "int16", "int64", 4).Create();
        var r = wide.Dot(a, w);
        Assert.Equal(1UL << 33, r.Code);
        Assert.Equal("int64", r.Format.Name);
        Assert.Equal(r.Code, PeReference.Expected(wide, a, w, default, default));
        var narrow = PeConfiguration.Of("int32", PeKind.IntMac, "int16", "int16", "int32", 4).Create();
        Assert.Equal(0UL, narrow.Dot(a, w).Code);
    }

    [Fact]
    public void Int40WrapsAndSaturatesAtFortyBits()
    {
        // 1024 × 32767·(−32768) = −1024·(2^30 − 2^15) = −2^40 + 2^25: beyond int40 (−2^39..2^39 − 1).
        var (a, w) = Repeat(0x7FFF, 0x8000, 1024);
        BigInteger exact = -(BigInteger.One << 40) + (BigInteger.One << 25);
        var wrap = PeConfiguration.Of("wrap", PeKind.IntMac, "int16", "int16", "int40", 16).Create();
        var sat = PeConfiguration.Of("sat", PeKind.IntMac, "int16", "int16", "int40", 16, new PeParameters { Overflow = OverflowMode.Saturate }).Create();
        var rw = wrap.Dot(a, w);
        var rs = sat.Dot(a, w);
        Assert.Equal(exact + (BigInteger.One << 40), Signed(rw.Code, 40));   // wrapped once: 2^25
        Assert.Equal(-(BigInteger.One << 39), Signed(rs.Code, 40));          // clamped to int40's minimum
        Assert.Equal(rw.Code, PeReference.Expected(wrap, a, w, default, default));
        Assert.Equal(rs.Code, PeReference.Expected(sat, a, w, default, default));
    }

    [Fact]
    public void SixtyFourBitRegisterWrapsAndSaturatesAtItsEdges()
    {
        var int64 = new IntFormat(64, true);
        var wrap = new IntRegister(int64, saturate: false);
        var sat = new IntRegister(int64, saturate: true);
        Assert.Equal(long.MinValue + 4, wrap.Add(long.MaxValue - 5, 10));
        Assert.Equal(long.MaxValue, sat.Add(long.MaxValue - 5, 10));
        Assert.Equal(long.MaxValue - 3, wrap.Add(long.MinValue + 6, -10));
        Assert.Equal(long.MinValue, sat.Add(long.MinValue + 6, -10));
        Assert.Equal(1L, sat.Add(long.MaxValue, long.MinValue + 2));            // no overflow: the plain sum
        Assert.Equal(0x8000_0000_0000_0000UL, wrap.Code(long.MinValue));
        var int33 = new IntRegister(new IntFormat(33, true), saturate: false);
        Assert.Equal(-(1L << 32), int33.Add((1L << 32) - 1, 1));                // 2^32 wraps to int33's minimum
        Assert.Equal(1UL << 32, int33.Code(-(1L << 32)));
    }

    [Fact]
    public void UnsignedRegisterIsRefusedWithTheFormatName()
    {
        var e = Assert.Throws<Mantissa.Arch.MantissaException>(() => new IntRegister(new IntFormat(64, false), saturate: false));
        Assert.Contains("uint64", e.Message);
    }

    [Theory]
    [InlineData("bit_serial", "int4", "int8", "uint64", "bit_serial accumulator must be a signed int format (e.g. int32), got uint64")]
    [InlineData("lut", "int2", "int8", "uint40", "lut exact tables round their sum into a signed int accumulator (e.g. int32), got uint40")]
    [InlineData("int_mac", "int8", "int8", "uint64", "int_mac accumulator must be a signed int format (e.g. int32)")]
    public void UnsignedWideAccumulatorsAreRefusedByTheKind(string kind, string weights, string activations, string acc, string message)
    {
        var p = kind == "lut" ? new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact } : new PeParameters();
        var e = Assert.Throws<Mantissa.Arch.MantissaException>(() => PeConfiguration.Of(kind, PeKind.Parse(kind), weights, activations, acc, 4, p).Create());
        Assert.Equal(message, e.Message);
    }

    [Fact]
    public void LutExactTablesRoundIntoTheConfiguredIntegerAccumulator()
    {
        var pe = PeConfiguration.Of("lut", PeKind.Lut, "int4", "int8", "int40", 4, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact }).Create();
        Assert.Equal("int40", pe.Output.Name);
    }

    /// <summary>Every integer-accumulating kind with an int64 register, K pairs chosen so the exact sum passes int32's range.</summary>
    public static IEnumerable<object[]> KindsBeyondInt32() =>
    [
        // kind, weights, activations, dot width, activation code, weight code, K, parameters key
        ["int_mac", "int16", "int16", 4, 0x8000u, 0x7FFFu, 12, ""],
        ["bit_fusion", "int8", "int8", 1, 0x80u, 0x80u, 1 << 18, ""],
        ["bit_serial", "int8", "int16", 8, 0x8000u, 0x80u, 2048, "bpc2"],
        ["ant_mac", "flint8", "int8", 4, 0x80u, 0x7Fu, 1 << 14, ""],
        ["lut", "uint8", "uint8", 8, 0xFFu, 0xFFu, 1 << 16, "exact"],
    ];

    [Theory]
    [MemberData(nameof(KindsBeyondInt32))]
    public void Int64AccumulationBeyondInt32IsExact(string kind, string weights, string activations, int dotWidth, uint ac, uint wc, int k, string parameters)
    {
        var p = parameters switch
        {
            "bpc2" => new PeParameters { BitsPerCycle = 2 },
            "exact" => new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Exact, GroupSize = 0 },
            _ => new PeParameters(),
        };
        var pe = PeConfiguration.Of(kind, PeKind.Parse(kind), weights, activations, "int64", dotWidth, p).Create();
        var (a, w) = Repeat(ac, wc, k);
        var r = pe.Dot(a, w);
        var product = RefFormats.Decode((ScalarFormat)pe.Spec.ActivationFormat, ac).V * RefFormats.Decode((ScalarFormat)pe.Spec.WeightFormat, wc).V;
        var exact = (product * k).Num;
        Assert.True(BigInteger.Abs(exact) > int.MaxValue, $"{kind}: the test sum {exact} should pass int32's range");
        Assert.Equal(exact, Signed(r.Code, 64));
        Assert.Equal(r.Code, PeReference.Expected(pe, a, w, default, default));
    }
}
