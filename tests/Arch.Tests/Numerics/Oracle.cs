using System.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>A test-only exact rational (sign on the numerator, positive denominator), independent of ExactValue.</summary>
internal readonly record struct Q(BigInteger Num, BigInteger Den) : IComparable<Q>
{
    /// <summary>n/d, not reduced (comparisons cross-multiply, so lowest terms are never needed).</summary>
    public static Q Of(BigInteger n, BigInteger d) => d.Sign < 0 ? new Q(-n, -d) : new Q(n, d);

    public static Q Int(BigInteger n) => new(n, BigInteger.One);
    public static Q Pow2(int e) => e >= 0 ? new Q(BigInteger.One << e, BigInteger.One) : new Q(BigInteger.One, BigInteger.One << -e);
    public int Sign => Num.Sign;
    public bool IsZero => Num.IsZero;
    public static Q operator +(Q a, Q b) => a.Den == b.Den ? new Q(a.Num + b.Num, a.Den) : Of(a.Num * b.Den + b.Num * a.Den, a.Den * b.Den);
    public static Q operator -(Q a, Q b) => a.Den == b.Den ? new Q(a.Num - b.Num, a.Den) : Of(a.Num * b.Den - b.Num * a.Den, a.Den * b.Den);
    public static Q operator -(Q a) => new(-a.Num, a.Den);
    public static Q operator *(Q a, Q b) => Of(a.Num * b.Num, a.Den * b.Den);
    public static Q operator /(Q a, Q b) => Of(a.Num * b.Den, a.Den * b.Num);
    public int CompareTo(Q o) => (Num * o.Den).CompareTo(o.Num * Den);
    public static bool operator <(Q a, Q b) => a.CompareTo(b) < 0;
    public static bool operator >(Q a, Q b) => a.CompareTo(b) > 0;
    public static bool operator <=(Q a, Q b) => a.CompareTo(b) <= 0;
    public static bool operator >=(Q a, Q b) => a.CompareTo(b) >= 0;
    public Q Abs() => new(BigInteger.Abs(Num), Den);

    /// <summary>The exact value of a finite double, from its bit fields.</summary>
    public static Q FromDouble(double x)
    {
        long bits = BitConverter.DoubleToInt64Bits(x);
        int be = (int)((bits >> 52) & 0x7FF);
        long frac = bits & ((1L << 52) - 1);
        var mag = be == 0 ? Q.Int(frac) * Pow2(-1074) : Q.Int(frac + (1L << 52)) * Pow2(be - 1075);
        return bits < 0 ? -mag : mag;
    }
    public double ToDouble() => (double)Num / (double)Den;
}

internal enum RKind { Num, NaN, PosInf, NegInf }

/// <summary>An oracle value: a rational (with the sign of zero kept separately) or a special.</summary>
internal readonly record struct RVal(RKind Kind, Q Value, bool NegZero)
{
    public static RVal NaN => new(RKind.NaN, default, false);
    public static RVal Inf(bool neg) => new(neg ? RKind.NegInf : RKind.PosInf, default, false);
    public static RVal Of(Q q, bool negZero = false) => new(RKind.Num, q, q.IsZero && negZero);
    public bool IsInf => Kind is RKind.PosInf or RKind.NegInf;
    public bool IsZero => Kind == RKind.Num && Value.IsZero;
    /// <summary>Sign bit: negative numbers, −0 and −inf.</summary>
    public bool SignBit => Kind == RKind.NegInf || (Kind == RKind.Num && (Value.Sign < 0 || NegZero));
}

internal enum OMode { Rne, Rtz, Rup, Rdn }

/// <summary>
/// The reference: decodes every code of a format (≤ 16 bits) with its own bit-field code, sorts all representable
/// values, and rounds an exact rational by picking a neighbour (ties to the even code; posits: the (n+1)-bit midpoint
/// pattern), plus each family's overflow rule. It shares no code with the production codecs.
/// </summary>
internal sealed class Oracle
{
    public enum Family { Ieee, FiniteOnly, E4M3, Posit, Int, Table }

