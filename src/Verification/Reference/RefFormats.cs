using System.Collections.Concurrent;
using System.Numerics;
using Mantissa.Arch;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

using Mantissa.Sim.Pe;

namespace Mantissa.Verification.Reference;

/// <summary>
/// Reference decoding and rounding written from the format definitions with exact rationals: float value formulas,
/// the posit bit-string walk, and rounding by nearest-value search (posit midpoints are the posit(n+1) values between).
/// Independent of the datapath codecs in <c>Mantissa.Sim.Pe.Hw</c>.
/// </summary>
public static class RefFormats
{
    public static RefValue Decode(ScalarFormat f, uint code) => Decode(f, (ulong)code);

    /// <summary>The value of a code of up to 64 bits (integer results of an int33..int64 accumulator).</summary>
    public static RefValue Decode(ScalarFormat f, ulong code) => f is IntFormat wide
        ? RefValue.Of(IntValue(wide, code))
        : DecodeNarrow(f, (uint)code);

    private static RefValue DecodeNarrow(ScalarFormat f, uint code) => f switch
    {
        FloatFormat ff => DecodeFloat(ff, code),
        PositFormat p => DecodePosit(p.PositBits, p.Es, code),
        IntFormat i => RefValue.Of(IntValue(i, code)),
        BitModFormat b => RefValue.Of(b.Value(code)),
        AntFormat a => RefValue.Of(AntValue(a, code)),
        E8M0Format => (code & 0xFF) == 0xFF ? RefValue.NaN : RefValue.Of(Rational.Pow2((int)(code & 0xFF) - 127)),
        _ => throw new MantissaException($"no reference decoder for {f.Name}"),
    };

    private static readonly ConcurrentDictionary<AntFormat, long[]> AntGrids = new();

    /// <summary>
    /// An ANT code's integer value from the grid ANT's public quantizer builds (ant_quantization/antquant/quant_modules.py:
    /// flint_value lists 0, exponents −(B−1)..B−2 with fewer mantissa bits away from 0, and the top 2^(B−1); pot_value lists 0 and
    /// 2^0..2^(2^B−2)), rescaled so the smallest nonzero value is 1 and indexed by the sign-magnitude code's magnitude.
    /// </summary>
    public static long AntValue(AntFormat f, uint code)
    {
        var grid = AntGrids.GetOrAdd(f, BuildAntGrid);
        int b = f.MagnitudeBits;
        long mag = grid[code & ((1u << b) - 1)];
        return f.Signed && ((code >> b) & 1) != 0 ? -mag : mag;
    }

    private static long[] BuildAntGrid(AntFormat f)
    {
        int b = f.MagnitudeBits;
        var values = new List<Rational> { Rational.Zero };
        if (f.Type == AntType.Pot)
            for (int i = 0; i < (1 << b) - 1; i++) values.Add(Rational.Pow2(i));
        else
        {
            for (int i = 0; i <= b - 1; i++)                   // negative exponents −(i+1) with B−(i+2) mantissa bits
            {
                int mant = b - (i + 2);
                if (mant < 0) continue;
                for (int j = 0; j < 1 << mant; j++) values.Add(Rational.Pow2(-(i + 1)) * new Rational((1 << mant) + j, 1 << mant));
            }
            for (int j = 0; j < 1 << (b - 2); j++) values.Add(new Rational((1 << (b - 2)) + j, 1 << (b - 2)));
            for (int i = 1; i < b - 1; i++)
            {
                int mant = b - i - 2;
                for (int j = 0; j < 1 << mant; j++) values.Add(Rational.Pow2(i) * new Rational((1 << mant) + j, 1 << mant));
            }
            values.Add(Rational.Pow2(b - 1));
        }
        values.Sort();
        var unit = values[1];
        return values.Select(v => (long)(v / unit).Num).ToArray();
    }

    public static long IntValue(IntFormat f, uint code) => (long)IntValue(f, (ulong)code);

    /// <summary>An integer code's value from the definition: the low IntBits bits, minus 2^IntBits when a signed code's top bit is set.</summary>
    public static BigInteger IntValue(IntFormat f, ulong code)
    {
        var raw = new BigInteger(code) % (BigInteger.One << f.IntBits);
        return f.Signed && raw >= BigInteger.One << (f.IntBits - 1) ? raw - (BigInteger.One << f.IntBits) : raw;
    }

