using System.Numerics;

namespace Mantissa.Arch.Numerics;

/// <summary>
/// Codec of the monotone sign-magnitude table formats (ANT flint/pot, OliVe abfloat): decode reads the bit fields,
/// encode rounds once onto the ascending magnitude table (ties to the even code). There is no infinity or NaN:
/// overflow saturates, ±inf encodes as ±max, NaN as +0; unsigned formats clamp negative values to 0.
/// </summary>
internal sealed class SignMagnitudeTableCodec : FormatCodec
{
    private readonly Func<ulong, (ulong Sig, int Exp)> _magnitude;
    private readonly MagnitudeTable _table;
    private readonly bool _signed;
    private readonly ulong _signBit, _magMask;
    private readonly int _magBits;

    public SignMagnitudeTableCodec(ScalarFormat f, int magnitudeBits, bool signed, Func<ulong, (ulong, int)> magnitude) : base(f)
    {
        _signed = signed;
        _magBits = magnitudeBits;
        _magnitude = magnitude;
        _signBit = signed ? 1UL << magnitudeBits : 0;
        _magMask = (1UL << magnitudeBits) - 1;
        var mags = new (ulong, int)[1 << magnitudeBits];
        for (ulong c = 0; c < (ulong)mags.Length; c++) mags[c] = magnitude(c);
        _table = new MagnitudeTable(mags);
        MaxFiniteCode = _magMask;
    }

    public override ulong MaxFiniteCode { get; }

    public override Decoded Decode(ulong code)
    {
        code &= Mask;
        bool neg = _signed && (code & _signBit) != 0;
        ulong mc = code & _magMask;
        var (sig, exp) = _magnitude(mc);
        if (sig == 0) return new Decoded(NumberClass.Zero, neg, 0, 0, new DecodedFields(neg ? 1 : 0, 0, 0, 0, 0, 0, mc, _magBits));
        int lead = exp + 63 - BitOperations.LeadingZeroCount(sig);
        var fields = new DecodedFields(neg ? 1 : 0, 0, 0, 0, 0, lead, mc, _magBits);
        return new Decoded(NumberClass.Normal, neg, sig, exp, fields);
    }

    internal override ulong EncodeUnrounded(in Unrounded u, MagnitudeRounding mode, bool saturate, Random? rng)
    {
        if (u.Negative && !_signed)
        {
            // Unsigned: a negative value rounds up to 0 at best (as unsigned integers clamp).
            return 0;
        }
        ulong idx = (ulong)_table.Round(u, mode, rng);
        return (u.Negative ? _signBit : 0) | idx;
    }

    internal override ulong EncodeNaN() => 0;
    internal override ulong EncodeInfinity(bool negative, bool saturate) =>
        negative ? (_signed ? _signBit | MaxFiniteCode : 0) : MaxFiniteCode;
    internal override ulong EncodeZero(bool negative) => negative ? _signBit : 0;
}
