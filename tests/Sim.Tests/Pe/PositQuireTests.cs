using System.Numerics;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;
using Mantissa.Sim.Pe.Hw;
using Mantissa.Verification.Reference;

namespace Mantissa.Sim.Tests.Pe;

/// <summary>
/// posit_mac quires for posit8/16/32 with es 0..3 against an exact oracle: over a million random dot products each for
/// posit16 es2 and posit32 es2 (both need registers wider than 126 bits), more for the other exponent sizes, and the
/// special cases (NaR, maxpos/minpos products, cancellation to exactly zero). Exhaustive posit8 pairs for every es are
/// in <see cref="PeDatapathCheckTests"/> (configurations posit8es0..es3).
/// </summary>
public class PositQuireTests
{
    private static PositMacPe Pe(string w, string a, string acc, ScalarFormat? output = null) =>
        new(new PeSpec(PeKind.PositMac, NumberFormat.Parse(w), NumberFormat.Parse(a), NumberFormat.Parse(acc), 1, new PeParameters()), output);

    [Theory]
    [InlineData(8, 0)]
    [InlineData(8, 3)]
    [InlineData(16, 2)]
    public void OracleDecoderAgreesWithTheRationalReference(int n, int es)
    {
        for (uint c = 0; c < 1u << n; c++)
        {
            var r = RefFormats.DecodePosit(n, es, c);
            bool finite = PositQuireOracle.Decode(n, es, c, out bool neg, out ulong sig, out int exp);
            Assert.Equal(r.IsFinite, finite);
            if (!finite) continue;
            var v = new Rational(neg ? -(BigInteger)sig : sig, 1) * Rational.Pow2(exp);
            Assert.True(v == r.V, $"posit{n}es{es} code {c:x}");
        }
    }

    [Theory]
    [InlineData(16, 2, 1_000_000)]
    [InlineData(32, 2, 1_000_000)]
    [InlineData(16, 0, 200_000)]
    [InlineData(16, 1, 200_000)]
    [InlineData(16, 3, 200_000)]
    [InlineData(32, 0, 200_000)]
    [InlineData(32, 1, 200_000)]
    [InlineData(32, 3, 200_000)]
    public void RandomDotProductsMatchTheOracle(int n, int es, int count)
    {
        string name = $"posit{n}es{es}";
        var oracle = new PositQuireOracle(n, es, n, es, n, es);
        const int Chunks = 16;
        long bad = 0;
        string? first = null;
        Parallel.For(0, Chunks, chunk =>
        {
            var pe = Pe(name, name, name);
            var r = new Random(1000 * n + 10 * es + chunk);
            var a = new uint[256];
            var w = new uint[256];
            for (int i = chunk; i < count; i += Chunks)
            {
                int k = Fill(r, n, a, w);
                uint got = (uint)pe.Dot(a.AsSpan(0, k), w.AsSpan(0, k), default, default).Code;
                uint want = oracle.Dot(a.AsSpan(0, k), w.AsSpan(0, k));
                if (got != want && Interlocked.Increment(ref bad) == 1)
                    first = $"K={k} a={string.Join(",", a.Take(k).Select(x => x.ToString("x")))} w={string.Join(",", w.Take(k).Select(x => x.ToString("x")))}: got {got:x}, oracle {want:x}";
            }
        });
        Assert.True(bad == 0, $"{name}: {bad}/{count} mismatches; first: {first}");
    }

    [Fact]
    public void MixedWidthsMatchTheOracle()
    {
        var pe = Pe("posit32es2", "posit16es1", "posit32es2");
        var oracle = new PositQuireOracle(16, 1, 32, 2, 32, 2);
        var r = new Random(7);
        var a = new uint[256];
        var w = new uint[256];
        for (int i = 0; i < 100_000; i++)
        {
            int k = Fill(r, 32, a, w);
            for (int j = 0; j < k; j++) a[j] &= 0xFFFF;
            uint got = (uint)pe.Dot(a.AsSpan(0, k), w.AsSpan(0, k), default, default).Code;
            Assert.Equal(oracle.Dot(a.AsSpan(0, k), w.AsSpan(0, k)), got);
        }
    }

    /// <summary>Random operands: uniform codes, values near 1 (long carries), negated pairs (cancellation), extremes, NaR.</summary>
    private static int Fill(Random r, int n, uint[] a, uint[] w)
    {
        uint mask = n == 32 ? uint.MaxValue : (1u << n) - 1;
        uint maxpos = mask >> 1, one = 1u << (n - 2), nar = 1u << (n - 1);
        int k = r.Next(10) < 9 ? r.Next(1, 9) : r.Next(1, Math.Min(a.Length, 96) + 1);
        int strategy = r.Next(6);
        for (int i = 0; i < k; i++)
        {
            a[i] = (uint)r.NextInt64(0, (long)mask + 1);
            w[i] = (uint)r.NextInt64(0, (long)mask + 1);
            if (strategy == 1) // near ±1: sums carry and cancel across many bits
            {
                a[i] = ((uint)(one + r.Next(-(1 << (n / 2)), 1 << (n / 2))) ^ (r.Next(2) == 0 ? 0 : mask) + (uint)r.Next(2)) & mask;
                w[i] = (uint)(one + r.Next(-(1 << (n / 2)), 1 << (n / 2))) & mask;
            }
            if (strategy == 3 && r.Next(3) == 0) a[i] = r.Next(4) switch { 0 => maxpos, 1 => 1, 2 => (0u - maxpos) & mask, _ => mask };
            if (strategy == 3 && r.Next(3) == 0) w[i] = r.Next(2) == 0 ? maxpos : 1;
        }
        if (strategy == 2) // exact cancellation, sometimes with one small survivor
            for (int i = 0; i + 1 < k; i += 2) { a[i + 1] = (0u - a[i]) & mask; w[i + 1] = w[i]; }
        if (strategy == 4 && r.Next(4) == 0) { if (r.Next(2) == 0) a[r.Next(k)] = nar; else w[r.Next(k)] = nar; }
        return k;
    }