    public static RefValue DecodeFloat(FloatFormat f, uint code)
    {
        int m = f.MantissaBits, e = f.ExponentBits;
        bool s = ((code >> (e + m)) & 1) == 1;
        int E = (int)((code >> m) & ((1u << e) - 1));
        long F = code & ((1L << m) - 1);
        int top = (1 << e) - 1;
        if (E == top && f.Flavor == FloatFlavor.Ieee) return F == 0 ? RefValue.Inf(s) : RefValue.NaN;
        if (E == top && f.Flavor == FloatFlavor.OcpE4M3 && F == (1L << m) - 1) return RefValue.NaN;
        Rational v = E == 0
            ? Rational.Pow2(1 - f.Bias) * new Rational(F, BigInteger.One << m)
            : Rational.Pow2(E - f.Bias) * (Rational.One + new Rational(F, BigInteger.One << m));
        if (v.IsZero) return s ? RefValue.NegZero : RefValue.Zero;
        return RefValue.Of(s ? -v : v);
    }

    public static RefValue DecodePosit(int n, int es, uint code) => DecodePosit(n, es, (ulong)code);

    /// <summary>Decodes a posit of up to 63 bits (posit(33, es) midpoints of posit32 need more than a uint).</summary>
    public static RefValue DecodePosit(int n, int es, ulong code)
    {
        ulong mask = (1UL << n) - 1;
        ulong c = code & mask;
        if (c == 0) return RefValue.Zero;
        if (c == 1UL << (n - 1)) return RefValue.NaN;
        bool neg = (c >> (n - 1)) == 1;
        if (neg) c = ((1UL << n) - c) & mask;
        // Walk the bits after the sign, MSB first.
        var bits = new List<int>();
        for (int i = n - 2; i >= 0; i--) bits.Add((int)((c >> i) & 1));
        int pos = 0, first = bits[0], run = 0;
        while (pos < bits.Count && bits[pos] == first) { run++; pos++; }
        pos++;                                              // terminating bit (if any)
        int k = first == 1 ? run - 1 : -run;
        int exp = 0;
        for (int i = 0; i < es; i++) exp = 2 * exp + (pos < bits.Count ? bits[pos++] : 0);
        BigInteger frac = 0;
        int fb = 0;
        for (; pos < bits.Count; pos++, fb++) frac = 2 * frac + bits[pos];
        var v = Rational.Pow2(k * (1 << es) + exp) * (Rational.One + new Rational(frac, BigInteger.One << fb));
        return RefValue.Of(neg ? -v : v);
    }

    /// <summary>Rounds <paramref name="x"/> into <paramref name="f"/> (RNE; integers saturate) and returns the code.</summary>
    public static ulong Round(ScalarFormat f, RefValue x) => f switch
    {
        FloatFormat ff => RoundFloat(ff, x),
        PositFormat p => x.IsFinite ? RoundPosit(p, x.V) : 1u << (p.PositBits - 1),
        IntFormat i => x.IsFinite ? RoundInt(i, x.V) : throw new MantissaException("integer output cannot hold NaN or infinity"),
        _ => throw new MantissaException($"no reference rounding into {f.Name}"),
    };

    /// <summary>RNE to an integer, clamped to the format's range, as its two's-complement (or unsigned) code.</summary>
    public static ulong RoundInt(IntFormat f, Rational x)
    {
        var n = BigInteger.Clamp(x.RoundHalfEven(), f.MinValue, f.MaxValue);
        var mod = BigInteger.One << f.IntBits;
        return (ulong)(((n % mod) + mod) % mod);
    }

    /// <summary>Largest finite value of a float format, from its definition.</summary>
    public static Rational MaxFinite(FloatFormat f)
    {
        int m = f.MantissaBits, top = (1 << f.ExponentBits) - 1;
        return f.Flavor switch
        {
            FloatFlavor.Ieee => Rational.Pow2(top - 1 - f.Bias) * (2 - Rational.Pow2(-m)),
            FloatFlavor.OcpE4M3 => Rational.Pow2(top - f.Bias) * (2 - Rational.Pow2(1 - m)),
            _ => Rational.Pow2(top - f.Bias) * (2 - Rational.Pow2(-m)),
        };
    }

    private static readonly ConcurrentDictionary<FloatFormat, (Rational max, uint code)> MaxCache = new();

