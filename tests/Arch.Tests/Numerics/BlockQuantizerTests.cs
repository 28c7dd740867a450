using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

public class BlockQuantizerTests
{
    private static BlockFormat B(string name) => (BlockFormat)NumberFormat.Parse(name);

    private static (ulong scale, ulong[] codes, double[] back) RoundTrip(string name, double[] values, RoundingMode mode = RoundingMode.Rne)
    {
        var f = B(name);
        var codes = new ulong[values.Length];
        ulong scale = BlockQuantizer.Quantize(f, values, codes, mode);
        var back = new double[values.Length];
        BlockQuantizer.Dequantize(f, codes, scale, back);
        return (scale, codes, back);
    }

    [Theory]
    [InlineData("mxfp4", 2)]
    [InlineData("mxfp6e2m3", 2)]
    [InlineData("mxfp6e3m2", 4)]
    [InlineData("mxfp8e4m3", 8)]
    [InlineData("mxfp8e5m2", 15)]
    [InlineData("mxint8", 0)]
    public void ElementEmaxFollowsTheOcpTable(string name, int emax) => Assert.Equal(emax, BlockQuantizer.ElementMaxExponent(B(name)));

    [Fact]
    public void SharedExponentOfABlockWithMaxFiveIsZeroForMxfp4()
    {
        var values = new double[32];
        values[0] = 5.0; values[1] = -1.25; values[2] = 0.3;
        var (scale, codes, back) = RoundTrip("mxfp4", values);
        Assert.Equal(127UL, scale);                    // 2^(floor(log2 5) − 2) = 2^0
        Assert.Equal(4.0, back[0]);                     // 5 is a tie between 4 and 6 → even (4)
        Assert.Equal(-1.0, back[1]);                    // −1.25 → −1 (nearest)
        Assert.Equal(0.5, back[2]);                     // 0.3 → 0.5 (nearest of 0, 0.5)
        Assert.Equal(0x6UL, codes[0]);                  // 4.0 = 0.11.0
    }

    [Fact]
    public void AllZeroBlock()
    {
        var values = new double[32];
        values[3] = -0.0;
        var (scale, codes, back) = RoundTrip("mxfp8e4m3", values);
        Assert.Equal(0UL, scale);
        Assert.All(back, v => Assert.Equal(0.0, v));
        Assert.Equal(0x80UL, codes[3]);                 // the sign of −0 is kept
        var nv = RoundTrip("nvfp4", new double[16]);
        Assert.Equal(0UL, nv.scale);
        Assert.All(nv.back, v => Assert.Equal(0.0, v));
    }

    [Theory]
    [InlineData("mxfp4", 0xFFUL)]
    [InlineData("mxint8", 0xFFUL)]
    [InlineData("nvfp4", 0x7FUL)]
    public void ANaNOrInfinityMakesTheWholeBlockNaN(string name, ulong nanScale)
    {
        var values = Enumerable.Range(0, B(name).BlockSize).Select(i => (double)i).ToArray();
        values[5] = double.NaN;
        var (scale, _, back) = RoundTrip(name, values);
        Assert.Equal(nanScale, scale);
        Assert.All(back, v => Assert.True(double.IsNaN(v)));
        values[5] = double.NegativeInfinity;
        Assert.Equal(nanScale, RoundTrip(name, values).scale);
    }

    [Fact]
    public void AmaxAtAPowerOfTwo()
    {
        var values = new double[32];
        values[0] = 8.0; values[1] = 1.0; values[2] = 0.75;
        var (scale, _, back) = RoundTrip("mxfp4", values);
        Assert.Equal((ulong)(127 + 3 - 2), scale);     // 2^1
        Assert.Equal(8.0, back[0]);                     // 4·2 exactly
        Assert.Equal(1.0, back[1]);
        Assert.Equal(1.0, back[2]);                     // 0.75/2 = 0.375 → 0.5 (nearest) → 1
        var m8 = RoundTrip("mxint8", new[] { 1.0, -1.0, 0.5, 1.0 / 64 });
        Assert.Equal(127UL, m8.scale);
        Assert.Equal(new[] { 1.0, -1.0, 0.5, 1.0 / 64 }, m8.back);
        Assert.Equal(0x40UL, m8.codes[0]);              // 1.0 = 64/64
    }

    [Fact]
    public void ElementsSaturateAtTheElementMaximum()
    {
        // amax 7.9 has exponent 2, so elements are v/1 and 7.9 rounds past 6: it saturates at 6.
        var values = new double[32];
        values[0] = 7.9; values[1] = -7.5; values[2] = 6.9;
        var (scale, codes, back) = RoundTrip("mxfp4", values);
        Assert.Equal(127UL, scale);
        Assert.Equal(6.0, back[0]);
        Assert.Equal(-6.0, back[1]);
        Assert.Equal(6.0, back[2]);
        Assert.Equal(0x7UL, codes[0]);
        // MXINT8: 1.999 ·64 = 127.9 → 128 saturates at 127.
        var m8 = RoundTrip("mxint8", new[] { 1.999, -1.999 });
        Assert.Equal(127.0 / 64, m8.back[0]);
        Assert.Equal(-128.0 / 64, m8.back[1]);         // −2 is representable in two's complement
        // A block beyond the E8M0 range gets the NaN scale.
        Assert.Equal(0xFFUL, RoundTrip("mxfp4", new[] { 1e300 }).scale);
        // Tiny blocks clamp the scale at 2^−127.
        var tiny = RoundTrip("mxfp4", new[] { Math.ScaleB(1, -140) });
        Assert.Equal(0UL, tiny.scale);
        Assert.Equal(0.0, tiny.back[0]);                // 2^−140 / 2^−127 = 2^−13 → 0
    }

