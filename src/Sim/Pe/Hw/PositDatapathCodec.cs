using System.Numerics;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>Bit-level posit(n, es) decoder (two's complement, regime run-length, exponent, hidden-bit fraction) and RNE encoder.</summary>
public readonly struct PositDatapathCodec
{
    private readonly int _n, _es;
    private readonly uint _mask;

    public PositDatapathCodec(PositFormat f)
    {
        _n = f.PositBits;
        _es = f.Es;
        _mask = _n == 32 ? uint.MaxValue : (1u << _n) - 1;
        Format = f;
    }

    public PositFormat Format { get; }

    public uint NaRCode => 1u << (_n - 1);

    /// <summary>Largest scale (power of two of maxpos): (n−2)·2^es.</summary>
    public int MaxScale => (_n - 2) << _es;

    public Operand Unpack(uint code)
    {
        code &= _mask;
        if (code == 0) return Operand.Zero;
        if (code == NaRCode) return Operand.NaN;
        bool neg = (code >> (_n - 1)) != 0;
        if (neg) code = (0u - code) & _mask;
        // Left-align the bits after the sign in a 32-bit word so the regime run is a leading-zero/one count.
        uint body = code << (33 - _n);
        int bodyBits = _n - 1;
        bool ones = (body >> 31) != 0;
        int run = ones ? BitOperations.LeadingZeroCount(~body) : BitOperations.LeadingZeroCount(body);
        run = Math.Min(run, bodyBits);
        int k = ones ? run - 1 : -run;
        int used = Math.Min(run + 1, bodyBits);             // regime bits plus terminator (absent when the run fills the word)
        int left = bodyBits - used;
        uint rest = used >= 32 ? 0 : body << used;          // exponent then fraction, left-aligned
        int eBits = Math.Min(_es, left);
        uint e = _es == 0 ? 0 : (rest >> (32 - _es));      // truncated exponent bits read as 0
        if (eBits < _es) e &= ~((1u << (_es - eBits)) - 1);
        int fBits = left - eBits;
        ulong frac = fBits == 0 ? 0 : (rest << eBits) >> (32 - fBits);
        int scale = (k << _es) + (int)e;
        return Operand.Finite(neg, frac | (1UL << fBits), scale - fBits);
    }

    /// <summary>
    /// Rounds ±Mag·2^Exp to the nearest posit, ties to the even bit pattern; beyond maxpos saturates to maxpos and
    /// nonzero values below minpos give minpos (never 0 or NaR).
    /// </summary>
    public uint Pack(in WideValue v)
    {
        if (v.IsZero) return 0;
        var w = v.Compress(64);
        int msb = w.Msb;
        int scale = msb + w.Exp;
        uint mag;
        if (scale >= MaxScale) mag = _mask >> 1;                  // maxpos
        else if (scale < -MaxScale) mag = 1;                      // minpos
        else
        {
            int k = scale >> _es;                                 // floor division
            uint e = (uint)(scale - (k << _es));
            // Bit string after the sign: regime, exponent, fraction (below the hidden bit), sticky.
            int regimeLen = k >= 0 ? k + 2 : -k + 1;
            UInt128 regime = k >= 0 ? ((UInt128.One << (k + 1)) - 1) << 1 : UInt128.One;
            int fracBits = msb;                                    // bits below the leading one
            UInt128 frac = w.Mag & ((UInt128.One << fracBits) - 1);
            int len = regimeLen + _es + fracBits;
            UInt128 s = (((regime << _es) | e) << fracBits) | frac;
            int keep = _n - 1;
            UInt128 q;
            if (len <= keep) q = s << (keep - len);
            else
            {
                int drop = len - keep;
                q = s >> drop;
                UInt128 rem = s & ((UInt128.One << drop) - 1);
                UInt128 half = UInt128.One << (drop - 1);
                if (rem > half || (rem == half && (q & 1) != 0)) q++;
            }
            if (q == 0) q = 1;
            if (q > (_mask >> 1)) q = _mask >> 1;
            mag = (uint)q;
        }
        return v.Neg ? (0u - mag) & _mask : mag;
    }

    public uint Pack(OperandClass cls, in WideValue v) => cls == OperandClass.Finite ? Pack(v) : NaRCode;
}