    [Theory]
    [InlineData(8, 0)] [InlineData(8, 1)] [InlineData(8, 2)] [InlineData(8, 3)]
    [InlineData(16, 0)] [InlineData(16, 1)] [InlineData(16, 2)] [InlineData(16, 3)]
    [InlineData(32, 0)] [InlineData(32, 1)] [InlineData(32, 2)] [InlineData(32, 3)]
    public void SpecialCases(int n, int es)
    {
        string name = $"posit{n}es{es}";
        var pe = Pe(name, name, name);
        uint mask = n == 32 ? uint.MaxValue : (1u << n) - 1;
        uint maxpos = mask >> 1, minpos = 1, nar = 1u << (n - 1), one = 1u << (n - 2);
        uint Neg(uint c) => (0u - c) & mask;
        uint Dot(uint[] a, uint[] w) => (uint)pe.Dot(a, w, default, default).Code;

        Assert.Equal(nar, Dot(new[] { one, nar, one }, new[] { one, one, one }));                          // NaR wins
        Assert.Equal(nar, Dot(new[] { 0u }, new[] { nar }));                                              // 0 · NaR is NaR
        Assert.Equal(maxpos, Dot(new[] { maxpos, maxpos, maxpos }, new[] { maxpos, maxpos, maxpos }));    // saturates
        Assert.Equal(Neg(maxpos), Dot(new[] { maxpos }, new[] { Neg(maxpos) }));
        Assert.Equal(minpos, Dot(new[] { minpos }, new[] { minpos }));                                    // never rounds to 0
        Assert.Equal(Neg(minpos), Dot(new[] { Neg(minpos) }, new[] { minpos }));
        // maxpos² − maxpos² + minpos²: exact only if the register spans minpos² .. maxpos² (2·(n−2)·2^es·2 + 1 bits).
        Assert.Equal(minpos, Dot(new[] { maxpos, Neg(maxpos), minpos }, new[] { maxpos, maxpos, minpos }));
        Assert.Equal(0u, Dot(new[] { maxpos, minpos, Neg(maxpos), Neg(minpos) }, new[] { maxpos, minpos, maxpos, minpos })); // exactly zero
        Assert.Equal(one, Dot(new[] { one, maxpos, Neg(maxpos) }, new[] { one, minpos, minpos }));       // 1 + maxpos·minpos − maxpos·minpos
        Assert.Equal(0u, Dot(new[] { one, Neg(one) }, new[] { one, one }));

        int bits = pe.QuireBits(1 << 20);
        Assert.Equal(2 * 2 * ((n - 2) << es) + 1 + 20 + 1, bits);
    }

    [Fact]
    public void Posit32Es2QuireIsTheStandardsFiveHundredAndTwelveBits()
    {
        // Posit Standard (2022): the quire of posit(n, 2) is 16n bits: sign, 31 carry-guard bits, 8n−16 integer and
        // 8n−16 fraction bits, so minpos² .. maxpos² plus 30 bits of carries. The model's register for 2^30 terms is the same.
        Assert.Equal(512, Pe("posit32es2", "posit32es2", "posit32es2").QuireBits(1 << 30));
        Assert.Equal(256, Pe("posit16es2", "posit16es2", "posit16es2").QuireBits(1 << 30));
        Assert.Equal(128, Pe("posit8es2", "posit8es2", "posit8es2").QuireBits(1 << 30));
    }

    [Fact]
    public void WideRegisterMatchesBigIntegerSums()
    {
        var r = new Random(3);
        Span<ulong> store = stackalloc ulong[20];
        for (int trial = 0; trial < 20_000; trial++)
        {
            int lsb = -r.Next(0, 600);
            var acc = new WideFixedAccumulator(store, lsb);
            BigInteger want = 0;
            int terms = r.Next(1, 40);
            for (int i = 0; i < terms; i++)
            {
                ulong sig = (ulong)r.NextInt64() >> r.Next(0, 64);
                int exp = lsb + r.Next(0, 64 * 20 - 130);
                bool neg = r.Next(2) == 0;
                if (r.Next(5) == 0 && i > 0) { acc.Add(Operand.Finite(!neg, sig, exp)); acc.Add(Operand.Finite(neg, sig, exp)); continue; }
                acc.Add(Operand.Finite(neg, sig, exp));
                var p = (BigInteger)sig << (exp - lsb);
                want += neg ? -p : p;
            }
            var got = acc.Finish();
            Assert.Equal(want.Sign < 0, got.Neg && !got.IsZero);
            var mag = BigInteger.Abs(want);
            int len = (int)mag.GetBitLength();
            int drop = Math.Max(0, len - 126);
            var top = mag >> drop;
            if (drop > 0 && !(mag & ((BigInteger.One << drop) - 1)).IsZero) top |= 1;
            Assert.Equal(top, (BigInteger)got.Mag);
            if (!got.IsZero) Assert.Equal(lsb + drop, got.Exp);
        }
    }
}
