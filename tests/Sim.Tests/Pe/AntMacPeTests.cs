using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Pe;
using Mantissa.Verification.Reference;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>ANT's PE on hand-worked dot products (the exhaustive and random checks run with the other configurations).</summary>
public class AntMacPeTests
{
    private static PeModel Pe(string w, string a, string acc = "int32", int dot = 4, string overflow = "wrap") =>
        PeFactory.Create(PeOptions.Bind([("kind", "ant_mac"), ("weights", w), ("activations", a), ("accumulator", acc),
            ("dot_width", dot.ToString()), ("overflow", overflow)], "test"));

    [Fact]
    public void FlintTimesIntIsTheExactIntegerProduct()
    {
        var pe = Pe("flint4", "int4");
        // flint4 codes: 0111 = 16, 0101 = 6, 1011 = −3 (sign-magnitude); int4: 3, −2, 7
        var r = pe.Dot(new uint[] { 0x3, 0xE, 0x7 }, new uint[] { 0x7, 0x5, 0xB });
        Assert.Equal(16 * 3 + 6 * -2 + -3 * 7, (int)r.Code);
        Assert.Equal(1, r.Cycles);
    }

    [Fact]
    public void Fp16ActivationsRoundOncePerPassIntoFp32()
    {
        // BitMoD's ANT baseline: flint4 weights × FP16 activations; the default accumulator is fp32.
        var pe = PeFactory.Create(PeOptions.Bind([("kind", "ant_mac"), ("weights", "flint4"), ("activations", "fp16"), ("dot_width", "2")], "test"));
        Assert.Equal("fp32", pe.Output.Name);
        var fp16 = (ScalarFormat)NumberFormat.Parse("fp16");
        var fp32 = (ScalarFormat)NumberFormat.Parse("fp32");
        uint one5 = (uint)fp16.FromDouble(1.5), quarter = (uint)fp16.FromDouble(-0.25), big = (uint)fp16.FromDouble(2048);
        // flint4 0111 = 16, 1011 = −3: 16·1.5 + (−3)·(−0.25) = 24.75 in one pass.
        var r = pe.Dot(new uint[] { one5, quarter }, new uint[] { 0x7, 0xB });
        Assert.Equal(24.75, fp32.ToDouble(r.Code));
        Assert.Equal(1, r.Cycles);
        // Rounded per pass: pass 1 = 16·2048 = 2^15, pass 2 = 1·2^−10 is below half an fp32 ulp of 2^15 (2^−9), so it is lost.
        var tiny = (uint)fp16.FromDouble(1.0 / 1024);
        var s = pe.Dot(new uint[] { big, 0, tiny, 0 }, new uint[] { 0x7, 0, 0x1, 0 });
        Assert.Equal(32768.0, fp32.ToDouble(s.Code));
        Assert.Equal(2, s.Cycles);
    }

    [Fact]
    public void EveryFlint4WeightTimesEveryFp16ActivationMatchesTheReference()
    {
        // K = 1 over all 16 × 65,536 code pairs: the 4-bit operand exhaustively against every fp16 code (NaN, ±Inf,
        // subnormals, ±0), each against the exact-rational reference.
        var pe = PeFactory.Create(PeOptions.Bind([("kind", "ant_mac"), ("weights", "flint4"), ("activations", "fp16")], "test"));
        var a = new uint[1];
        var w = new uint[1];
        long n = 0;
        for (uint x = 0; x < 1 << 16; x++)
            for (uint y = 0; y < 16; y++)
            {
                a[0] = x; w[0] = y;
                var r = pe.Dot(a, w);
                if (r.Code != PeReference.Expected(pe, a, w, default, default)) Assert.Fail($"a={x:X} w={y:X}: {r.Code:X}");
                n++;
            }
        Assert.Equal(1L << 20, n);
    }

    [Fact]
    public void BitModsAntBaselineRunsFlint4TimesFp16Natively()
    {
        var spec = PeOptions.Bind([("kind", "ant_mac"), ("weights", "flint4"), ("activations", "fp16")], "test");
        var ops = PeOperandFormats.Resolve(spec, NumberFormat.Parse("flint4"), NumberFormat.Parse("fp16"));
        Assert.Equal(1, ops.Cycles.MacsPerPass);
        Assert.True(ops.Native);
        var e = Assert.ThrowsAny<MantissaException>(() => PeFactory.Create(PeOptions.Bind(
            [("kind", "ant_mac"), ("weights", "flint4"), ("activations", "fp16"), ("accumulator", "int32")], "test")));
        Assert.Contains("pe.accumulator: an integer accumulator needs integer operands", e.Message);
    }

    [Fact]
    public void UnsignedFlintUsesItsFloatHalf()
    {
        var pe = Pe("uflint8", "int8", dot: 2);
        var f = (ScalarFormat)NumberFormat.Parse("uflint8");
        uint big = 0xFD, small = (uint)f.FromDouble(100);        // 111111·0·1 = (2+1)·2^11 = 6144; 100 is an integer-half code
        Assert.Equal(6144.0, f.ToDouble(big));
        Assert.Equal(100u, small);
        var r = pe.Dot(new uint[] { 0x02, 0xFF }, new uint[] { big, small });    // 2·6144 + (−1)·100
        Assert.Equal(12188, (int)r.Code);
    }

    [Fact]
    public void SaturationClampsThePassSum()
    {
        var pe = Pe("pot4", "int8", acc: "int16", dot: 1, overflow: "saturate");
        var w = Enumerable.Repeat(0x7u, 5).ToArray();           // pot4 code 0111 = 64
        var a = Enumerable.Repeat(0x7Fu, 5).ToArray();          // 127: five passes of 8128 pass int16's 32767
        Assert.Equal(short.MaxValue, (short)pe.Dot(a, w).Code);
    }

    [Fact]
    public void ItRejectsFormatsItCannotRun()
    {
        var e = Assert.ThrowsAny<Exception>(() => PeOptions.Bind([("kind", "ant_mac"), ("weights", "fp8e4m3"), ("activations", "int8")], "test"));
        Assert.Contains("flint4", e.Message);
        var p = Assert.ThrowsAny<Exception>(() => PeOptions.Bind([("kind", "ant_mac"), ("weights", "pot8"), ("activations", "int8")], "test"));
        Assert.Contains("pot", p.Message);
    }
}
