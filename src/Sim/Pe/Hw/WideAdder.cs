namespace Mantissa.Sim.Pe.Hw;

/// <summary>A floating-point adder's alignment stage: adds two wide values with a sticky bit for what falls off the window.</summary>
public static class WideAdder
{
    /// <summary>
    /// x + y, exact when both fit a 125-bit window below the larger leading bit. Otherwise bits more than 124 places
    /// below that leading bit are truncated with a sticky jam: they can only matter after a cancellation of about
    /// 100 leading bits, which needs an operand wider than the 126-bit registers the models allow.
    /// </summary>
    public static WideValue Add(WideValue x, WideValue y)
    {
        if (x.IsZero && y.IsZero) return new WideValue(x.Neg && y.Neg, UInt128.Zero, 0);   // (−0) + (−0) = −0, else +0
        if (x.IsZero) return y;
        if (y.IsZero) return x;
        int top = Math.Max(x.Msb + x.Exp, y.Msb + y.Exp);
        int e = Math.Max(Math.Min(x.Exp, y.Exp), top - 124);
        Int128 a = Align(x, e), b = Align(y, e);
        return WideValue.FromSigned(a + b, e);
    }

    private static Int128 Align(WideValue v, int e)
    {
        UInt128 m;
        int d = v.Exp - e;
        if (d >= 0) m = v.Mag << d;
        else
        {
            int r = -d;
            if (r >= 128) m = UInt128.One;
            else
            {
                m = v.Mag >> r;
                if ((v.Mag & ((UInt128.One << r) - 1)) != UInt128.Zero) m |= 1;
            }
        }
        return v.Neg ? -(Int128)m : (Int128)m;
    }
}