    [Fact]
    public void Nvfp4ScaleIsAmaxOverSixInE4M3()
    {
        var values = new double[16];
        values[0] = 12.0; values[1] = 3.0; values[2] = -1.1;
        var (scale, codes, back) = RoundTrip("nvfp4", values);
        Assert.Equal(0x40UL, scale);                    // 12/6 = 2 in E4M3
        Assert.Equal(12.0, back[0]);
        Assert.Equal(3.0, back[1]);
        Assert.Equal(-1.0, back[2]);                    // −0.55 → −0.5 → ×2
        // amax 7: 7/6 rounds to 1.125 (0x39), then 7/1.125 = 6.22 saturates at 6.
        var s = RoundTrip("nvfp4", new[] { 7.0, 1.0 });
        Assert.Equal(0x39UL, s.scale);
        Assert.Equal(6.75, s.back[0]);
        // amax so large that amax/6 exceeds 448: the scale saturates at 448.
        var big = RoundTrip("nvfp4", new[] { 1e6 });
        Assert.Equal(0x7EUL, big.scale);
        Assert.Equal(6 * 448.0, big.back[0]);
        // A nonzero amax whose scale would round to zero keeps the smallest subnormal scale 2^−9.
        var tiny = RoundTrip("nvfp4", new[] { 1e-5 });
        Assert.Equal(0x01UL, tiny.scale);
    }

    [Fact]
    public void QuantizeAllSplitsIntoBlocks()
    {
        var f = B("mxfp8e4m3");
        var values = Enumerable.Range(0, 70).Select(i => i * 0.37 - 10).ToArray();
        var codes = new ulong[70];
        var scales = new ulong[3];
        BlockQuantizer.QuantizeAll(f, values, codes, scales);
        var back = new double[32];
        BlockQuantizer.Dequantize(f, codes.AsSpan(32, 32), scales[1], back);
        for (int i = 0; i < 32; i++) Assert.InRange(Math.Abs(back[i] - values[32 + i]), 0, 0.0625 * 8 + 1e-12);
    }

    [Theory]
    [InlineData("mxfp4", "fp4e2m1", 1)]
    [InlineData("mxfp6e2m3", "fp6e2m3", 2)]
    [InlineData("mxfp6e3m2", "fp6e3m2", 3)]
    [InlineData("mxfp8e4m3", "fp8e4m3", 4)]
    [InlineData("mxfp8e5m2", "fp8e5m2", 5)]
    [InlineData("mxint8", "int8", 6)]
    [InlineData("nvfp4", "fp4e2m1", 7)]
    public void RandomBlocksMatchTheOracle(string name, string element, int seed)
    {
        var f = B(name);
        var o = new Oracle(element);
        var e4m3 = new Oracle("fp8e4m3");
        var rng = new Random(seed);
        var values = new double[f.BlockSize];
        var codes = new ulong[f.BlockSize];
        for (int trial = 0; trial < 400; trial++)
        {
            double spread = Math.ScaleB(1, rng.Next(-30, 30));
            for (int i = 0; i < values.Length; i++)
                values[i] = (rng.NextDouble() * 2 - 1) * spread * (rng.Next(4) == 0 ? 1e-3 : 1);
            ulong scale = BlockQuantizer.Quantize(f, values, codes);
            double amax = values.Max(Math.Abs);
            Q divisor;
            if (name == "nvfp4")
            {
                ulong expectedScale = e4m3.Round(RVal.Of(Q.FromDouble(amax) / Q.Int(6)), OMode.Rne, saturate: true)!.Value;
                if (expectedScale == 0) expectedScale = 1; // documented: never a zero scale for a nonzero block
                Assert.Equal(expectedScale, scale);
                divisor = e4m3.Decode(scale).Value;
            }
            else
            {
                int emax = element switch { "fp4e2m1" or "fp6e2m3" => 2, "fp6e3m2" => 4, "fp8e4m3" => 8, "fp8e5m2" => 15, _ => 0 };
                int shared = Math.Max(-127, (int)Math.Floor(Math.Log2(amax)) - emax);
                if (Math.ScaleB(1, (int)Math.Floor(Math.Log2(amax))) > amax) shared--; // guard Log2 rounding up
                Assert.Equal((ulong)(shared + 127), scale);
                divisor = Q.Pow2(shared) * (element == "int8" ? Q.Pow2(-6) : Q.Int(1));
            }
            for (int i = 0; i < values.Length; i++)
            {
                ulong expected = o.Round(RVal.Of(Q.FromDouble(values[i]) / divisor, values[i] < 0), OMode.Rne, saturate: true)!.Value;
                Assert.True(expected == codes[i], $"{name} trial {trial} element {i} ({values[i]:R}): expected {expected:x}, got {codes[i]:x}");
            }
        }
    }

    [Fact]
    public void QuantizingABlockAllocatesNothing()
    {
        var values = Enumerable.Range(0, 32).Select(i => Math.Sin(i) * 3).ToArray();
        var codes = new ulong[32];
        var mx = B("mxfp8e4m3");
        var nv = B("nvfp4");
        BlockQuantizer.Quantize(mx, values, codes);
        BlockQuantizer.Quantize(nv, values.AsSpan(0, 16), codes);
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int k = 0; k < 1000; k++)
        {
            BlockQuantizer.Quantize(mx, values, codes);
            BlockQuantizer.Quantize(nv, values.AsSpan(0, 16), codes);
        }
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }
}
