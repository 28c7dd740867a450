using System.Globalization;
using System.Numerics;
using System.Text;

namespace Mantissa.Verification.Reference;

/// <summary>An exact rational number Num/Den (Den &gt; 0, reduced) for reference arithmetic.</summary>
public readonly struct Rational : IComparable<Rational>, IEquatable<Rational>
{
    public BigInteger Num { get; }
    public BigInteger Den { get; }

    public Rational(BigInteger num, BigInteger den)
    {
        if (den.IsZero) throw new DivideByZeroException();
        if (den.Sign < 0) { num = -num; den = -den; }
        if (den.IsPowerOfTwo)
        {
            // Dyadic values (nearly all of them here): reduce by shifting out common factors of two.
            if (!num.IsZero && !den.IsOne)
            {
                int common = (int)BigInteger.Min(BigInteger.TrailingZeroCount(num), BigInteger.TrailingZeroCount(den));
                if (common > 0) { num >>= common; den >>= common; }
            }
        }
        else
        {
            var g = BigInteger.GreatestCommonDivisor(num, den);
            if (!g.IsOne && !g.IsZero) { num /= g; den /= g; }
        }
        Num = num;
        Den = num.IsZero ? BigInteger.One : den;
    }

    public static readonly Rational Zero = new(0, 1);
    public static readonly Rational One = new(1, 1);

    public static implicit operator Rational(long v) => new(v, 1);
    public static implicit operator Rational(BigInteger v) => new(v, 1);

    /// <summary>2^e for any integer e.</summary>
    public static Rational Pow2(int e) => e >= 0 ? new(BigInteger.One << e, 1) : new(1, BigInteger.One << -e);

    public int Sign => Num.Sign;
    public bool IsZero => Num.IsZero;
    public Rational Abs() => new(BigInteger.Abs(Num), Den);

    public static Rational operator +(Rational a, Rational b) => new(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a, Rational b) => new(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);
    public static Rational operator -(Rational a) => new(-a.Num, a.Den);
    public static Rational operator *(Rational a, Rational b) => new(a.Num * b.Num, a.Den * b.Den);
    public static Rational operator /(Rational a, Rational b) => new(a.Num * b.Den, a.Den * b.Num);
    public static bool operator <(Rational a, Rational b) => a.CompareTo(b) < 0;
    public static bool operator >(Rational a, Rational b) => a.CompareTo(b) > 0;
    public static bool operator <=(Rational a, Rational b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Rational a, Rational b) => a.CompareTo(b) >= 0;
    public static bool operator ==(Rational a, Rational b) => a.Equals(b);
    public static bool operator !=(Rational a, Rational b) => !a.Equals(b);

    public int CompareTo(Rational o) => (Num * o.Den).CompareTo(o.Num * Den);
    public bool Equals(Rational o) => Num == o.Num && Den == o.Den;
    public override bool Equals(object? obj) => obj is Rational r && Equals(r);
    public override int GetHashCode() => HashCode.Combine(Num, Den);

    /// <summary>Largest integer ≤ this.</summary>
    public BigInteger Floor() => BigInteger.DivRem(Num, Den, out var r) is var q && r.Sign < 0 ? q - 1 : q;

    /// <summary>Nearest integer, ties to even.</summary>
    public BigInteger RoundHalfEven()
    {
        var f = Floor();
        var frac = this - f;
        int c = frac.CompareTo(new Rational(1, 2));
        return c < 0 ? f : c > 0 ? f + 1 : (f.IsEven ? f : f + 1);
    }

    /// <summary>floor(log2 |x|) for x ≠ 0.</summary>
    public int FloorLog2()
    {
        var a = Abs();
        int e = (int)(a.Num.GetBitLength() - a.Den.GetBitLength());
        if (a < Pow2(e)) e--;
        else if (a >= Pow2(e + 1)) e++;
        return e;
    }

    /// <summary>Exact decimal expansion (finite for dyadic rationals; otherwise 40 digits and "...").</summary>
    public override string ToString()
    {
        var sb = new StringBuilder();
        if (Num.Sign < 0) sb.Append('-');
        var n = BigInteger.Abs(Num);
        var ip = BigInteger.DivRem(n, Den, out var rem);
        sb.Append(ip.ToString(CultureInfo.InvariantCulture));
        if (rem.IsZero) return sb.ToString();
        sb.Append('.');
        for (int i = 0; i < 400 && !rem.IsZero; i++)
        {
            rem *= 10;
            sb.Append((char)('0' + (int)BigInteger.DivRem(rem, Den, out rem)));
            if (i == 40 && !IsDyadic) { sb.Append("..."); break; }
        }
        return sb.ToString();
    }

    private bool IsDyadic => (Den & (Den - 1)).IsZero;
}
