namespace Mantissa.Arch.Numerics;

/// <summary>
/// Correctly rounded arithmetic on codes: each result is computed exactly (rationals, no double) and rounded once.
/// Posits return NaR for NaR operands and for division by zero; integers saturate.
/// </summary>
public static class FormatArithmetic
{
    public static ulong Add(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        return Round(c, ExactValue.Add(c.Decode(a).Value, c.Decode(b).Value, mode == RoundingMode.Rdn), mode, saturate, rng);
    }

    public static ulong Sub(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        var vb = c.Decode(b).Value;
        return Round(c, ExactValue.Add(c.Decode(a).Value, vb.IsNaN ? vb : vb.Negate(), mode == RoundingMode.Rdn), mode, saturate, rng);
    }

    public static ulong Mul(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        return Round(c, c.Decode(a).Value * c.Decode(b).Value, mode, saturate, rng);
    }

    public static ulong Div(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        return Round(c, c.Decode(a).Value / c.Decode(b).Value, mode, saturate, rng);
    }

    /// <summary>a·b + c with a single rounding.</summary>
    public static ulong Fma(ScalarFormat f, ulong a, ulong b, ulong c, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var k = f.Codec;
        var product = k.Decode(a).Value * k.Decode(b).Value;
        return Round(k, ExactValue.Add(product, k.Decode(c).Value, mode == RoundingMode.Rdn), mode, saturate, rng);
    }

    /// <summary>Converts a code of <paramref name="from"/> to the nearest code of <paramref name="to"/> (one rounding).</summary>
    public static ulong Convert(ScalarFormat from, ScalarFormat to, ulong code, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null) =>
        Round(to.Codec, from.Codec.Decode(code).Value, mode, saturate, rng);

    /// <summary>Rounds an exact result into <paramref name="codec"/>'s format (posits encode infinities as NaR).</summary>
    public static ulong Round(FormatCodec codec, ExactValue exact, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null) =>
        codec.Encode(exact, mode, saturate, rng);
}