    private readonly Family _family;
    private readonly int _bits, _e, _m, _es;
    private readonly long _intMin, _intMax;
    private readonly RVal[] _decoded;
    private readonly Q[] _sorted;       // finite values ascending (one zero)
    private readonly double[] _sortedApprox; // the same values as doubles, only to start the exact search near the answer
    private readonly ulong[] _sortedCode;
    private readonly Q[]? _positMid;    // posits: boundary between _sorted[i] and _sorted[i+1]
    private readonly List<Q>? _tableMagnitudes; // ANT/OliVe: magnitudes by magnitude code (monotone codes)
    private readonly bool _tableSigned;

    public Oracle(string name)
    {
        Name = name;
        switch (name)
        {
            case "fp4e2m1": _family = Family.FiniteOnly; _e = 2; _m = 1; break;
            case "fp6e2m3": _family = Family.FiniteOnly; _e = 2; _m = 3; break;
            case "fp6e3m2": _family = Family.FiniteOnly; _e = 3; _m = 2; break;
            case "fp8e4m3": _family = Family.E4M3; _e = 4; _m = 3; break;
            case "fp8e5m2": _family = Family.Ieee; _e = 5; _m = 2; break;
            case "fp16": _family = Family.Ieee; _e = 5; _m = 10; break;
            case "bf16": _family = Family.Ieee; _e = 8; _m = 7; break;
            case "ternary": _family = Family.Int; _bits = 2; _intMin = -1; _intMax = 1; break;
            default:
                var fm = System.Text.RegularExpressions.Regex.Match(name, @"^fp(\d+)e(\d+)m(\d+)$");
                var im = System.Text.RegularExpressions.Regex.Match(name, @"^(u?)int(\d+)$");
                if (fm.Success) { _family = Family.Ieee; _e = int.Parse(fm.Groups[2].Value); _m = int.Parse(fm.Groups[3].Value); }
                else if (im.Success)
                {
                    _family = Family.Int; _bits = int.Parse(im.Groups[2].Value);
                    bool unsigned = im.Groups[1].Value == "u";
                    _intMin = unsigned ? 0 : -(1L << (_bits - 1));
                    _intMax = unsigned ? (1L << _bits) - 1 : (1L << (_bits - 1)) - 1;
                }
                else if (System.Text.RegularExpressions.Regex.Match(name, @"^(u?)(flint|pot|abfloat)(\d+)$") is { Success: true } tm)
                {
                    _family = Family.Table; _bits = int.Parse(tm.Groups[3].Value);
                    _tableSigned = tm.Groups[1].Value == "";
                    int vb = _tableSigned ? _bits - 1 : _bits;
                    _tableMagnitudes = tm.Groups[2].Value switch
                    {
                        "flint" => AntOliveValueLists.Flint(vb),
                        "pot" => AntOliveValueLists.Pot(vb),
                        _ => AntOliveValueLists.AbFloat(_bits),
                    };
                }
                else if (name.StartsWith("posit"))
                {
                    var parts = name["posit".Length..].Split("es");
                    _family = Family.Posit; _bits = int.Parse(parts[0]); _es = int.Parse(parts[1]);
                }
                else throw new ArgumentException(name);
                break;
        }
        if (_family is not (Family.Posit or Family.Int or Family.Table)) _bits = 1 + _e + _m;
        int count = 1 << _bits;
        _decoded = new RVal[count];
        var finite = new List<(Q v, ulong c)>();
        for (int c = 0; c < count; c++)
        {
            _decoded[c] = DecodeRef((ulong)c);
            var d = _decoded[c];
            if (d.Kind == RKind.Num && !(d.IsZero && c != 0)) finite.Add((d.Value, (ulong)c));
        }
        finite.Sort((a, b) => a.v.CompareTo(b.v));
        _sorted = finite.Select(t => t.v).ToArray();
        _sortedCode = finite.Select(t => t.c).ToArray();
        _sortedApprox = _sorted.Select(v => v.ToDouble()).ToArray();
        if (_family == Family.Posit)
        {
            _positMid = new Q[_sorted.Length - 1];
            for (int i = 0; i + 1 < _sorted.Length; i++)
            {
                // Midpoint of adjacent codes c and c+1 (two's complement order) is posit(n+1) code 2c+1.
                ulong c = _sortedCode[i];
                ulong wide = ((c << 1) | 1) & ((1UL << (_bits + 1)) - 1);
                _positMid[i] = DecodePosit(wide, _bits + 1, _es).Value;
            }
        }
    }