    public static uint RoundFloat(FloatFormat f, RefValue x)
    {
        int m = f.MantissaBits, e = f.ExponentBits;
        uint sign = 1u << (e + m);
        var (max, maxCode) = MaxCache.GetOrAdd(f, ff => (MaxFinite(ff), EncodeFloat(ff, MaxFinite(ff))));
        uint infCode = f.Flavor == FloatFlavor.Ieee ? ((1u << e) - 1) << m : maxCode;
        if (x.Class == OperandClass.NaN)
            return f.Flavor switch
            {
                FloatFlavor.Ieee => (((1u << e) - 1) << m) | (1u << (m - 1)),
                FloatFlavor.OcpE4M3 => (((1u << e) - 1) << m) | ((1u << m) - 1),
                _ => maxCode,
            };
        if (x.Class == OperandClass.Inf) return (x.InfNeg ? sign : 0) | infCode;
        if (x.V.IsZero) return x.InfNeg ? sign : 0;
        bool neg = x.V.Sign < 0;
        var a = x.V.Abs();
        int emin = 1 - f.Bias;
        int ex = Math.Max(a.FloorLog2(), emin);
        var ulp = Rational.Pow2(ex - m);
        var n = (a / ulp).RoundHalfEven();
        var v = new Rational(n, 1) * ulp;
        if (v.IsZero) return neg ? sign : 0;   // an underflow to zero keeps the sign
        uint code = v > max ? infCode : EncodeFloat(f, v);
        return (neg ? sign : 0) | code;
    }

    /// <summary>Code of a positive representable value.</summary>
    private static uint EncodeFloat(FloatFormat f, Rational v)
    {
        int m = f.MantissaBits, emin = 1 - f.Bias;
        if (v < Rational.Pow2(emin)) return (uint)(v / Rational.Pow2(emin - m)).Floor();
        int ex = v.FloorLog2();
        var frac = v / Rational.Pow2(ex - m) - Rational.Pow2(m);
        return ((uint)(ex + f.Bias) << m) | (uint)frac.Floor();
    }

    private static readonly ConcurrentDictionary<(int, int), Rational[]> PositTables = new();

    /// <summary>Values of the positive codes 1 .. 2^(n−1)−1 of posit(n, es), in code order (which is value order).</summary>
    private static Rational[] PositValues(int n, int es) => PositTables.GetOrAdd((n, es), _ =>
    {
        var t = new Rational[(1 << (n - 1)) - 1];
        for (int c = 1; c < 1 << (n - 1); c++) t[c - 1] = DecodePosit(n, es, (uint)c).V;
        return t;
    });

    public static uint RoundPosit(PositFormat p, Rational x)
    {
        int n = p.PositBits;
        if (x.IsZero) return 0;
        var a = x.Abs();
        uint c = n <= 16 ? NearestPositTable(n, p.Es, a) : NearestPositSearch(n, p.Es, a);
        uint mask = n == 32 ? uint.MaxValue : (1u << n) - 1;
        return x.Sign < 0 ? (0u - c) & mask : c;
    }

    /// <summary>Positive code nearest to <paramref name="a"/> &gt; 0 from tables of every posit(n) and posit(n+1) value.</summary>
    private static uint NearestPositTable(int n, int es, Rational a)
    {
        var vals = PositValues(n, es);
        var mids = PositValues(n + 1, es);
        if (a >= vals[^1]) return (uint)vals.Length;
        if (a <= vals[0]) return 1;
        int lo = 0, hi = vals.Length - 1;                // vals[lo] <= a < vals[hi]
        while (hi - lo > 1) { int mid = (lo + hi) / 2; if (vals[mid] <= a) lo = mid; else hi = mid; }
        uint cl = (uint)(lo + 1);
        var midpoint = mids[(int)(2 * cl + 1) - 1];     // posit(n+1) code 2c+1 lies between codes c and c+1
        int cmp = a.CompareTo(midpoint);
        return cmp < 0 ? cl : cmp > 0 ? cl + 1 : (cl % 2 == 0 ? cl : cl + 1);
    }

    /// <summary>
    /// The same definition for posits too wide to tabulate (n ≤ 32): binary search over the positive codes, which are
    /// in value order, decoding each probe; the tie-breaking midpoint is the posit(n+1) value of code 2c+1.
    /// </summary>
    private static uint NearestPositSearch(int n, int es, Rational a)
    {
        ulong top = (1UL << (n - 1)) - 1;                 // maxpos
        if (a >= DecodePosit(n, es, top).V) return (uint)top;
        if (a <= DecodePosit(n, es, 1UL).V) return 1;
        ulong lo = 1, hi = top;                           // value(lo) <= a < value(hi)
        while (hi - lo > 1)
        {
            ulong mid = lo + (hi - lo) / 2;
            if (DecodePosit(n, es, mid).V <= a) lo = mid; else hi = mid;
        }
        int cmp = a.CompareTo(DecodePosit(n + 1, es, 2 * lo + 1).V);
        return (uint)(cmp < 0 ? lo : cmp > 0 ? lo + 1 : (lo % 2 == 0 ? lo : lo + 1));
    }
}
