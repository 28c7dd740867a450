using System.Numerics;

namespace Mantissa.Arch.Numerics;

/// <summary>
/// A nonzero finite value ready for rounding: |x| = Sig × 2^(Exp−127) + δ with bit 127 of Sig set and
/// 0 ≤ δ &lt; 2^(Exp−127); <see cref="Sticky"/> tells whether δ &gt; 0. Every target format has at most
/// 64 significant bits, so 128 bits plus a sticky bit decide every rounding exactly.
/// </summary>
internal readonly struct Unrounded
{
    public readonly bool Negative;
    public readonly UInt128 Sig;
    public readonly int Exp;
    public readonly bool Sticky;

    private Unrounded(bool negative, UInt128 sig, int exp, bool sticky)
    {
        Negative = negative; Sig = sig; Exp = exp; Sticky = sticky;
    }

    /// <summary>±mag × 2^exp2 (+ a sticky remainder below mag's last bit); mag must be nonzero.</summary>
    public static Unrounded FromDyadic(bool negative, UInt128 mag, int exp2, bool sticky = false)
    {
        int lz = (int)UInt128.LeadingZeroCount(mag);
        return new Unrounded(negative, mag << lz, exp2 + 127 - lz, sticky);
    }

    public static Unrounded FromDyadic(bool negative, BigInteger mag, int exp2, bool sticky = false)
    {
        long bl = mag.GetBitLength();
        if (bl <= 128) return FromDyadic(negative, (UInt128)mag, exp2, sticky);
        int drop = checked((int)(bl - 128));
        bool lost = sticky || BigInteger.TrailingZeroCount(mag) < drop;
        return new Unrounded(negative, (UInt128)(mag >> drop), exp2 + drop + 127, lost);
    }

    /// <summary>This value times 2^<paramref name="delta"/>, exactly.</summary>
    public Unrounded Scaled(int delta) => new(Negative, Sig, Exp + delta, Sticky);

    /// <summary>
    /// This value divided by <paramref name="divisor"/> &gt; 0. The quotient keeps at least 64 significant bits and the
    /// remainder joins the sticky bit, which decides every rounding at 63 bits or fewer exactly.
    /// </summary>
    public Unrounded DividedBy(ulong divisor)
    {
        UInt128 q = UInt128.DivRem(Sig, divisor).Quotient;
        bool inexact = Sticky || q * divisor != Sig;
        return FromDyadic(Negative, q, Exp - 127, inexact);
    }

    /// <summary>The value of a finite nonzero double, exactly.</summary>
    public static Unrounded FromDouble(double x)
    {
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        bool neg = (bits >> 63) != 0;
        int be = (int)((bits >> 52) & 0x7FF);
        ulong frac = bits & ((1UL << 52) - 1);
        return be == 0 ? FromDyadic(neg, (UInt128)frac, -1074) : FromDyadic(neg, (UInt128)(frac | (1UL << 52)), be - 1075);
    }

    /// <summary>
    /// Rounds Sig × 2^(Exp−127) to an integer multiple of 2^(Exp−127+shift), returning that integer.
    /// <paramref name="shift"/> must be at least 1 and the result must fit in 64 bits (callers pick the quantum).
    /// </summary>
    public ulong RoundAt(int shift, MagnitudeRounding mode, Random? rng) => RoundShift(Sig, shift, Sticky, mode, rng);

    /// <summary>Rounds the integer <paramref name="v"/> (+ sticky) right by <paramref name="shift"/> ≥ 1 bits.</summary>
    public static ulong RoundShift(UInt128 v, int shift, bool sticky, MagnitudeRounding mode, Random? rng)
    {
        UInt128 q, rem, half;
        bool remAboveHalfBits; // remainder lies entirely below the half point when shift > 128
        if (shift > 128) { q = 0; rem = v; half = 0; remAboveHalfBits = false; }
        else if (shift == 128) { q = 0; rem = v; half = UInt128.One << 127; remAboveHalfBits = true; }
        else { q = v >> shift; rem = v & ((UInt128.One << shift) - 1); half = UInt128.One << (shift - 1); remAboveHalfBits = true; }
        bool inexact = rem != 0 || sticky;
        bool up;
        switch (mode)
        {
            case MagnitudeRounding.TowardZero: up = false; break;
            case MagnitudeRounding.AwayFromZero: up = inexact; break;
            case MagnitudeRounding.NearestEven:
                if (!remAboveHalfBits) up = false;
                else if (rem > half || (rem == half && sticky)) up = true;
                else if (rem == half) up = (q & 1) != 0;
                else up = false;
                break;
            default:
                ulong frac64;
                if (shift >= 192) frac64 = 0;
                else if (shift >= 64) frac64 = (ulong)(rem >> (shift - 64));
                else frac64 = (ulong)(rem << (64 - shift));
                up = NextUInt64(rng) < frac64;
                break;
        }
        return (ulong)q + (up ? 1UL : 0UL);
    }

    [ThreadStatic] private static Random? _defaultRng;

    internal static ulong NextUInt64(Random? rng)
    {
        // Without a caller-supplied generator, stochastic rounding uses a per-thread generator seeded with 0 so runs repeat.
        rng ??= _defaultRng ??= new Random(0);
        Span<byte> b = stackalloc byte[8];
        rng.NextBytes(b);
        return BitConverter.ToUInt64(b);
    }
}
