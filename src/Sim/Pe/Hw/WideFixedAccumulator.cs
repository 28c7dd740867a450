using Mantissa.Arch;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>
/// A Kulisch accumulator / posit quire of any width: a two's-complement fixed-point register of 64-bit limbs (least
/// significant first) whose LSB weighs 2^LsbExp, plus IEEE special-value flags. It lives in caller-provided storage
/// (stack memory for the quires of posit32 and fp32), so a dot product allocates nothing. Narrow sums use the faster
/// <see cref="FixedAccumulator"/>; this one is for registers wider than its 126 bits (posit16 es2: 229 bits, posit32
/// es2: the Posit Standard's 512 bits, all fp32 products: 554 bits plus carries).
/// </summary>
public ref struct WideFixedAccumulator
{
    /// <summary>Limbs a register of <paramref name="bits"/> bits (sign included) occupies.</summary>
    public static int LimbsFor(int bits) => (bits + 63) / 64;

    /// <summary>Limbs held on the stack by the PEs; wider registers (more than 4096 bits) use an array.</summary>
    public const int StackLimbs = 64;

    private readonly Span<ulong> _limbs;
    private SpecialFlags _special;

    /// <param name="limbs">Storage for the register (cleared here); <see cref="LimbsFor"/> gives the size it needs.</param>
    public WideFixedAccumulator(Span<ulong> limbs, int lsbExp)
    {
        limbs.Clear();
        _limbs = limbs;
        LsbExp = lsbExp;
        _special = default;
    }

    public int LsbExp { get; }

    public readonly SpecialFlags Special => _special;

    /// <summary>Throws when <paramref name="bits"/> exceeds what <paramref name="limbs"/> limbs hold (a caller bug, not user input).</summary>
    public static void CheckCapacity(int bits, int limbs)
    {
        if (bits > 64 * limbs) throw new InvalidOperationException($"a {bits}-bit register does not fit {limbs} limbs");
    }

    public void Add(in Operand p)
    {
        if (p.Class != OperandClass.Finite) { _special.Add(p); return; }
        if (p.Sig == 0) return;
        int shift = p.Exp - LsbExp;
        ulong sig = p.Sig;
        if (shift < 0)
        {
            // A significand with trailing zeros may sit below the LSB; only zeros may fall off.
            if (-shift >= 64 || (sig & ((1UL << -shift) - 1)) != 0)
                throw new InvalidOperationException($"value 2^{p.Exp} below the accumulator LSB 2^{LsbExp}");
            sig >>= -shift;
            shift = 0;
        }
        int li = shift >> 6, bo = shift & 63;
        ulong lo = sig << bo, hi = bo == 0 ? 0 : sig >> (64 - bo);
        if (li + (hi != 0 ? 1 : 0) >= _limbs.Length)
            throw new InvalidOperationException($"value 2^{p.Exp} above the {64 * _limbs.Length}-bit accumulator");
        if (p.Neg) Subtract(li, lo, hi); else AddAt(li, lo, hi);
    }

    private void AddAt(int i, ulong lo, ulong hi)
    {
        var l = _limbs;
        ulong s = l[i] + lo;
        ulong carry = s < lo ? 1UL : 0;
        l[i] = s;
        i++;
        if (i >= l.Length) return;
        ulong t = l[i] + hi;
        ulong c2 = t < hi ? 1UL : 0;
        ulong u = t + carry;
        c2 |= u < carry ? 1UL : 0;
        l[i] = u;
        for (i++; c2 != 0 && i < l.Length; i++) { l[i]++; c2 = l[i] == 0 ? 1UL : 0; }
    }

    private void Subtract(int i, ulong lo, ulong hi)
    {
        var l = _limbs;
        ulong d = l[i] - lo;
        ulong borrow = l[i] < lo ? 1UL : 0;
        l[i] = d;
        i++;
        if (i >= l.Length) return;
        ulong t = l[i] - hi;
        ulong b2 = l[i] < hi ? 1UL : 0;
        ulong u = t - borrow;
        b2 |= t < borrow ? 1UL : 0;
        l[i] = u;
        for (i++; b2 != 0 && i < l.Length; i++) { b2 = l[i] == 0 ? 1UL : 0; l[i]--; }
    }

    /// <summary>
    /// The sum as sign, magnitude and exponent: exact when the magnitude has at most 126 significant bits, otherwise
    /// its top 126 bits with everything below ORed into the last one (a sticky jam, which rounds like the exact value
    /// into any format of up to 124 significand bits). Negates the register in place, so call it once, at the end.
    /// </summary>
    public WideValue Finish()
    {
        var l = _limbs;
        bool neg = (long)l[^1] < 0;
        if (neg)
        {
            ulong carry = 1;
            for (int i = 0; i < l.Length; i++) { ulong v = ~l[i] + carry; carry = v == 0 && carry == 1 ? 1UL : 0; l[i] = v; }
        }
        int top = l.Length - 1;
        while (top >= 0 && l[top] == 0) top--;
        if (top < 0) return new WideValue(false, UInt128.Zero, LsbExp);
        int msb = 64 * top + 63 - System.Numerics.BitOperations.LeadingZeroCount(l[top]);
        const int Keep = 126;
        int drop = Math.Max(0, msb + 1 - Keep);
        UInt128 mag = UInt128.Zero;
        for (int b = 0; b < 3; b++)   // the window [drop, drop + 126) spans at most three limbs
        {
            int li = (drop >> 6) + b;
            if (li >= l.Length) break;
            int pos = 64 * li - drop;  // bit position of this limb's bit 0 within the window
            UInt128 v = l[li];
            if (pos >= 0) { if (pos < 128) mag |= v << pos; }
            else mag |= v >> -pos;
        }
        if (drop > 0)
        {
            mag &= (UInt128.One << Keep) - 1;
            bool sticky = false;
            for (int i = 0; i < drop >> 6 && !sticky; i++) sticky = l[i] != 0;
            if (!sticky && (drop & 63) != 0) sticky = (l[drop >> 6] & ((1UL << (drop & 63)) - 1)) != 0;
            if (sticky) mag |= 1;
        }
        return new WideValue(neg, mag, LsbExp + drop);
    }

    /// <summary>Fails with a clear message when an exact register of the needed width would exceed <paramref name="maxBits"/>.</summary>
    public static void CheckFits(int maxExp, int lsbExp, long terms, string what, int maxBits)
    {
        int bits = FixedAccumulator.BitsNeeded(maxExp, lsbExp, terms) + 1;
        if (bits > maxBits)
            throw new MantissaException($"{what}: an exact accumulator for {terms} terms needs {bits} bits, more than the {maxBits} modelled");
    }
}
