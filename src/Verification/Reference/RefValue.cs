using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Verification.Reference;

/// <summary>
/// A reference value: an exact rational, ±infinity or NaN/NaR, with IEEE rules for + and × (round to nearest),
/// signed zeros included: <see cref="InfNeg"/> is the sign of an infinity or of a zero.
/// </summary>
public readonly record struct RefValue(OperandClass Class, bool InfNeg, Rational V)
{
    public static readonly RefValue NaN = new(OperandClass.NaN, false, Rational.Zero);
    public static readonly RefValue Zero = new(OperandClass.Finite, false, Rational.Zero);
    public static readonly RefValue NegZero = new(OperandClass.Finite, true, Rational.Zero);

    /// <summary>Sign of a finite value; a zero's is its own.</summary>
    public bool IsNegative => V.IsZero ? InfNeg : V.Sign < 0;

    public static RefValue Of(Rational v) => new(OperandClass.Finite, false, v);
    public static RefValue Inf(bool neg) => new(OperandClass.Inf, neg, Rational.Zero);

    public bool IsFinite => Class == OperandClass.Finite;

    public static RefValue operator +(RefValue x, RefValue y)
    {
        if (x.Class == OperandClass.NaN || y.Class == OperandClass.NaN) return NaN;
        if (x.Class == OperandClass.Inf && y.Class == OperandClass.Inf) return x.InfNeg == y.InfNeg ? x : NaN;
        if (x.Class == OperandClass.Inf) return x;
        if (y.Class == OperandClass.Inf) return y;
        var s = x.V + y.V;
        // IEEE 754 §6.3: (−0) + (−0) = −0; any other exact zero sum (+0 + −0, x + (−x)) is +0.
        if (s.IsZero) return x.V.IsZero && y.V.IsZero && x.InfNeg && y.InfNeg ? NegZero : Zero;
        return Of(s);
    }

    public static RefValue operator *(RefValue x, RefValue y)
    {
        if (x.Class == OperandClass.NaN || y.Class == OperandClass.NaN) return NaN;
        if (x.Class == OperandClass.Inf || y.Class == OperandClass.Inf)
        {
            var other = x.Class == OperandClass.Inf ? y : x;
            if (other.IsFinite && other.V.IsZero) return NaN;
            bool nx = x.Class == OperandClass.Inf ? x.InfNeg : x.V.Sign < 0;
            bool ny = y.Class == OperandClass.Inf ? y.InfNeg : y.V.Sign < 0;
            return Inf(nx ^ ny);
        }
        var p = x.V * y.V;
        return p.IsZero ? (x.IsNegative ^ y.IsNegative ? NegZero : Zero) : Of(p);
    }
}
