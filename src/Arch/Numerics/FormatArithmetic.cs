namespace Mantissa.Arch.Numerics;

/// <summary>
/// Correctly rounded arithmetic on codes: each result is computed exactly and rounded once. Posits return NaR for
/// NaR operands and for division by zero; integers saturate.
/// </summary>
/// <remarks>
/// Finite nonzero operands take an allocation-free path: products, quotients (with a sticky remainder) and sums
/// whose aligned operands fit in 127 bits are formed exactly in <see cref="UInt128"/>. Everything else (zeros,
/// specials, sums whose terms overlap but do not fit 126 bits) goes through <see cref="ExactValue"/> rationals.
/// </remarks>
public static class FormatArithmetic
{
    public static ulong Add(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        var da = c.Decode(a); var db = c.Decode(b);
        if (IsNumber(da) && IsNumber(db) &&
            TryAdd(c, da.Negative, da.Significand, da.Exponent, db.Negative, db.Significand, db.Exponent, mode, saturate, rng, out var r))
            return r;
        return c.Encode(ExactValue.Add(da.Value, db.Value, mode == RoundingMode.Rdn), mode, saturate, rng);
    }

    public static ulong Sub(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        var da = c.Decode(a); var db = c.Decode(b);
        if (IsNumber(da) && IsNumber(db) &&
            TryAdd(c, da.Negative, da.Significand, da.Exponent, !db.Negative, db.Significand, db.Exponent, mode, saturate, rng, out var r))
            return r;
        var vb = db.Value;
        return c.Encode(ExactValue.Add(da.Value, vb.IsNaN ? vb : vb.Negate(), mode == RoundingMode.Rdn), mode, saturate, rng);
    }

    public static ulong Mul(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        var da = c.Decode(a); var db = c.Decode(b);
        if (IsNumber(da) && IsNumber(db))
            return c.EncodeFinite(Unrounded.FromDyadic(da.Negative != db.Negative, (UInt128)da.Significand * db.Significand, da.Exponent + db.Exponent), mode, saturate, rng);
        return c.Encode(da.Value * db.Value, mode, saturate, rng);
    }

    public static ulong Div(ScalarFormat f, ulong a, ulong b, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var c = f.Codec;
        var da = c.Decode(a); var db = c.Decode(b);
        if (IsNumber(da) && IsNumber(db))
            return c.EncodeFinite(Unrounded.FromDyadic(da.Negative != db.Negative, (UInt128)da.Significand, da.Exponent - db.Exponent).DividedBy(db.Significand), mode, saturate, rng);
        return c.Encode(da.Value / db.Value, mode, saturate, rng);
    }

    /// <summary>a·b + c with a single rounding.</summary>
    public static ulong Fma(ScalarFormat f, ulong a, ulong b, ulong c, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var k = f.Codec;
        var da = k.Decode(a); var db = k.Decode(b); var dc = k.Decode(c);
        if (IsNumber(da) && IsNumber(db) && IsNumber(dc) &&
            TryAdd(k, da.Negative != db.Negative, (UInt128)da.Significand * db.Significand, da.Exponent + db.Exponent,
                dc.Negative, dc.Significand, dc.Exponent, mode, saturate, rng, out var r))
            return r;
        var product = da.Value * db.Value;
        return k.Encode(ExactValue.Add(product, dc.Value, mode == RoundingMode.Rdn), mode, saturate, rng);
    }

    /// <summary>Converts a code of <paramref name="from"/> to the nearest code of <paramref name="to"/> (one rounding).</summary>
    public static ulong Convert(ScalarFormat from, ScalarFormat to, ulong code, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null)
    {
        var d = from.Codec.Decode(code);
        var t = to.Codec;
        if (IsNumber(d)) return t.EncodeFinite(Unrounded.FromDyadic(d.Negative, (UInt128)d.Significand, d.Exponent), mode, saturate, rng);
        return t.Encode(d.Value, mode, saturate, rng);
    }

    /// <summary>Rounds an exact result into <paramref name="codec"/>'s format (posits encode infinities as NaR).</summary>
    public static ulong Round(FormatCodec codec, ExactValue exact, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null) =>
        codec.Encode(exact, mode, saturate, rng);

    private static bool IsNumber(in Decoded d) => d.Class is NumberClass.Normal or NumberClass.Subnormal;

    /// <summary>
    /// ±x·2^ex ± y·2^ey rounded once, when the aligned operands fit in 126 bits or one operand is entirely below the
    /// other's 127-bit window; false otherwise (the caller then uses exact rationals).
    /// </summary>
    private static bool TryAdd(FormatCodec codec, bool negX, UInt128 x, int ex, bool negY, UInt128 y, int ey,
        RoundingMode mode, bool saturate, Random? rng, out ulong result)
    {
        result = 0;
        int lenX = 128 - (int)UInt128.LeadingZeroCount(x), lenY = 128 - (int)UInt128.LeadingZeroCount(y);
        long topX = (long)ex + lenX - 1, topY = (long)ey + lenY - 1;
        if (topY <= topX - 127 || topX <= topY - 127)
        {
            // One term lies entirely below the last bit of the other, widened to 127 bits: it only decides the
            // sticky bit, and when subtracted it borrows one unit: X − tiny = (X − 1 unit) + (1 unit − tiny).
            if (topX < topY) { (negX, x, ex, lenX, negY) = (negY, y, ey, lenY, negX); }
            UInt128 wide = x << (127 - lenX);
            if (negX != negY) wide -= 1;
            result = codec.EncodeFinite(Unrounded.FromDyadic(negX, wide, ex - (127 - lenX), sticky: true), mode, saturate, rng);
            return true;
        }
        int lo = Math.Min(ex, ey);
        int sx = ex - lo, sy = ey - lo;
        if (sx + lenX > 126 || sy + lenY > 126) return false;
        UInt128 ax = x << sx, ay = y << sy;
        bool neg;
        UInt128 mag;
        if (negX == negY) { mag = ax + ay; neg = negX; }
        else if (ax >= ay) { mag = ax - ay; neg = negX; }
        else { mag = ay - ax; neg = negY; }
        // An exact zero sum of nonzero terms is +0, or −0 when rounding toward −inf (IEEE 754 §6.3).
        result = mag == 0 ? codec.EncodeZero(mode == RoundingMode.Rdn) : codec.EncodeFinite(Unrounded.FromDyadic(neg, mag, lo), mode, saturate, rng);
        return true;
    }
}
