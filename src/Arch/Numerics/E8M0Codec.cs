namespace Mantissa.Arch.Numerics;

/// <summary>
/// Codec of the OCP MX scale E8M0: code x is 2^(x−127), 0xFF is NaN. Rounding is in the value domain (the midpoint of
/// 2^k and 2^(k+1) is 1.5·2^k). Zero and values below 2^−127 clamp to code 0; negative values are NaN; values above
/// 2^127 are NaN unless saturating (then 0xFE).
/// </summary>
internal sealed class E8M0Codec : FormatCodec
{
    public E8M0Codec(E8M0Format f) : base(f) { }

    public override ulong MaxFiniteCode => 0xFE;

    public override Decoded Decode(ulong code)
    {
        code &= 0xFF;
        var fields = new DecodedFields(0, 0, 0, (uint)code, 8, (int)code - 127, 0, 0);
        return code == 0xFF ? new Decoded(NumberClass.NaN, false, 0, 0, fields)
                            : new Decoded(NumberClass.Normal, false, 1, (int)code - 127, fields);
    }

    internal override ulong EncodeUnrounded(in Unrounded u, MagnitudeRounding mode, bool saturate, Random? rng)
    {
        if (u.Negative) return 0xFF;
        ulong q = u.RoundAt(127, mode, rng);           // 1 or 2 (a carry into the next power of two)
        bool tie = mode == MagnitudeRounding.NearestEven && !u.Sticky && u.Sig == (UInt128)3 << 126;
        long e = (long)u.Exp + (q == 2 ? 1 : 0);
        if (tie) e = u.Exp + ((u.Exp + 127) & 1);       // ties go to the even code
        long code = e + 127;
        if (code < 0) return 0;
        if (code > 0xFE) return saturate ? 0xFEUL : 0xFFUL;
        return (ulong)code;
    }

    internal override ulong EncodeNaN() => 0xFF;
    internal override ulong EncodeInfinity(bool negative, bool saturate) => negative ? 0xFFUL : saturate ? 0xFEUL : 0xFFUL;
    internal override ulong EncodeZero(bool negative) => 0;
}
