using Mantissa.Arch.Numerics;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Quantization;

public class RoundingTableTests
{
    [Theory]
    [InlineData("fp4e2m1")]
    [InlineData("fp6e2m3")]
    [InlineData("fp6e3m2")]
    [InlineData("fp8e4m3")]
    [InlineData("fp8e5m2")]
    [InlineData("int4")]
    [InlineData("int8")]
    [InlineData("uint4")]
    [InlineData("ternary")]
    [InlineData("posit8es1")]
    [InlineData("posit8es2")]
    [InlineData("fp16")]
    [InlineData("flint4")]
    [InlineData("uflint8")]
    [InlineData("pot4")]
    [InlineData("abfloat4")]
    public void TableRoundingEqualsTheCodecEverywhere(string name)
    {
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var table = RoundingTable.For(f)!;
        var codec = f.Codec;
        double Codec(double x) => codec.ToDouble(codec.FromDouble(x, RoundingMode.Rne, saturate: true));
        var probes = new List<double>();
        // Every representable value, every midpoint and their immediate neighbours (the tie cases), ±beyond range.
        for (ulong c = 0; c < 1UL << f.Bits; c++)
        {
            double v = codec.ToDouble(c);
            if (!double.IsFinite(v)) continue;
            probes.Add(v); probes.Add(Math.BitIncrement(v)); probes.Add(Math.BitDecrement(v));
        }
        var sorted = probes.Where(double.IsFinite).Distinct().OrderBy(x => x).ToList();
        for (int i = 0; i + 1 < sorted.Count; i += 3)
        {
            double mid = sorted[i] / 2 + sorted[i + 1] / 2;
            probes.Add(mid); probes.Add(Math.BitIncrement(mid)); probes.Add(Math.BitDecrement(mid));
        }
        var rng = new Xoshiro256StarStar(5);
        double max = codec.MaxFiniteValue;
        for (int i = 0; i < 20000; i++) probes.Add((rng.NextDouble() * 2.4 - 1.2) * max);
        probes.Add(1e300); probes.Add(-1e300);
        foreach (var x in probes)
            Assert.True(Codec(x) == table.Round(x), $"{name}: x={x:R} codec {Codec(x):R} table {table.Round(x):R}");
    }

    [Theory]
    [InlineData("int4")]
    [InlineData("fp4e2m1")]
    [InlineData("fp8e4m3")]
    public void QuotientRoundingEqualsExactDivisionThenOneRounding(string name)
    {
        // Scales with a full 53-bit significand make v/s land exactly on a midpoint while the true quotient is
        // off it; the reference divides exactly (ExactValue) and rounds once with the codec.
        var f = (ScalarFormat)NumberFormat.Parse(name);
        var table = RoundingTable.For(f)!;
        var codec = f.Codec;
        var values = Enumerable.Range(0, 1 << f.Bits).Select(c => codec.ToDouble((ulong)c)).Where(double.IsFinite).Distinct().OrderBy(x => x).ToArray();
        var rng = new Xoshiro256StarStar(12);
        int onMidpoint = 0;
        for (int i = 0; i < 20000; i++)
        {
            int k = rng.NextInt(values.Length - 1);
            double mid = values[k] / 2 + values[k + 1] / 2;
            double s = 0.01 + rng.NextDouble();
            double v = mid * s;
            foreach (var x in new[] { v, Math.BitIncrement(v), Math.BitDecrement(v) })
            {
                if (x / s == mid) onMidpoint++;
                double exact = codec.ToDouble(codec.Encode(ExactValue.FromDouble(x) / ExactValue.FromDouble(s), RoundingMode.Rne, saturate: true));
                Assert.True(exact == table.RoundQuotient(x, s), $"{name}: {x:R}/{s:R} exact {exact} table {table.RoundQuotient(x, s)}");
            }
        }
        Assert.True(onMidpoint > 1000); // the hard case really was exercised
    }

    [Theory]
    [InlineData("mxfp4")]
    [InlineData("mxfp6e2m3")]
    [InlineData("mxfp8e4m3")]
    [InlineData("mxfp8e5m2")]
    [InlineData("mxint8")]
    [InlineData("nvfp4")]
    public void FastBlockPathEqualsTheBlockQuantizer(string name)
    {
        var f = (BlockFormat)NumberFormat.Parse(name);
        foreach (var dist in new[] { SyntheticDistribution.StudentT, SyntheticDistribution.OutlierChannels })
        {
            var t = SyntheticTensorGenerator.Generate(new SyntheticTensorSpec(dist, 1 << 16, Seed: 8));
            var q = new BlockSegmentQuantizer(f, t.Values);
            var fast = new double[f.BlockSize];
            var slow = new double[f.BlockSize];
            for (int b = 0; b < t.Count; b += f.BlockSize)
            {
                var blk = t.Values.AsSpan(b, f.BlockSize);
                q.Quantize(blk, fast);
                q.Reference(blk, slow);
                Assert.Equal(slow, fast);
            }
        }
    }
}
