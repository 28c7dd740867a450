namespace Mantissa.Arch.Numerics;

/// <summary>
/// Codec of two's-complement / unsigned integers (up to 64 bits) and ternary. Out-of-range values saturate (integers
/// have no overflow code); NaN encodes as 0, except ternary, where it takes the unused code 10.
/// </summary>
internal sealed class IntCodec : FormatCodec
{
    private readonly Int128 _min, _max;
    private readonly bool _signed, _ternary;

    public IntCodec(ScalarFormat f, Int128 min, Int128 max) : base(f)
    {
        _min = min; _max = max; _signed = min < 0; _ternary = f is TernaryFormat;
    }

    public Int128 MinValue => _min;
    public Int128 MaxValue => _max;
    public override ulong MaxFiniteCode => (ulong)_max;

    /// <summary>The integer a code stands for (two's complement for signed formats).</summary>
    public Int128 ToInteger(ulong code)
    {
        code &= Mask;
        if (_signed && (code >> (Bits - 1)) != 0) return (Int128)code - (Int128.One << Bits);
        return code;
    }

    public ulong FromInteger(Int128 v) => (ulong)Int128.Clamp(v, _min, _max) & Mask;

    public override Decoded Decode(ulong code)
    {
        code &= Mask;
        Int128 v = ToInteger(code);
        bool neg = v < 0;
        ulong mag = (ulong)Int128.Abs(v);                 // ≤ 2^64 − 1 (uint64) or 2^63 (int64's minimum)
        var fields = new DecodedFields(_signed && neg ? 1 : 0, 0, 0, 0, 0, 0, code, Bits);
        if (_ternary && v == -2) return new Decoded(NumberClass.NaN, false, 0, 0, fields);
        return new Decoded(v == 0 ? NumberClass.Zero : NumberClass.Normal, neg, mag, 0, fields);
    }

    internal override ulong EncodeUnrounded(in Unrounded u, MagnitudeRounding mode, bool saturate, Random? rng)
    {
        // |x| ≥ 2^64 is beyond every integer format's range (uint64's maximum is 2^64 − 1).
        if (u.Exp >= 64) return u.Negative ? FromInteger(_min) : FromInteger(_max);
        ulong q = u.RoundAt(127 - u.Exp, mode, rng);   // quantum 2^0
        // 2^63 ≤ |x| < 2^64 rounding up to 2^64 wraps q to 0: that is beyond every range too.
        if (u.Exp == 63 && q == 0) return u.Negative ? FromInteger(_min) : FromInteger(_max);
        Int128 v = u.Negative ? -(Int128)q : q;
        return FromInteger(v);
    }

    internal override ulong EncodeNaN() => _ternary ? 2UL : 0UL;
    internal override ulong EncodeInfinity(bool negative, bool saturate) => FromInteger(negative ? _min : _max);
    internal override ulong EncodeZero(bool negative) => 0;
}
