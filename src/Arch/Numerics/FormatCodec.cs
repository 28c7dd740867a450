using System.Runtime.CompilerServices;

namespace Mantissa.Arch.Numerics;

/// <summary>
/// Decodes and encodes the codes of one scalar format, exactly. Obtain one with <see cref="For"/> and keep it in hot
/// loops; <see cref="ToDouble"/> and <see cref="FromDouble"/> allocate nothing.
/// </summary>
public abstract class FormatCodec
{
    // By reference first (cheap), then by value so equal formats parsed separately share one codec and its table.
    private static readonly ConditionalWeakTable<ScalarFormat, FormatCodec> Cache = new();
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<ScalarFormat, FormatCodec> ByValue = new();
    private double[]? _table;

    protected FormatCodec(ScalarFormat format)
    {
        Format = format;
        Bits = format.Bits;
        Mask = Bits >= 64 ? ulong.MaxValue : (1UL << Bits) - 1;
    }

    public ScalarFormat Format { get; }
    public int Bits { get; }
    /// <summary>All-ones mask of the code width; codes are taken modulo 2^Bits.</summary>
    public ulong Mask { get; }

    /// <summary>The codec of <paramref name="format"/> (cached per format instance).</summary>
    public static FormatCodec For(ScalarFormat format) =>
        Cache.TryGetValue(format, out var codec) ? codec : Cache.GetValue(format, f => ByValue.GetOrAdd(f, Create));

    private static FormatCodec Create(ScalarFormat f) => f switch
    {
        FloatFormat ff => new FloatCodec(ff),
        PositFormat pf => new PositCodec(pf),
        IntFormat inf => new IntCodec(inf, inf.MinValue, inf.MaxValue),
        TernaryFormat tf => new IntCodec(tf, -1, 1),
        E8M0Format ef => new E8M0Codec(ef),
        AntFormat af => new SignMagnitudeTableCodec(af, af.MagnitudeBits, af.Signed, af.Magnitude),
        AbFloatFormat ab => new SignMagnitudeTableCodec(ab, ab.Bits - 1, true, ab.Magnitude),
        _ => throw new MantissaException($"no codec for format '{f.Name}'"),
    };

    /// <summary>Class, exact value and fields of <paramref name="code"/> (bits above the width are ignored).</summary>
    public abstract Decoded Decode(ulong code);

    /// <summary>The largest finite positive code.</summary>
    public abstract ulong MaxFiniteCode { get; }

    public double MaxFiniteValue => ToDouble(MaxFiniteCode);

    /// <summary>Encodes an exact value with one rounding. Overflow follows the format's standard unless <paramref name="saturate"/>.</summary>
    public ulong Encode(ExactValue v, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null) => v.Kind switch
    {
        ExactKind.NaN => EncodeNaN(),
        ExactKind.Infinity => EncodeInfinity(v.Negative, saturate),
        ExactKind.Zero => EncodeZero(v.Negative),
        _ => EncodeFinite(v.ToUnrounded(), mode, saturate, rng),
    };

    /// <summary>Encodes a double (an exact dyadic value) with one rounding; allocation-free.</summary>
    public ulong FromDouble(double x, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        if (double.IsNaN(x)) return EncodeNaN();
        if (double.IsInfinity(x)) return EncodeInfinity(x < 0, saturate);
        if (x == 0) return EncodeZero(double.IsNegative(x));
        return EncodeFinite(Unrounded.FromDouble(x), mode, saturate, rng);
    }

    /// <summary>The value of <paramref name="code"/> as a double: exact for every format of at most 53 significant bits
    /// (all but the integers wider than 53 bits, whose values round to the nearest double).</summary>
    public double ToDouble(ulong code)
    {
        code &= Mask;
        if (Bits <= 16)
        {
            var t = _table ??= BuildTable();
            return t[code];
        }
        return Compute(code);
    }

    private double[] BuildTable()
    {
        var t = new double[1 << Bits];
        for (ulong c = 0; c < (ulong)t.Length; c++) t[c] = Compute(c);
        return t;
    }

    private double Compute(ulong code)
    {
        var d = Decode(code);
        double v = d.Class switch
        {
            NumberClass.NaN => double.NaN,
            NumberClass.Infinity => double.PositiveInfinity,
            NumberClass.Zero => 0.0,
            _ => Math.ScaleB(d.Significand, d.Exponent),
        };
        return d.Negative ? -v : v;
    }

    /// <summary>Rounds a nonzero finite value.</summary>
    internal ulong EncodeFinite(in Unrounded u, RoundingMode mode, bool saturate, Random? rng) =>
        EncodeUnrounded(u, MagnitudeRoundingOf.For(mode, u.Negative), saturate, rng);

    internal abstract ulong EncodeUnrounded(in Unrounded u, MagnitudeRounding mode, bool saturate, Random? rng);
    internal abstract ulong EncodeNaN();
    internal abstract ulong EncodeInfinity(bool negative, bool saturate);
    internal abstract ulong EncodeZero(bool negative);
}
