namespace Mantissa.Arch.Numerics;

/// <summary>
/// Codec of two's-complement / unsigned integers and ternary. Out-of-range values saturate (integers have no
/// overflow code); NaN encodes as 0, except ternary, where it takes the unused code 10.
/// </summary>
internal sealed class IntCodec : FormatCodec
{
    private readonly long _min, _max;
    private readonly bool _signed, _ternary;

    public IntCodec(ScalarFormat f, long min, long max) : base(f)
    {
        _min = min; _max = max; _signed = min < 0; _ternary = f is TernaryFormat;
    }

    public long MinValue => _min;
    public long MaxValue => _max;
    public override ulong MaxFiniteCode => (ulong)_max;

    /// <summary>The integer a code stands for (two's complement for signed formats).</summary>
    public long ToInteger(ulong code)
    {
        code &= Mask;
        if (_signed && (code >> (Bits - 1)) != 0) return (long)code - (1L << Bits);
        return (long)code;
    }

    public ulong FromInteger(long v) => (ulong)Math.Clamp(v, _min, _max) & Mask;

    public override Decoded Decode(ulong code)
    {
        code &= Mask;
        long v = ToInteger(code);
        bool neg = v < 0;
        ulong mag = neg ? (ulong)(-v) : (ulong)v;
        var fields = new DecodedFields(_signed && neg ? 1 : 0, 0, 0, 0, 0, 0, code, Bits);
        if (_ternary && v == -2) return new Decoded(NumberClass.NaN, false, 0, 0, fields);
        return new Decoded(v == 0 ? NumberClass.Zero : NumberClass.Normal, neg, mag, 0, fields);
    }

    internal override ulong EncodeUnrounded(in Unrounded u, MagnitudeRounding mode, bool saturate, Random? rng)
    {
        if (u.Exp >= 40) return u.Negative ? FromInteger(_min) : FromInteger(_max);
        ulong q = u.RoundAt(127 - u.Exp, mode, rng);   // quantum 2^0
        long v = u.Negative ? -(long)q : (long)q;
        return FromInteger(v);
    }

    internal override ulong EncodeNaN() => _ternary ? 2UL : 0UL;
    internal override ulong EncodeInfinity(bool negative, bool saturate) => FromInteger(negative ? _min : _max);
    internal override ulong EncodeZero(bool negative) => 0;
}
