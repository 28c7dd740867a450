namespace Mantissa.Arch.Numerics;

/// <summary>
/// An ascending list of dyadic magnitudes (index 0 is zero) and exact rounding of a value onto it: the magnitude
/// code of a monotone sign-magnitude format (ANT flint/pot, OliVe abfloat) or the combined normal+outlier grid of an
/// OliVe pair. Ties go to the even index, which is the even code wherever index and code coincide.
/// </summary>
internal sealed class MagnitudeTable
{
    private readonly ulong[] _sig;   // magnitude i = _sig[i]·2^_exp[i]; _sig[0] = 0
    private readonly int[] _exp;

    public MagnitudeTable(IReadOnlyList<(ulong Sig, int Exp)> magnitudes)
    {
        _sig = new ulong[magnitudes.Count];
        _exp = new int[magnitudes.Count];
        for (int i = 0; i < magnitudes.Count; i++) (_sig[i], _exp[i]) = magnitudes[i];
        if (_sig[0] != 0) throw new ArgumentException("a magnitude table starts with zero");
        for (int i = 2; i < _sig.Length; i++)
            if (CompareDyadic(_sig[i], _exp[i], _sig[i - 1], _exp[i - 1]) <= 0) throw new ArgumentException("magnitudes must increase");
    }

    public int Count => _sig.Length;

    /// <summary>
    /// The index |u| rounds to (saturating at the largest magnitude, never below zero). Ties between neighbours go to
    /// the even index; stochastic rounding goes up with probability (x−lo)/(hi−lo), drawn with 53-bit resolution.
    /// </summary>
    public int Round(in Unrounded u, MagnitudeRounding mode, Random? rng)
    {
        int lo = 0, hi = _sig.Length;          // first index whose magnitude is ≥ |u|
        while (lo < hi)
        {
            int m = (lo + hi) >> 1;
            if (m == 0 || Compare(u, _sig[m], _exp[m]) > 0) lo = m + 1; else hi = m;
        }
        int up = lo;
        if (up == _sig.Length) return _sig.Length - 1;            // above the largest magnitude: saturate
        if (Compare(u, _sig[up], _exp[up]) == 0) return up;       // exact
        int down = up - 1;
        switch (mode)
        {
            case MagnitudeRounding.TowardZero: return down;
            case MagnitudeRounding.AwayFromZero: return up;
            case MagnitudeRounding.NearestEven:
            {
                var (ms, me) = Midpoint(down, up);
                int c = Compare(u, ms, me);
                if (c != 0) return c < 0 ? down : up;
                return (down & 1) == 0 ? down : up;
            }
            default:
            {
                double x = Math.ScaleB((double)(u.Sig >> 64), u.Exp - 63);
                double l = Math.ScaleB(_sig[down], _exp[down]), h = Math.ScaleB(_sig[up], _exp[up]);
                double p = (x - l) / (h - l);
                return (Unrounded.NextUInt64(rng) >> 11) * (1.0 / (1UL << 53)) < p ? up : down;
            }
        }
    }

    /// <summary>(lo + hi)/2 as a dyadic (sig, exp); adjacent table entries are a few binades apart at most.</summary>
    private (UInt128 Sig, int Exp) Midpoint(int lo, int hi)
    {
        if (_sig[lo] == 0) return (_sig[hi], _exp[hi] - 1);
        int e = Math.Min(_exp[lo], _exp[hi]);
        UInt128 sum = ((UInt128)_sig[lo] << (_exp[lo] - e)) + ((UInt128)_sig[hi] << (_exp[hi] - e));
        return (sum, e - 1);
    }

    /// <summary>Sign of |u| − sig·2^exp (sig &gt; 0), exactly, the sticky bit included.</summary>
    internal static int Compare(in Unrounded u, UInt128 sig, int exp)
    {
        int len = 128 - (int)UInt128.LeadingZeroCount(sig);
        long top = (long)exp + len - 1;                    // binade of the table value
        if (u.Exp != top) return u.Exp > top ? 1 : -1;
        UInt128 aligned = sig << (128 - len);
        int c = u.Sig.CompareTo(aligned);
        if (c != 0) return c;
        return u.Sticky ? 1 : 0;
    }

    private static int CompareDyadic(ulong a, int ea, ulong b, int eb)
    {
        if (b == 0) return a == 0 ? 0 : 1;
        return -Compare(Unrounded.FromDyadic(false, (UInt128)b, eb), a, ea);
    }

    public ulong Significand(int i) => _sig[i];
    public int Exponent(int i) => _exp[i];
}