    public string Name { get; }
    public int Bits => _bits;
    public RVal Decode(ulong code) => _decoded[code];

    private RVal DecodeRef(ulong code) => _family switch
    {
        Family.Posit => DecodePosit(code, _bits, _es),
        Family.Int when Name == "ternary" && code == 2 => RVal.NaN,
        Family.Table => DecodeTable(code),
        Family.Int => RVal.Of(Q.Int(code >= (1UL << (_bits - 1)) && _intMin < 0 ? (long)code - (1L << _bits) : (long)code)),
        _ => DecodeFloat(code),
    };

    /// <summary>Sign-magnitude: the magnitude code indexes the ascending value list (the formats are monotone).</summary>
    private RVal DecodeTable(ulong code)
    {
        int magBits = _tableSigned ? _bits - 1 : _bits;
        bool neg = _tableSigned && (code >> magBits) != 0;
        var mag = _tableMagnitudes![(int)(code & ((1UL << magBits) - 1))];
        return RVal.Of(neg ? -mag : mag, neg);
    }

    private RVal DecodeFloat(ulong code)
    {
        string bits = Convert.ToString((long)code, 2).PadLeft(_bits, '0');
        bool neg = bits[0] == '1';
        int ef = Convert.ToInt32(bits.Substring(1, _e), 2);
        int f = _m == 0 ? 0 : Convert.ToInt32(bits.Substring(1 + _e, _m), 2);
        int bias = (1 << (_e - 1)) - 1, top = (1 << _e) - 1;
        if (_family == Family.Ieee && ef == top) return f == 0 ? RVal.Inf(neg) : RVal.NaN;
        if (_family == Family.E4M3 && ef == top && f == (1 << _m) - 1) return RVal.NaN;
        Q mag = ef == 0
            ? Q.Of(f, BigInteger.One << _m) * Q.Pow2(1 - bias)
            : Q.Of((1 << _m) + f, BigInteger.One << _m) * Q.Pow2(ef - bias);
        return RVal.Of(neg ? -mag : mag, neg);
    }

    /// <summary>Posit decoding from the bit string: sign, regime run, es exponent bits (zero-padded), fraction.</summary>
    public static RVal DecodePosit(ulong code, int n, int es)
    {
        if (code == 0) return RVal.Of(Q.Int(0));
        if (code == 1UL << (n - 1)) return RVal.NaN;
        bool neg = (code >> (n - 1)) != 0;
        ulong p = neg ? ((1UL << n) - code) : code;
        string s = Convert.ToString((long)p, 2).PadLeft(n, '0')[1..];
        char r0 = s[0];
        int run = 0;
        while (run < s.Length && s[run] == r0) run++;
        int k = r0 == '1' ? run - 1 : -run;
        string rest = run + 1 <= s.Length ? s[Math.Min(s.Length, run + 1)..] : "";
        string ebits = (rest.Length >= es ? rest[..es] : rest).PadRight(es, '0');
        string fbits = rest.Length > es ? rest[es..] : "";
        int expo = es == 0 ? 0 : Convert.ToInt32(ebits, 2);
        Q frac = Q.Of((BigInteger.One << fbits.Length) + BinToBig(fbits), BigInteger.One << fbits.Length);
        var v = frac * Q.Pow2(k * (1 << es) + expo);
        return RVal.Of(neg ? -v : v);
    }

