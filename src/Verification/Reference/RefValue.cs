using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Verification.Reference;

/// <summary>A reference value: an exact rational, ±infinity or NaN/NaR, with IEEE rules for + and ×.</summary>
public readonly record struct RefValue(OperandClass Class, bool InfNeg, Rational V)
{
    public static readonly RefValue NaN = new(OperandClass.NaN, false, Rational.Zero);
    public static readonly RefValue Zero = new(OperandClass.Finite, false, Rational.Zero);

    public static RefValue Of(Rational v) => new(OperandClass.Finite, false, v);
    public static RefValue Inf(bool neg) => new(OperandClass.Inf, neg, Rational.Zero);

    public bool IsFinite => Class == OperandClass.Finite;

    public static RefValue operator +(RefValue x, RefValue y)
    {
        if (x.Class == OperandClass.NaN || y.Class == OperandClass.NaN) return NaN;
        if (x.Class == OperandClass.Inf && y.Class == OperandClass.Inf) return x.InfNeg == y.InfNeg ? x : NaN;
        if (x.Class == OperandClass.Inf) return x;
        if (y.Class == OperandClass.Inf) return y;
        return Of(x.V + y.V);
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
        return Of(x.V * y.V);
    }
}
