using System.Globalization;
using System.Numerics;
using System.Text;

namespace Mantissa.Arch.Numerics;

/// <summary>The kind of an <see cref="ExactValue"/>.</summary>
public enum ExactKind { Zero, Finite, Infinity, NaN }

/// <summary>
/// An exact rational number with IEEE-style specials: ±0, finite ±(Num/Den)·2^Exp2 (Num, Den odd and coprime),
/// ±infinity and NaN. Dyadic values (every code of every format) have Den = 1 and never need a gcd.
/// </summary>
public readonly struct ExactValue : IEquatable<ExactValue>, IComparable<ExactValue>
{
    public ExactKind Kind { get; }
    public bool Negative { get; }
    /// <summary>Odd numerator of a finite value (1 for the others).</summary>
    public BigInteger Num { get; }
    private readonly BigInteger _den;

    /// <summary>Odd denominator of a finite value (1 for dyadic values and for <c>default</c>, which is +0).</summary>
    public BigInteger Den => _den.IsZero ? BigInteger.One : _den;
    /// <summary>Power-of-two exponent: a finite value is ±(Num/Den)·2^Exp2.</summary>
    public int Exp2 { get; }

    private ExactValue(ExactKind kind, bool negative, BigInteger num, BigInteger den, int exp2)
    {
        Kind = kind; Negative = negative; Num = num; _den = den; Exp2 = exp2;
    }

    public static ExactValue Zero => new(ExactKind.Zero, false, BigInteger.Zero, BigInteger.One, 0);
    public static ExactValue NegativeZero => new(ExactKind.Zero, true, BigInteger.Zero, BigInteger.One, 0);
    public static ExactValue NaN => new(ExactKind.NaN, false, BigInteger.Zero, BigInteger.One, 0);
    public static ExactValue PositiveInfinity => new(ExactKind.Infinity, false, BigInteger.Zero, BigInteger.One, 0);
    public static ExactValue NegativeInfinity => new(ExactKind.Infinity, true, BigInteger.Zero, BigInteger.One, 0);
    public static ExactValue Infinity(bool negative) => negative ? NegativeInfinity : PositiveInfinity;
    public static ExactValue SignedZero(bool negative) => negative ? NegativeZero : Zero;

    public bool IsZero => Kind == ExactKind.Zero;
    public bool IsFinite => Kind is ExactKind.Zero or ExactKind.Finite;
    public bool IsNaN => Kind == ExactKind.NaN;
    public bool IsInfinity => Kind == ExactKind.Infinity;
    public bool IsDyadic => Kind != ExactKind.Finite || Den.IsOne;

    /// <summary>±mag·2^exp2, exactly (mag = 0 gives a signed zero).</summary>
    public static ExactValue FromDyadic(bool negative, BigInteger mag, int exp2)
    {
        if (mag.Sign < 0) { negative = !negative; mag = -mag; }
        if (mag.IsZero) return SignedZero(negative);
        int tz = (int)BigInteger.TrailingZeroCount(mag);
        return new ExactValue(ExactKind.Finite, negative, tz == 0 ? mag : mag >> tz, BigInteger.One, checked(exp2 + tz));
    }

    public static ExactValue FromDyadic(bool negative, ulong mag, int exp2)
    {
        if (mag == 0) return SignedZero(negative);
        int tz = BitOperations.TrailingZeroCount(mag);
        return new ExactValue(ExactKind.Finite, negative, new BigInteger(mag >> tz), BigInteger.One, exp2 + tz);
    }

    public static ExactValue FromInteger(BigInteger v) => FromDyadic(false, v, 0);

    /// <summary>±(num/den)·2^exp2 reduced to lowest terms; den must be nonzero.</summary>
    public static ExactValue FromRational(BigInteger num, BigInteger den, int exp2 = 0)
    {
        if (den.IsZero) throw new DivideByZeroException();
        bool neg = (num.Sign < 0) != (den.Sign < 0);
        num = BigInteger.Abs(num); den = BigInteger.Abs(den);
        if (num.IsZero) return SignedZero(neg);
        int tzn = (int)BigInteger.TrailingZeroCount(num), tzd = (int)BigInteger.TrailingZeroCount(den);
        num >>= tzn; den >>= tzd;
        exp2 = checked(exp2 + tzn - tzd);
        if (!den.IsOne)
        {
            var g = BigInteger.GreatestCommonDivisor(num, den);
            if (!g.IsOne) { num /= g; den /= g; }
        }
        return new ExactValue(ExactKind.Finite, neg, num, den, exp2);
    }

    /// <summary>The exact value of a double (NaN and infinities map to their kinds).</summary>
    public static ExactValue FromDouble(double x)
    {
        if (double.IsNaN(x)) return NaN;
        if (double.IsInfinity(x)) return Infinity(x < 0);
        if (x == 0) return SignedZero(double.IsNegative(x));
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        int be = (int)((bits >> 52) & 0x7FF);
        ulong frac = bits & ((1UL << 52) - 1);
        return be == 0 ? FromDyadic(x < 0, frac, -1074) : FromDyadic(x < 0, frac | (1UL << 52), be - 1075);
    }

    /// <summary>The nearest double (ties to even; overflow gives ±infinity).</summary>
    public double ToDouble() => Kind switch
    {
        ExactKind.NaN => double.NaN,
        ExactKind.Infinity => Negative ? double.NegativeInfinity : double.PositiveInfinity,
        ExactKind.Zero => Negative ? -0.0 : 0.0,
        _ => BitConverter.UInt64BitsToDouble(FloatCodec.Binary64.EncodeUnrounded(ToUnrounded(), MagnitudeRounding.NearestEven, false, null)),
    };

    internal Unrounded ToUnrounded()
    {
        if (Den.IsOne) return Unrounded.FromDyadic(Negative, Num, Exp2);
        // Enough quotient bits that the 128-bit window is full; the remainder becomes the sticky bit.
        long s = Math.Max(0, 130 + Den.GetBitLength() - Num.GetBitLength());
        var q = BigInteger.DivRem(Num << (int)s, Den, out var r);
        return Unrounded.FromDyadic(Negative, q, checked(Exp2 - (int)s), !r.IsZero);
    }

    public ExactValue Negate() => new(Kind, !Negative, Num, Den, Exp2);
    public ExactValue Abs() => new(Kind, false, Num, Den, Exp2);

    public static ExactValue operator -(ExactValue a) => a.Kind == ExactKind.NaN ? a : a.Negate();

    public static ExactValue operator +(ExactValue a, ExactValue b) => Add(a, b, false);

    public static ExactValue operator -(ExactValue a, ExactValue b) => Add(a, b.Kind == ExactKind.NaN ? b : b.Negate(), false);

    /// <summary>a + b; an exact zero sum of nonzero terms is −0 when <paramref name="roundingDown"/> (IEEE 754 §6.3), else +0.</summary>
    public static ExactValue Add(ExactValue a, ExactValue b, bool roundingDown)
    {
        if (a.IsNaN || b.IsNaN) return NaN;
        if (a.IsInfinity)
            return b.IsInfinity && b.Negative != a.Negative ? NaN : a;
        if (b.IsInfinity) return b;
        if (a.IsZero)
            return b.IsZero ? SignedZero(roundingDown ? a.Negative || b.Negative : a.Negative && b.Negative) : b;
        if (b.IsZero) return a;
        if (a.Den.IsOne && b.Den.IsOne)
        {
            int e = Math.Min(a.Exp2, b.Exp2);
            var sa = a.Num << (a.Exp2 - e);
            var sb = b.Num << (b.Exp2 - e);
            var sum = (a.Negative ? -sa : sa) + (b.Negative ? -sb : sb);
            return sum.IsZero ? SignedZero(roundingDown) : FromDyadic(false, sum, e);
        }
        {
            int e = Math.Min(a.Exp2, b.Exp2);
            var na = (a.Num << (a.Exp2 - e)) * b.Den;
            var nb = (b.Num << (b.Exp2 - e)) * a.Den;
            var num = (a.Negative ? -na : na) + (b.Negative ? -nb : nb);
            return num.IsZero ? SignedZero(roundingDown) : FromRational(num, a.Den * b.Den, e);
        }
    }

    public static ExactValue operator *(ExactValue a, ExactValue b)
    {
        if (a.IsNaN || b.IsNaN) return NaN;
        bool neg = a.Negative != b.Negative;
        if (a.IsInfinity || b.IsInfinity) return a.IsZero || b.IsZero ? NaN : Infinity(neg);
        if (a.IsZero || b.IsZero) return SignedZero(neg);
        if (a.Den.IsOne && b.Den.IsOne)
            return new ExactValue(ExactKind.Finite, neg, a.Num * b.Num, BigInteger.One, checked(a.Exp2 + b.Exp2));
        return FromRational(neg ? -(a.Num * b.Num) : a.Num * b.Num, a.Den * b.Den, checked(a.Exp2 + b.Exp2));
    }

    public static ExactValue operator /(ExactValue a, ExactValue b)
    {
        if (a.IsNaN || b.IsNaN) return NaN;
        bool neg = a.Negative != b.Negative;
        if (a.IsInfinity) return b.IsInfinity ? NaN : Infinity(neg);
        if (b.IsInfinity) return SignedZero(neg);
        if (b.IsZero) return a.IsZero ? NaN : Infinity(neg);
        if (a.IsZero) return SignedZero(neg);
        var num = a.Num * b.Den;
        return FromRational(neg ? -num : num, a.Den * b.Num, checked(a.Exp2 - b.Exp2));
    }

    /// <summary>Compares finite or infinite values (−0 = +0); NaN sorts below everything.</summary>
    public int CompareTo(ExactValue other)
    {
        if (IsNaN || other.IsNaN) return IsNaN == other.IsNaN ? 0 : IsNaN ? -1 : 1;
        int sa = SignOf(this), sb = SignOf(other);
        if (sa != sb) return sa.CompareTo(sb);
        if (IsInfinity || other.IsInfinity) return IsInfinity == other.IsInfinity ? 0 : (IsInfinity ? sa : -sa);
        if (sa == 0) return 0;
        // Same sign, both finite nonzero: compare magnitudes Num·OtherDen·2^Exp2.
        int e = Math.Min(Exp2, other.Exp2);
        var l = (Num << (Exp2 - e)) * other.Den;
        var r = (other.Num << (other.Exp2 - e)) * Den;
        int c = l.CompareTo(r);
        return sa < 0 ? -c : c;
    }

    private static int SignOf(ExactValue v) => v.IsZero ? 0 : v.Negative ? -1 : 1;

    public bool Equals(ExactValue other) =>
        Kind == other.Kind && Negative == other.Negative && Num == other.Num && Den == other.Den && Exp2 == other.Exp2;

    public override bool Equals(object? obj) => obj is ExactValue v && Equals(v);
    public override int GetHashCode() => HashCode.Combine(Kind, Negative, Num, Den, Exp2);
    public static bool operator ==(ExactValue a, ExactValue b) => a.Equals(b);
    public static bool operator !=(ExactValue a, ExactValue b) => !a.Equals(b);

    /// <summary>Numerator and denominator as plain integers (sign on the numerator).</summary>
    public (BigInteger Numerator, BigInteger Denominator) ToFraction()
    {
        if (Kind != ExactKind.Finite) return (BigInteger.Zero, BigInteger.One);
        var n = Exp2 >= 0 ? Num << Exp2 : Num;
        var d = Exp2 >= 0 ? Den : Den << -Exp2;
        return (Negative ? -n : n, d);
    }

    /// <summary>"-3/8", "5", "0", "-0", "inf", "-inf" or "nan".</summary>
    public string ToFractionString()
    {
        switch (Kind)
        {
            case ExactKind.NaN: return "nan";
            case ExactKind.Infinity: return Negative ? "-inf" : "inf";
            case ExactKind.Zero: return Negative ? "-0" : "0";
        }
        var (n, d) = ToFraction();
        return d.IsOne ? n.ToString(CultureInfo.InvariantCulture) : $"{n.ToString(CultureInfo.InvariantCulture)}/{d.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>
    /// The decimal expansion: exact for dyadic values (they always terminate); otherwise
    /// <paramref name="maxFractionDigits"/> digits truncated and followed by "...".
    /// </summary>
    public string ToDecimalString(int maxFractionDigits = 60)
    {
        switch (Kind)
        {
            case ExactKind.NaN: return "nan";
            case ExactKind.Infinity: return Negative ? "-inf" : "inf";
            case ExactKind.Zero: return Negative ? "-0" : "0";
        }
        var (n, d) = ToFraction();
        n = BigInteger.Abs(n);
        var intPart = BigInteger.DivRem(n, d, out var rem);
        var sb = new StringBuilder();
        if (Negative) sb.Append('-');
        sb.Append(intPart.ToString(CultureInfo.InvariantCulture));
        if (rem.IsZero) return sb.ToString();
        sb.Append('.');
        if (Den.IsOne)
        {
            // rem / 2^k = rem·5^k / 10^k exactly, k digits.
            int k = -Exp2;
            var digits = (rem * BigInteger.Pow(5, k)).ToString(CultureInfo.InvariantCulture).PadLeft(k, '0').TrimEnd('0');
            return sb.Append(digits).ToString();
        }
        for (int i = 0; i < maxFractionDigits && !rem.IsZero; i++)
        {
            rem *= 10;
            var digit = BigInteger.DivRem(rem, d, out rem);
            sb.Append((char)('0' + (int)digit));
        }
        if (!rem.IsZero) sb.Append("...");
        return sb.ToString();
    }

    public override string ToString() => ToFractionString();

    /// <summary>
    /// Parses a decimal ("-1.25", "3e-5", ".5"), a fraction ("-3/8"), a hexadecimal float ("0x1.8p-3"),
    /// or "inf", "-inf", "nan" — all exactly.
    /// </summary>
    public static bool TryParse(string? text, out ExactValue value)
    {
        value = NaN;
        var s = (text ?? "").Trim().Replace("_", "").ToLowerInvariant();
        if (s.Length == 0) return false;
        bool neg = false;
        string body = s;
        if (body[0] is '+' or '-') { neg = body[0] == '-'; body = body[1..]; }
        if (body.Length == 0) return false;
        if (body is "inf" or "infinity") { value = Infinity(neg); return true; }
        if (body is "nan" or "nar") { value = NaN; return true; }
        int slash = body.IndexOf('/');
        if (slash >= 0)
        {
            if (!TryParse(body[..slash], out var a) || !TryParse(body[(slash + 1)..], out var b)) return false;
            if (!a.IsFinite || !b.IsFinite || b.IsZero) return false;
            value = a / b;
            if (neg) value = value.Negate();
            return true;
        }
        if (body.StartsWith("0x")) return TryParseHexFloat(body[2..], neg, out value);
        int ePos = body.IndexOf('e');
        long exp10 = 0;
        string mant = body;
        if (ePos >= 0)
        {
            if (!long.TryParse(body[(ePos + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exp10)) return false;
            if (Math.Abs(exp10) > 100_000) return false;
            mant = body[..ePos];
        }
        int dot = mant.IndexOf('.');
        string digits = dot < 0 ? mant : mant[..dot] + mant[(dot + 1)..];
        if (digits.Length == 0 || digits.Any(c => c < '0' || c > '9')) return false;
        if (dot >= 0) exp10 -= mant.Length - dot - 1;
        var n = BigInteger.Parse(digits, CultureInfo.InvariantCulture);
        if (n.IsZero) { value = SignedZero(neg); return true; }
        // n·10^e = n·5^e·2^e
        value = exp10 >= 0
            ? FromDyadic(neg, n * BigInteger.Pow(5, (int)exp10), (int)exp10)
            : FromRational(neg ? -n : n, BigInteger.Pow(5, (int)-exp10), (int)exp10);
        return true;
    }

    private static bool TryParseHexFloat(string body, bool neg, out ExactValue value)
    {
        value = NaN;
        int p = body.IndexOf('p');
        long exp2 = 0;
        string mant = body;
        if (p >= 0)
        {
            if (!long.TryParse(body[(p + 1)..], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out exp2)) return false;
            if (Math.Abs(exp2) > 1_000_000) return false;
            mant = body[..p];
        }
        int dot = mant.IndexOf('.');
        string digits = dot < 0 ? mant : mant[..dot] + mant[(dot + 1)..];
        if (digits.Length == 0 || !digits.All(Uri.IsHexDigit)) return false;
        if (dot >= 0) exp2 -= 4L * (mant.Length - dot - 1);
        var n = BigInteger.Parse("0" + digits, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
        value = FromDyadic(neg, n, (int)exp2);
        return true;
    }

    public static ExactValue Parse(string text) =>
        TryParse(text, out var v) ? v : throw new MantissaException($"'{text}' is not a number (expected a decimal like -1.25e-3, a fraction like 3/8, a hex float like 0x1.8p-3, inf or nan)");
}