    private static BigInteger BinToBig(string bits)
    {
        BigInteger v = 0;
        foreach (char ch in bits) v = (v << 1) + (ch == '1' ? 1 : 0);
        return v;
    }

    /// <summary>The expected code of an exact result (NaN results are reported as null: any NaN code is accepted).</summary>
    public ulong? Round(RVal x, OMode mode, bool saturate = false)
    {
        switch (x.Kind)
        {
            case RKind.NaN:
                return _family switch { Family.Posit => 1UL << (_bits - 1), Family.Int => Name == "ternary" ? 2UL : 0UL, Family.FiniteOnly or Family.Table => 0, _ => null };
            case RKind.PosInf:
            case RKind.NegInf:
                return Infinity(x.Kind == RKind.NegInf, saturate);
        }
        var q = x.Value;
        if (q.IsZero) return ZeroCode(x.NegZero);
        int i = UpperIndex(q); // first index with _sorted[i] >= q
        if (i < _sorted.Length && _sorted[i].CompareTo(q) == 0) return _sortedCode[i];
        if (i == _sorted.Length) return Overflow(q, mode, saturate, positive: true);
        if (i == 0) return Overflow(q, mode, saturate, positive: false);
        int lo = i - 1, hi = i;
        int pick = Choose(q, lo, hi, mode);
        ulong code = _sortedCode[pick];
        if (_sorted[pick].IsZero) return ZeroCode(q.Sign < 0);
        return code;
    }

    private ulong ZeroCode(bool negative) =>
        (_family is Family.Ieee or Family.FiniteOnly or Family.E4M3 || (_family == Family.Table && _tableSigned)) && negative ? 1UL << (_bits - 1) : 0;

    private ulong Infinity(bool negative, bool saturate)
    {
        ulong sign = negative ? 1UL << (_bits - 1) : 0;
        switch (_family)
        {
            case Family.Posit: return 1UL << (_bits - 1);
            case Family.Int: return negative ? _sortedCode[0] : _sortedCode[^1];
            case Family.FiniteOnly: return negative ? _sortedCode[0] : _sortedCode[^1];
            case Family.Table: return negative ? _sortedCode[0] : _sortedCode[^1];
            case Family.E4M3: return saturate ? (negative ? _sortedCode[0] : _sortedCode[^1]) : sign | 0x7F;
            default: return saturate ? (negative ? _sortedCode[0] : _sortedCode[^1]) : sign | (((1UL << _e) - 1) << _m);
        }
    }

    private int UpperIndex(Q q)
    {
        // Start from an approximate position, then settle it with exact comparisons only.
        double approx = q.ToDouble();
        if (double.IsFinite(approx))
        {
            int i = Array.BinarySearch(_sortedApprox, approx);
            if (i < 0) i = ~i;
            while (i > 0 && _sorted[i - 1] >= q) i--;
            while (i < _sorted.Length && _sorted[i] < q) i++;
            return i;
        }
        int lo = 0, hi = _sorted.Length;
        while (lo < hi)
        {
            int mid = (lo + hi) / 2;
            if (_sorted[mid] < q) lo = mid + 1; else hi = mid;
        }
        return lo;
    }

    private int Choose(Q q, int lo, int hi, OMode mode)
    {
        bool positive = q.Sign > 0;
        if (_family == Family.Posit)
        {
            // Never round a nonzero value to zero.
            if (_sorted[lo].IsZero) return hi;
            if (_sorted[hi].IsZero) return lo;
        }
        switch (mode)
        {
            case OMode.Rtz: return positive ? lo : hi;
            case OMode.Rup: return hi;
            case OMode.Rdn: return lo;
        }
        int c;
        if (_family == Family.Posit) c = q.CompareTo(_positMid![lo]);
        else c = (q - _sorted[lo]).CompareTo(_sorted[hi] - q);
        if (c < 0) return lo;
        if (c > 0) return hi;
        return (_sortedCode[lo] & 1) == 0 ? lo : hi;
    }

