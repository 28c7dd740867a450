namespace Mantissa.Sim.Tests.Pe;

/// <summary>
/// A fast exact oracle for posit quire dot products, written from the posit definition for the million-dot tests:
/// posits decoded by walking the bit string, products summed exactly in carry-save 32-bit digits (units of
/// minpos_a·minpos_w, carries resolved once at the end),
/// and the sum rounded by binary search over the positive codes (which are in value order) with the posit(n+1)
/// value between two neighbours as the tie point. It shares no code with the datapath or with the rational reference.
/// </summary>
internal sealed class PositQuireOracle
{
    private readonly int _na, _ea, _nw, _ew, _no, _eo, _lsb;

    public PositQuireOracle(int na, int ea, int nw, int ew, int nOut, int esOut)
    {
        (_na, _ea, _nw, _ew, _no, _eo) = (na, ea, nw, ew, nOut, esOut);
        _lsb = -(MaxScale(na, ea) + MaxScale(nw, ew));
    }

    private static int MaxScale(int n, int es) => (n - 2) << es;

    /// <summary>Value of a posit code as ±sig·2^exp; zero is sig 0; NaR returns false.</summary>
    public static bool Decode(int n, int es, ulong code, out bool neg, out ulong sig, out int exp)
    {
        ulong mask = n == 64 ? ulong.MaxValue : (1UL << n) - 1;
        code &= mask;
        neg = false; sig = 0; exp = 0;
        if (code == 0) return true;
        if (code == 1UL << (n - 1)) return false;
        neg = (code >> (n - 1)) != 0;
        if (neg) code = (~code + 1) & mask;
        int i = n - 2;
        ulong first = (code >> i) & 1;
        int run = 0;
        while (i >= 0 && ((code >> i) & 1) == first) { run++; i--; }
        i--;                                                   // skip the terminating bit
        int k = first == 1 ? run - 1 : -run;
        int e = 0;
        for (int b = 0; b < es; b++) { e <<= 1; if (i >= 0) { e |= (int)((code >> i) & 1); i--; } }
        int fb = Math.Max(0, i + 1);
        ulong frac = fb == 0 ? 0 : code & ((1UL << fb) - 1);
        sig = (1UL << fb) | frac;
        exp = (k << es) + e - fb;
        return true;
    }

    /// <summary>The correctly rounded posit(nOut, esOut) code of Σ a_i·w_i (NaR when any operand is NaR).</summary>
    public uint Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w)
    {
        // Carry-save sum: digit i holds a signed count of 2^(lsb + 32·i); carries are resolved once, at the end.
        int digits = (2 * -_lsb + 64 + 64) / 32 + 4;
        Span<long> d = stackalloc long[digits];
        d.Clear();
        for (int i = 0; i < a.Length; i++)
        {
            if (!Decode(_na, _ea, a[i], out bool na, out ulong sa, out int xa)) return (uint)(1UL << (_no - 1));
            if (!Decode(_nw, _ew, w[i], out bool nw, out ulong sw, out int xw)) return (uint)(1UL << (_no - 1));
            if (sa == 0 || sw == 0) continue;
            UInt128 p = (UInt128)sa * sw;                         // ≤ 64 bits for posit32 operands
            int sh = xa + xw - _lsb;
            int j = sh / 32;
            p <<= sh % 32;                                         // ≤ 96 bits: three 32-bit digits
            long sign = na ^ nw ? -1 : 1;
            for (int t = 0; t < 3; t++, p >>= 32) d[j + t] += sign * (long)(ulong)(p & 0xFFFFFFFF);
        }
        for (int i = 0; i + 1 < digits; i++) { long c = d[i] >> 32; d[i] -= c << 32; d[i + 1] += c; }
        bool neg = d[^1] < 0;
        if (neg)
        {
            long borrow = 0;
            for (int i = 0; i < digits; i++) { long v = -d[i] - borrow; borrow = v < 0 ? 1 : 0; d[i] = v + (borrow << 32); }
        }
        int top = digits - 1;
        while (top >= 0 && d[top] == 0) top--;
        if (top < 0) return 0;
        // |S| = T·2^E plus a sticky remainder below 2^E; T holds the top 96 to 128 bits (three or four digits).
        int low = Math.Max(0, top - 3);
        UInt128 t128 = 0;
        for (int i = top; i >= low; i--) t128 = (t128 << 32) | (uint)d[i];
        bool sticky = false;
        for (int i = 0; i < low && !sticky; i++) sticky = d[i] != 0;
        uint code = Round(t128, _lsb + 32 * low, sticky);
        ulong mask = (1UL << _no) - 1;
        return (uint)(neg ? (~(ulong)code + 1) & mask : code);
    }

    /// <summary>Rounds T·2^E (+ sticky) &gt; 0 to the nearest positive posit(nOut, esOut) code: never 0, saturating at maxpos.</summary>
    private uint Round(UInt128 t, int E, bool sticky)
    {
        ulong maxpos = (1UL << (_no - 1)) - 1;
        if (Compare(_no, maxpos, t, E, sticky) <= 0) return (uint)maxpos;
        if (Compare(_no, 1, t, E, sticky) >= 0) return 1;
        ulong lo = 1, hi = maxpos;                             // value(lo) < |S| < value(hi)
        while (hi - lo > 1)
        {
            ulong mid = lo + (hi - lo) / 2;
            int cmp = Compare(_no, mid, t, E, sticky);
            if (cmp == 0) return (uint)mid;
            if (cmp < 0) lo = mid; else hi = mid;
        }
        int m = Compare(_no + 1, 2 * lo + 1, t, E, sticky);
        return (uint)(m > 0 ? lo : m < 0 ? hi : (lo % 2 == 0 ? lo : hi));
    }

    /// <summary>Sign of value(posit(n, es) code) − (T·2^E + sticky); the posit's significand has at most 33 bits.</summary>
    private int Compare(int n, ulong code, UInt128 t, int e, bool sticky)
    {
        Decode(n, _eo, code, out _, out ulong sig, out int exp);
        int d = exp - e;
        if (d >= 0)
        {
            if (d + 64 - (int)ulong.LeadingZeroCount(sig) > 128) return 1;   // the posit is wider than T can be
            UInt128 v = (UInt128)sig << d;
            if (v != t) return v > t ? 1 : -1;
            return sticky ? -1 : 0;
        }
        // The posit has bits below 2^E. With a sticky remainder T ≥ 2^96 while the posit is below 2^(34+d), so the
        // high parts decide; without one, E is the sum's exact LSB and the comparison below is exact.
        if (-d >= 64) return t == 0 ? 1 : -1;
        UInt128 hiPart = (UInt128)(sig >> -d);
        ulong rem = sig & ((1UL << -d) - 1);
        if (hiPart != t) return hiPart > t ? 1 : -1;
        if (rem == 0) return sticky ? -1 : 0;
        if (sticky) throw new InvalidOperationException("unreachable: a sticky sum has T ≥ 2^96");
        return 1;
    }
}
