namespace Mantissa.Arch.Numerics;

/// <summary>
/// Codec of posit(n, es): 0 and NaR, rounding to nearest even on the bit pattern, no overflow to NaR
/// (saturates at maxpos) and no underflow to zero (minpos).
/// </summary>
internal sealed class PositCodec : FormatCodec
{
    private readonly int _n, _es;
    private readonly ulong _nar;
    private readonly long _maxScale; // maxpos = 2^_maxScale, minpos = 2^-_maxScale

    public PositCodec(PositFormat f) : base(f)
    {
        _n = f.PositBits; _es = f.Es;
        _nar = 1UL << (_n - 1);
        _maxScale = (long)(_n - 2) << _es;
    }

    public override ulong MaxFiniteCode => _nar - 1;

    public override Decoded Decode(ulong code)
    {
        code &= Mask;
        if (code == 0) return new Decoded(NumberClass.Zero, false, 0, 0, default);
        if (code == _nar) return new Decoded(NumberClass.NaN, true, 0, 0, new DecodedFields(1, 0, 0, 0, 0, 0, 0, 0));
        bool neg = (code & _nar) != 0;
        ulong p = neg ? (0 - code) & Mask : code;
        int avail = _n - 1;                         // bits after the sign
        bool first = ((p >> (avail - 1)) & 1) != 0;
        int run = 0;
        while (run < avail && (((p >> (avail - 1 - run)) & 1) != 0) == first) run++;
        int k = first ? run - 1 : -run;
        int rest = Math.Max(0, avail - run - 1);    // bits after the regime terminator
        int eLen = Math.Min(_es, rest);
        ulong restBits = rest == 0 ? 0 : p & ((1UL << rest) - 1);
        uint expo = (uint)(restBits >> (rest - eLen)) << (_es - eLen);
        int fLen = rest - eLen;
        ulong frac = fLen == 0 ? 0 : restBits & ((1UL << fLen) - 1);
        int scale = (k << _es) + (int)expo;
        var fields = new DecodedFields(neg ? 1 : 0, k, Math.Min(avail, run + 1), expo, eLen, scale, frac, fLen);
        return new Decoded(NumberClass.Normal, neg, (1UL << fLen) | frac, scale - fLen, fields);
    }

    internal override ulong EncodeUnrounded(in Unrounded u, MagnitudeRounding mode, bool saturate, Random? rng)
    {
        ulong mag;
        if (u.Exp >= _maxScale) mag = _nar - 1;        // ≥ maxpos
        else if (u.Exp < -_maxScale) mag = 1;          // < minpos
        else
        {
            int k = u.Exp >> _es;                       // floor division
            ulong expo = (ulong)(u.Exp & ((1 << _es) - 1));
            // Regime: k ≥ 0 → (k+1) ones and a zero; k < 0 → −k zeros and a one.
            int rLen = k >= 0 ? k + 2 : -k + 1;
            ulong regime = k >= 0 ? ((1UL << (k + 1)) - 1) << 1 : 1UL;
            // The pattern with 64 fraction bits; lower fraction bits and the input's sticky become the sticky bit.
            UInt128 frac = (u.Sig >> 63) & ulong.MaxValue;
            bool sticky = u.Sticky || (u.Sig & ((UInt128.One << 63) - 1)) != 0;
            UInt128 pattern = ((UInt128)regime << (_es + 64)) | ((UInt128)expo << 64) | frac;
            int len = rLen + _es + 64;
            mag = Unrounded.RoundShift(pattern, len - (_n - 1), sticky, mode, rng);
            if (mag >= _nar) mag = _nar - 1;
            if (mag == 0) mag = 1;
        }
        return u.Negative ? (0 - mag) & Mask : mag;
    }

    internal override ulong EncodeNaN() => _nar;
    internal override ulong EncodeInfinity(bool negative, bool saturate) => _nar; // posits have no infinity
    internal override ulong EncodeZero(bool negative) => 0;
}
