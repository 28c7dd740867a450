namespace Mantissa.Sim.Pe.Hw;

/// <summary>Class of an unpacked operand: a finite number (zero included), an infinity, or NaN/NaR.</summary>
public enum OperandClass : byte { Finite, Inf, NaN }

/// <summary>An unpacked operand ±Sig·2^Exp as a datapath holds it after the decoder (sign, integer significand, exponent).</summary>
public readonly record struct Operand(OperandClass Class, bool Neg, ulong Sig, int Exp)
{
    public static readonly Operand Zero = new(OperandClass.Finite, false, 0, 0);
    public static readonly Operand NaN = new(OperandClass.NaN, false, 0, 0);

    public static Operand Inf(bool neg) => new(OperandClass.Inf, neg, 0, 0);

    public static Operand Finite(bool neg, ulong sig, int exp) => new(OperandClass.Finite, neg && sig != 0, sig, exp);

    public bool IsZero => Class == OperandClass.Finite && Sig == 0;

    /// <summary>The exact product: significands multiplied (≤ 64 bits, which every supported operand pair respects), exponents added.</summary>
    public static Operand Multiply(in Operand a, in Operand b)
    {
        if (a.Class == OperandClass.NaN || b.Class == OperandClass.NaN) return NaN;
        bool neg = a.Neg ^ b.Neg;
        if (a.Class == OperandClass.Inf || b.Class == OperandClass.Inf)
            return a.IsZero || b.IsZero ? NaN : Inf(neg);
        return Finite(neg, a.Sig * b.Sig, a.Exp + b.Exp);
    }
}

/// <summary>An exact (or sticky-jammed) wide magnitude ±Mag·2^Exp before the final rounding.</summary>
public readonly record struct WideValue(bool Neg, UInt128 Mag, int Exp)
{
    public bool IsZero => Mag == UInt128.Zero;

    public static WideValue FromSigned(Int128 v, int exp) => v < 0 ? new(true, (UInt128)(-v), exp) : new(false, (UInt128)v, exp);

    public static WideValue From(in Operand o) => new(o.Neg, o.Sig, o.Exp);

    /// <summary>Bit position of the most significant 1 (−1 for zero).</summary>
    public int Msb => Mag == UInt128.Zero ? -1 : 127 - (int)UInt128.LeadingZeroCount(Mag);

    /// <summary>
    /// Keeps the top <paramref name="bits"/> bits and ORs everything shifted out into the lowest kept bit (a sticky jam).
    /// A jammed value rounds exactly like the original to any format whose significand is at least two bits narrower.
    /// </summary>
    public WideValue Compress(int bits)
    {
        int drop = Msb + 1 - bits;
        if (drop <= 0) return this;
        UInt128 kept = Mag >> drop;
        if ((Mag & ((UInt128.One << drop) - 1)) != UInt128.Zero) kept |= 1;
        return new(Neg, kept, Exp + drop);
    }
}
