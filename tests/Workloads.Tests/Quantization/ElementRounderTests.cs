using Mantissa.Arch.Numerics;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Tests.Quantization;

public class ElementRounderTests
{
    [Fact]
    public void Fp16RoundsBitForBitLikeTheTableEverywhere()
    {
        // The fp16 fast path (the runtime's Half conversion, saturated) against the 65,536-entry table, itself checked
        // against the codec (RoundingTableTests): every value, every midpoint and their neighbours, ±0, ±beyond range.
        var f = (ScalarFormat)NumberFormat.Parse("fp16");
        var rounder = new ElementRounder(f);
        var table = RoundingTable.For(f)!;
        var codec = f.Codec;
        var values = Enumerable.Range(0, 1 << 16).Select(c => codec.ToDouble((ulong)c)).Where(double.IsFinite).Distinct().OrderBy(x => x).ToArray();
        Assert.Equal(65536 - 2048 - 1, values.Length); // 2 infinities and 2,046 NaNs excluded, ±0 merged
        var probes = new List<double> { 0.0, -0.0, 1e300, -1e300, 65504, 65519.99, 65520, 65536, -65520, double.Epsilon, -double.Epsilon };
        foreach (var v in values) { probes.Add(v); probes.Add(Math.BitIncrement(v)); probes.Add(Math.BitDecrement(v)); }
        for (int i = 0; i + 1 < values.Length; i++)
        {
            double mid = values[i] / 2 + values[i + 1] / 2;
            probes.Add(mid); probes.Add(Math.BitIncrement(mid)); probes.Add(Math.BitDecrement(mid));
        }
        var rng = new Xoshiro256StarStar(7);
        for (int i = 0; i < 100000; i++) probes.Add((rng.NextDouble() * 2.4 - 1.2) * 65504 * Math.Pow(2, -rng.NextInt(40)));
        int checkedCount = 0;
        foreach (var x in probes)
        {
            double want = table.Round(x), got = rounder.Round(x);
            Assert.True(want == got && (want != 0 || double.IsNegative(want) == double.IsNegative(got)),
                $"x={x:R}: table {want:R} fast path {got:R}");
            checkedCount++;
        }
        Assert.True(checkedCount > 390000);
        Assert.True(double.IsNaN(rounder.Round(double.NaN)));
        Assert.Equal(65504, rounder.Round(double.PositiveInfinity));
        Assert.Equal(-65504, rounder.Round(double.NegativeInfinity));
    }
}