    private ulong Overflow(Q q, OMode mode, bool saturate, bool positive)
    {
        int edge = positive ? _sorted.Length - 1 : 0;
        ulong maxCode = _sortedCode[edge];
        if (_family is Family.Posit or Family.Int or Family.FiniteOnly or Family.Table || saturate) return maxCode;
        bool awayFromZero = mode switch
        {
            OMode.Rtz => false,
            OMode.Rup => positive,
            OMode.Rdn => !positive,
            _ => RneOverflows(q.Abs(), edge),
        };
        if (!awayFromZero) return maxCode;
        return Infinity(!positive, saturate: false);
    }

    /// <summary>RNE with an unbounded exponent: does |q| round past the largest finite value?</summary>
    private bool RneOverflows(Q mag, int edge)
    {
        var max = _sorted[edge].Abs();
        int inner = edge == 0 ? 1 : edge - 1;
        var ulp = max - _sorted[inner].Abs();
        var mid = max + Q.Of(ulp.Num, ulp.Den * 2);
        int c = mag.CompareTo(mid);
        if (c != 0) return c > 0;
        // Tie: the next (virtual) code is max code + 1; ties go to the even one.
        return (_sortedCode[edge] & 1) == 1;
    }

    // ---- exact operations with IEEE / posit special-value rules ----

    public RVal Add(RVal a, RVal b, OMode mode) => AddCore(a, b, mode);
    public RVal Sub(RVal a, RVal b, OMode mode) => AddCore(a, Neg(b), mode);

    private static RVal Neg(RVal v) => v.Kind switch
    {
        RKind.NaN => v,
        RKind.PosInf => RVal.Inf(true),
        RKind.NegInf => RVal.Inf(false),
        _ => RVal.Of(-v.Value, !v.SignBit),
    };

    private RVal AddCore(RVal a, RVal b, OMode mode)
    {
        if (a.Kind == RKind.NaN || b.Kind == RKind.NaN) return RVal.NaN;
        if (a.IsInf && b.IsInf) return a.Kind == b.Kind ? a : RVal.NaN;
        if (a.IsInf) return a;
        if (b.IsInf) return b;
        var s = a.Value + b.Value;
        if (!s.IsZero) return RVal.Of(s);
        if (a.IsZero && b.IsZero)
            return RVal.Of(s, mode == OMode.Rdn ? a.SignBit || b.SignBit : a.SignBit && b.SignBit);
        return RVal.Of(s, mode == OMode.Rdn);
    }

    public RVal Mul(RVal a, RVal b)
    {
        if (a.Kind == RKind.NaN || b.Kind == RKind.NaN) return RVal.NaN;
        bool neg = a.SignBit != b.SignBit;
        if (a.IsInf || b.IsInf) return a.IsZero || b.IsZero ? RVal.NaN : RVal.Inf(neg);
        return RVal.Of(a.Value * b.Value, neg);
    }

    public RVal Div(RVal a, RVal b)
    {
        if (a.Kind == RKind.NaN || b.Kind == RKind.NaN) return RVal.NaN;
        bool neg = a.SignBit != b.SignBit;
        if (a.IsInf) return b.IsInf ? RVal.NaN : RVal.Inf(neg);
        if (b.IsInf) return RVal.Of(Q.Int(0), neg);
        if (b.IsZero) return a.IsZero ? RVal.NaN : (_family == Family.Posit ? RVal.NaN : RVal.Inf(neg));
        return RVal.Of(a.Value / b.Value, neg);
    }

    public RVal Fma(RVal a, RVal b, RVal c, OMode mode) => AddCore(Mul(a, b), c, mode);
}
