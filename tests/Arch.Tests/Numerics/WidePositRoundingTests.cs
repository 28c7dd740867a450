using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>
/// Wide posits (too many codes for the sorted-table oracle) checked locally: the encoded code c must lie between the
/// (n+1)-bit midpoint patterns 2c−1 and 2c+1, decoded by the test's own string-based posit decoder.
/// </summary>
public class WidePositRoundingTests
{
    [Theory]
    [InlineData(32, 2, 51)]
    [InlineData(32, 4, 52)]
    [InlineData(32, 0, 53)]
    [InlineData(24, 3, 54)]
    public void NearestEvenOnThePattern(int n, int es, int seed)
    {
        var f = (ScalarFormat)NumberFormat.Parse($"posit{n}es{es}");
        long maxScale = (long)(n - 2) << es;
        var rng = new Random(seed);
        ulong maxpos = (1UL << (n - 1)) - 1;
        for (int i = 0; i < 20_000; i++)
        {
            // Magnitudes spread over the whole range and a little beyond it.
            double x = (rng.NextDouble() + 0.5) * Math.ScaleB(1, (int)rng.NextInt64(-maxScale - 4, maxScale + 4));
            if (i % 7 == 0)
            {
                // Exact midpoints: the (n+1)-bit pattern 2c+1 of a random code c.
                ulong cc = (ulong)rng.NextInt64(1, (long)maxpos);
                x = Oracle.DecodePosit((cc << 1) | 1, n + 1, es).Value.ToDouble();
                if (Q.FromDouble(x).CompareTo(Oracle.DecodePosit((cc << 1) | 1, n + 1, es).Value) != 0) continue;
            }
            ulong c = f.FromDouble(x);
            var q = Q.FromDouble(x);
            Assert.InRange(c, 1UL, maxpos);
            if (c < maxpos)
            {
                var upper = Oracle.DecodePosit((c << 1) | 1, n + 1, es).Value;
                int cmp = q.CompareTo(upper);
                Assert.True(cmp < 0 || (cmp == 0 && (c & 1) == 0), $"posit{n}es{es} {x:R} → {c:x} is below the midpoint {upper.ToDouble():R}");
            }
            if (c > 1)
            {
                var lower = Oracle.DecodePosit((c << 1) - 1, n + 1, es).Value;
                int cmp = q.CompareTo(lower);
                Assert.True(cmp > 0 || (cmp == 0 && (c & 1) == 0), $"posit{n}es{es} {x:R} → {c:x} is above the midpoint {lower.ToDouble():R}");
            }
            // Negative values mirror by two's complement.
            Assert.Equal(((1UL << n) - c) & ((1UL << n) - 1), f.FromDouble(-x));
        }
    }
}
