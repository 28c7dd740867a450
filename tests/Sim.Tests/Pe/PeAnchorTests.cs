using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;
using Mantissa.Sim.Pe.Hw;
using Mantissa.Verification.Reference;
using Mantissa.Verification;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>Known values from outside this code (published value sets, .NET's own conversions, hand-worked sums).</summary>
public class PeAnchorTests
{
    private static NumberFormat F(string n) => BitModFormat.ParseAny(n);

    private static double Value(ScalarFormat f, uint code)
    {
        var v = RefFormats.Decode(f, code).V;
        return (double)v.Num / (double)v.Den;
    }

    [Fact]
    public void Posit4Es1PositiveValuesAreTheStandardSet()
    {
        var codec = new PositDatapathCodec(new PositFormat(4, 1));
        var values = Enumerable.Range(1, 7).Select(c => { var o = codec.Unpack((uint)c); return o.Sig * Math.Pow(2, o.Exp); });
        Assert.Equal(new[] { 1.0 / 16, 1.0 / 4, 1.0 / 2, 1, 2, 4, 16 }, values);
    }

    [Fact]
    public void Posit8Es0And16Es1Ranges()
    {
        var p8 = new PositDatapathCodec(new PositFormat(8, 0));
        var v8 = Enumerable.Range(1, 127).Select(c => { var o = p8.Unpack((uint)c); return o.Sig * Math.Pow(2, o.Exp); }).ToList();
        Assert.Equal(127, v8.Distinct().Count());
        Assert.Equal((1.0 / 64, 64.0), (v8.Min(), v8.Max()));
        var p16 = new PositDatapathCodec(new PositFormat(16, 1));
        var lo = p16.Unpack(1); var hi = p16.Unpack(0x7FFF);
        Assert.Equal((Math.Pow(2, -28), Math.Pow(2, 28)), (lo.Sig * Math.Pow(2, lo.Exp), hi.Sig * Math.Pow(2, hi.Exp)));
    }

    [Fact]
    public void E2M1ValueSet()
    {
        var codec = new FloatDatapathCodec((FloatFormat)F("fp4e2m1"));
        var values = Enumerable.Range(0, 8).Select(c => { var o = codec.Unpack((uint)c); return o.Sig * Math.Pow(2, o.Exp); });
        Assert.Equal(new[] { 0, 0.5, 1, 1.5, 2, 3, 4, 6 }, values);
    }

    [Fact]
    public void Fp32AndFp16RoundingAgreeWithDotNetConversions()
    {
        var fp32 = new FloatDatapathCodec((FloatFormat)F("fp32"));
        var fp16 = new FloatDatapathCodec((FloatFormat)F("fp16"));
        var r = new Random(5);
        for (int i = 0; i < 20000; i++)
        {
            // Doubles spanning fp16 subnormals to beyond fp32 overflow, many near halfway points.
            double d = (r.NextDouble() - 0.5) * Math.Pow(2, r.Next(-160, 140));
            if (i % 3 == 0) d = (float)d + (double)(float)d * Math.Pow(2, -24) * (r.Next(2) == 0 ? 1 : -1);
            long bits = BitConverter.DoubleToInt64Bits(d);
            bool neg = bits < 0;
            int e = (int)((bits >> 52) & 0x7FF);
            ulong m = (ulong)bits & ((1UL << 52) - 1);
            if (e == 0 || e == 0x7FF) continue;
            var v = new WideValue(neg, m | (1UL << 52), e - 1075);
            uint want32 = BitConverter.SingleToUInt32Bits((float)d);
            Assert.Equal(want32, fp32.Pack(v));
            Assert.Equal(want32, RefFormats.RoundFloat((FloatFormat)F("fp32"), RefValue.Of(RefDouble(d))));
            ushort want16 = BitConverter.HalfToUInt16Bits((Half)d);
            // An underflow to zero keeps the sign, as .NET's conversions (IEEE 754) do.
            Assert.Equal(want16, (ushort)fp16.Pack(v));
        }
    }

    private static Rational RefDouble(double d)
    {
        long bits = BitConverter.DoubleToInt64Bits(d);
        int e = (int)((bits >> 52) & 0x7FF);
        long m = (bits & ((1L << 52) - 1)) | (1L << 52);
        var v = new Rational(m, 1) * Rational.Pow2(e - 1075);
        return bits < 0 ? -v : v;
    }

    [Fact]
    public void PositRoundingHandWorked()
    {
        var p = new PositFormat(8, 0);
        var c = new PositDatapathCodec(p);
        // 1 + 1/64 + 1/128 lies between 1+1/32 (0x41) and 1 (0x40), above their midpoint 1+1/64: rounds up.
        Assert.Equal(0x41u, c.Pack(new WideValue(false, 128 + 2 + 1, -7)));
        // exactly the midpoint 1 + 1/64 ties to the even code 0x40.
        Assert.Equal(0x40u, c.Pack(new WideValue(false, 64 + 1, -6)));
        // beyond maxpos saturates; below minpos gives minpos, never 0.
        Assert.Equal(0x7Fu, c.Pack(new WideValue(false, 1, 20)));
        Assert.Equal(0x01u, c.Pack(new WideValue(false, 1, -30)));
        Assert.Equal(0xFFu, c.Pack(new WideValue(true, 1, -30)));
    }

    [Fact]
    public void QuireIsExactWhereFmaLoses()
    {
        // 64·1 + (1/64)·1 − 64·1 with posit8es0: the quire keeps 1/64 (minpos), per-term fma rounds 64 + 1/64 to 64.
        uint[] a = { 0x7F, 0x01, 0x81 };   // 64, 1/64, −64
        uint[] w = { 0x40, 0x40, 0x40 };   // 1
        var quire = new PositMacPe(new PeSpec(PeKind.PositMac, F("posit8es0"), F("posit8es0"), F("posit8es0"), 1, new PeParameters()));
        var fma = new PositMacPe(new PeSpec(PeKind.PositMac, F("posit8es0"), F("posit8es0"), F("posit8es0"), 1, new PeParameters { Quire = false }));
        Assert.Equal(0x01u, quire.Dot(a, w).Code);
        Assert.Equal(0x00u, fma.Dot(a, w).Code);
        Assert.Equal(0x80u, quire.Dot(new uint[] { 0x80, 0x40 }, new uint[] { 0x40, 0x40 }).Code); // NaR propagates
    }

    [Fact]
    public void IntAccumulatorWrapsOrSaturatesAsStated()
    {
        uint[] a = { 0x7F, 0x7F, 0x7F };
        var wrap = new IntMacPe(new PeSpec(PeKind.IntMac, F("int8"), F("int8"), F("int16"), 1, new PeParameters()));
        var sat = new IntMacPe(new PeSpec(PeKind.IntMac, F("int8"), F("int8"), F("int16"), 1, new PeParameters { Overflow = OverflowMode.Saturate }));
        Assert.Equal((uint)(48387 - 65536 + 65536), wrap.Dot(a, a).Code);   // 3·127² = 48387 wraps to −17149
        Assert.Equal(0x7FFFu, sat.Dot(a, a).Code);
    }

    [Fact]
    public void MxBlockOfOnesTimesScales()
    {
        var pe = new MxDotPe(new PeSpec(PeKind.MxDot, F("mxfp4"), F("mxfp4"), F("fp32"), 32, new PeParameters()));
        var ones = Enumerable.Repeat(0x2u, 32).ToArray();                           // E2M1 0x2 = 1.0
        Assert.Equal(0x42000000u, pe.Dot(ones, ones, new uint[] { 127, 127 }, default).Code);   // 32.0
        Assert.Equal(0x40000000u, pe.Dot(ones, ones, new uint[] { 124, 126 }, default).Code);   // 32·2^−4 = 2.0
        Assert.Equal(0x7FC00000u, pe.Dot(ones, ones, new uint[] { 0xFF, 127 }, default).Code);  // NaN scale
        Assert.Equal(0x7F800000u, pe.Dot(ones, ones, new uint[] { 254, 254 }, default).Code);   // 32·2^254 overflows to +Inf
    }

    [Fact]
    public void LutExactEqualsTheIntegerDotProduct()
    {
        var r = new Random(3);
        foreach (var (w, g) in new[] { ("int2", 4), ("int4", 8), ("uint3", 3), ("int8", 1), ("int3", 5) })
        {
            var wf = (IntFormat)F(w);
            var pe = new LutPe(new PeSpec(PeKind.Lut, wf, F("int8"), F("int32"), g * 2, new PeParameters { LutGroup = g, LutEntries = LutEntryMode.Exact, GroupSize = 0 }));
            for (int t = 0; t < 50; t++)
            {
                int k = r.Next(1, 700);
                var a = Enumerable.Range(0, k).Select(_ => (uint)r.Next(256)).ToArray();
                var ws = Enumerable.Range(0, k).Select(_ => (uint)r.Next(1 << wf.IntBits)).ToArray();
                long want = 0;
                for (int i = 0; i < k; i++) want += (sbyte)(byte)a[i] * RefFormats.IntValue(wf, ws[i]);
                Assert.Equal((uint)want, pe.Dot(a, ws).Code);
            }
        }
    }

    [Fact]
    public void TMacIdentityHoldsForAllSignedAndUnsignedCodes()
    {
        for (int bits = 1; bits <= 8; bits++)
            for (int q = 0; q < 1 << bits; q++)
            {
                // s_b = 2·β_b − 1 on the offset-binary code q; w = q − 2^(B−1) (signed) or q (unsigned).
                double sum = 0;
                for (int b = 0; b < bits; b++) sum += Math.Pow(2, b - 1) * (((q >> b) & 1) * 2 - 1);
                if (bits >= 2) Assert.Equal(q - (1 << (bits - 1)), sum - 0.5);
                Assert.Equal(q, sum + ((1 << bits) - 1) / 2.0);
            }
    }

    [Fact]
    public void BitModTablesAndTieBreaking()
    {
        var er = (BitModFormat)F("bitmod_fp4_er_pos");
        Assert.Equal(new[] { -12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 10, 12 }, er.SortedValues());
        Assert.Equal(new[] { -16, -12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12 }, ((BitModFormat)F("bitmod_fp4_ea_neg")).SortedValues());
        Assert.Equal(new[] { -4, -2, -1, 0, 1, 2, 4, 6 }, ((BitModFormat)F("bitmod_fp3_ea_pos")).SortedValues());
        // Ties go to the lower value (the reference quantizer picks value i when mid(i-1) < x <= mid(i)).
        Assert.Equal(4, er.Value((uint)er.QuantizeCode(5.0)));
        Assert.Equal(-6, er.Value((uint)er.QuantizeCode(-5.0)));
        Assert.Equal(10, er.Value((uint)er.QuantizeCode(11.0)));
        Assert.Equal(8, er.Value((uint)er.QuantizeCode(9.0)));
        Assert.Equal(12, er.Value((uint)er.QuantizeCode(11.0001)));
        Assert.Equal(-1, er.Value((uint)er.QuantizeCode(-0.5)));
        // Every magnitude factors as m·2^e with m in {1,3,5}.
        foreach (var v in er.SortedValues().Where(v => v != 0))
        {
            int m = Math.Abs(v);
            while (m % 2 == 0) m /= 2;
            Assert.Contains(m, new[] { 1, 3, 5 });
        }
    }

    [Theory]
    [InlineData("bitmod_fp3_er_pos", 2)]
    [InlineData("bitmod_fp4_ea_pos", 2)]
    [InlineData("int6", 3)]
    [InlineData("int8", 4)]
    public void BitModCyclesPerWeightAtTwoBitsPerCycle(string w, int perWeight)
    {
        var pe = new BitSerialPe(new PeSpec(PeKind.BitSerial, F(w), F("fp16"), F("fp32"), 4, new PeParameters { BitsPerCycle = 2, GroupSize = 128 }));
        var k = 128;
        var r = pe.Dot(new uint[k], new uint[k], new uint[] { 0x3C00 }, default);
        Assert.Equal(perWeight * k / 4, r.Cycles);   // dp = 4 lanes, one weight per lane per pass
    }

    [Fact]
    public void SimdEqualsThePerFormatMacs()
    {
        var r = new Random(8);
        foreach (var f in new[] { "posit4es1", "posit8es0", "posit16es1", "fp4e2m1" })
        {
            var fmt = F(f);
            bool fp = f.StartsWith("fp");
            var simd = new SimdMacPe(new PeSpec(PeKind.SimdMac, fmt, fmt, fp ? F("fp32") : fmt, 1, new PeParameters()));
            PeModel mac = fp
                ? new MinifloatMacPe(new PeSpec(PeKind.MinifloatMac, fmt, fmt, F("fp32"), 1, new PeParameters()))
                : new PositMacPe(new PeSpec(PeKind.PositMac, fmt, fmt, fmt, 1, new PeParameters()));
            for (int t = 0; t < 200; t++)
            {
                int k = r.Next(1, 300);
                var a = Enumerable.Range(0, k).Select(_ => (uint)r.Next(1 << fmt.Bits)).ToArray();
                var w = Enumerable.Range(0, k).Select(_ => (uint)r.Next(1 << fmt.Bits)).ToArray();
                Assert.Equal(mac.Dot(a, w).Code, simd.Dot(a, w).Code);
            }
        }
    }

    [Fact]
    public void EveryModelReportsTheCycleModelsCycles()
    {
        foreach (var config in PeConfigurations.All)
        {
            var pe = config.Create();
            var gen = new PeCaseGenerator(pe, new Random(1));
            foreach (int k in new[] { 1, 31, 32, 129, 1000 })
            {
                var a = new uint[k];
                var w = new uint[k];
                var res = pe.Dot(a, w, gen.Scales(k, false), gen.Zeros(k));
                var model = PeCycleModel.For(pe.Spec, pe.Spec.WeightFormat, pe.Spec.ActivationFormat);
                Assert.True(model.DotCycles(k) == res.Cycles, $"{config.Label} K={k}: datapath {res.Cycles}, model {model.DotCycles(k)}");
            }
        }
    }
}

/// <summary>Datapaths allocate per call at most, never per MAC.</summary>
public class PeAllocationTests
{
    [Fact]
    public void AllocationDoesNotGrowWithK()
    {
        foreach (var config in PeConfigurations.All)
        {
            var pe = config.Create();
            var gen = new PeCaseGenerator(pe, new Random(4));
            long Bytes(int k)
            {
                var a = new uint[k];
                var w = new uint[k];
                for (int i = 0; i < k; i++) { a[i] = (uint)(i * 37 % 7 + 1); w[i] = (uint)(i % 3 + 1); }
                var s = gen.Scales(k, false);
                var z = gen.Zeros(k);
                pe.Dot(a, w, s, z);                                 // warm up
                long before = GC.GetAllocatedBytesForCurrentThread();
                pe.Dot(a, w, s, z);
                return GC.GetAllocatedBytesForCurrentThread() - before;
            }
            long small = Bytes(64), large = Bytes(4096);
            Assert.True(large <= small + 64 && large < 2048, $"{config.Label}: {small} B at K=64, {large} B at K=4096");
        }
    }
}

/// <summary>The adder's alignment keeps wide exact sums exact through a cancellation.</summary>
public class WideAdderTests
{
    [Fact]
    public void CancellationOfAWideSumIsExact()
    {
        // x = 2^100 + 2^-20 (121-bit span), y = -2^100: the sum is exactly 2^-20.
        var x = new WideValue(false, (UInt128.One << 120) + 1, -20);
        var y = new WideValue(true, 1, 100);
        var s = WideAdder.Add(x, y);
        Assert.Equal((false, UInt128.One), (s.Neg, s.Mag >> (-20 - s.Exp)));
        Assert.Equal(-20, s.Msb + s.Exp);
        var fp32 = new FloatDatapathCodec((FloatFormat)NumberFormat.Parse("fp32"));
        Assert.Equal(0x35800000u, fp32.Pack(s));   // 2^-20
    }

    [Fact]
    public void FarSmallerOperandOnlySetsTheStickyBit()
    {
        // 1 + 2^-200 rounds to 1 in fp32, but 1 + 2^-24 + 2^-200 (just above the halfway point) rounds up.
        var fp32 = new FloatDatapathCodec((FloatFormat)NumberFormat.Parse("fp32"));
        Assert.Equal(0x3F800000u, fp32.Pack(WideAdder.Add(new WideValue(false, 1, 0), new WideValue(false, 1, -200))));
        var half = new WideValue(false, (UInt128.One << 24) + 1, -24);
        Assert.Equal(0x3F800001u, fp32.Pack(WideAdder.Add(half, new WideValue(false, 1, -200))));
        Assert.Equal(0x3F800000u, fp32.Pack(half));
    }
}

public class BitModMixedTypeTests
{
    [Fact]
    public void EachGroupDecodesWithItsSelectedType()
    {
        var r = new Random(12);
        var mixed = new BitSerialPe(new PeSpec(PeKind.BitSerial, BitModFormat.ParseAny("bitmod_fp4_mixed"), NumberFormat.Parse("fp16"), NumberFormat.Parse("fp32"), 4,
            new PeParameters { BitsPerCycle = 2, GroupSize = 32 }));
        for (int t = 0; t < 4; t++)
        {
            var fixedType = new BitSerialPe(new PeSpec(PeKind.BitSerial, BitModFormat.ParseAny("bitmod_fp4_" + BitModFormat.TypeNames[t]), NumberFormat.Parse("fp16"),
                NumberFormat.Parse("fp32"), 4, new PeParameters { BitsPerCycle = 2, GroupSize = 32 }));
            var a = Enumerable.Range(0, 32).Select(_ => (uint)(0x3000 + r.Next(0x1000))).ToArray();
            var w = Enumerable.Range(0, 32).Select(_ => (uint)r.Next(16)).ToArray();
            w[0] = 8;   // make sure the extra value is used
            var s = new uint[] { 0x3C00 };
            Assert.Equal(fixedType.Dot(a, w, s, default).Code, mixed.Dot(a, w, s, new[] { t }).Code);
        }
    }
}
