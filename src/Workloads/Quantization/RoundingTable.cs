using System.Collections.Concurrent;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Fast round-to-nearest-even, saturating, for formats of at most 16 bits, derived from the exact codec: the sorted
/// finite values and, at each exact midpoint between neighbours, the codec's own tie decision. Between midpoints the
/// nearest value is unambiguous, so <see cref="Round"/> equals decode(encode(x, Rne, saturate)) for every double x
/// (checked against the codec in the tests) at a binary search's cost.
/// </summary>
internal sealed class RoundingTable
{
    public const int MaxBits = 16;
    private static readonly ConcurrentDictionary<ScalarFormat, Lazy<RoundingTable>> Cache = new();

    private readonly double[] _values;
    private readonly double[] _mids;
    private readonly bool[] _tieUp;
    private readonly bool[] _linear;
    private readonly FormatCodec _codec;
    private readonly double _minPositive, _maxNegative;
    private readonly bool _zeroOnlyForZero;

    private RoundingTable(ScalarFormat format)
    {
        var codec = format.Codec;
        var vals = new List<double>();
        for (ulong c = 0; c < 1UL << format.Bits; c++)
        {
            double v = codec.ToDouble(c);
            if (double.IsFinite(v)) vals.Add(v == 0 ? 0.0 : v); // −0 and +0 dequantize alike
        }
        _values = vals.Distinct().OrderBy(v => v).ToArray();
        _mids = new double[_values.Length - 1];
        _tieUp = new bool[_mids.Length];
        _linear = new bool[_mids.Length];
        _codec = codec;
        double Q(double x) => codec.ToDouble(codec.FromDouble(x, RoundingMode.Rne, saturate: true));
        for (int i = 0; i < _mids.Length; i++)
        {
            // The midpoint of two values of ≤16-bit formats is exact in binary64.
            double mid = _values[i] / 2 + _values[i + 1] / 2;
            _linear[i] = Q(Math.BitDecrement(mid)) == _values[i] && Q(Math.BitIncrement(mid)) == _values[i + 1];
            if (_linear[i])
            {
                _mids[i] = mid;
                _tieUp[i] = Q(mid) == _values[i + 1];
                continue;
            }
            // Posits round on the bit pattern, so where the exponent is cut the boundary is not the linear midpoint:
            // bisect (on the ordered double bit patterns) for the smallest double that rounds up.
            long lo = Key(_values[i]), hi = Key(_values[i + 1]);
            while (hi - lo > 1)
            {
                long m = lo + (hi - lo) / 2;
                if (Q(FromKey(m)) == _values[i]) lo = m; else hi = m;
            }
            _mids[i] = FromKey(hi);
            _tieUp[i] = true;
        }
        // Posits never round a nonzero value to zero (nor overflow): anything tiny goes to ±minpos.
        _zeroOnlyForZero = codec.ToDouble(codec.FromDouble(double.Epsilon, RoundingMode.Rne, saturate: true)) != 0;
        _minPositive = _values.First(v => v > 0);
        _maxNegative = _values.LastOrDefault(v => v < 0, 0);
    }

    /// <summary>The table of <paramref name="format"/>, or null when it is wider than <see cref="MaxBits"/>.</summary>
    public static RoundingTable? For(ScalarFormat format) =>
        format.Bits > MaxBits ? null : Cache.GetOrAdd(format, f => new Lazy<RoundingTable>(() => new RoundingTable(f))).Value;

    public double Max => _values[^1];

    /// <summary>The value of the code the codec picks for <paramref name="x"/> (nearest-even, saturating; NaN stays NaN).</summary>
    public double Round(double x) => Round(x, 0, 1);  // v = 0 marks a plain rounding

    /// <summary>
    /// Rounds the exact quotient <paramref name="v"/>/<paramref name="s"/> (s &gt; 0): the double quotient is used, and
    /// when it sits exactly on a midpoint the exact remainder (one fused multiply-add) says which side the true value is on.
    /// </summary>
    public double RoundQuotient(double v, double s) => Round(v / s, v, s);

    private double Round(double x, double v, double s)
    {
        var values = _values;
        if (x >= values[^1]) return values[^1];
        if (!(x > values[0])) return x <= values[0] ? values[0] : double.NaN;
        var mids = _mids;
        int lo = 0, hi = mids.Length;
        while (lo < hi)
        {
            int m = (lo + hi) >> 1;
            if (x > mids[m]) lo = m + 1; else hi = m;
        }
        // mids[lo − 1] < x ≤ mids[lo]: values[lo] is nearest unless x is exactly the midpoint.
        double r = values[lo];
        if (lo < mids.Length && !_linear[lo] && (x == mids[lo] || x == Math.BitDecrement(mids[lo])))
            return Exact(x, v, s); // next to a bit-pattern boundary: let the codec decide on the exact quotient
        if (lo < mids.Length && x == mids[lo])
        {
            double rem = v == 0 ? 0 : Math.FusedMultiplyAdd(-x, s, v); // exact v − x·s
            r = rem == 0 ? (_tieUp[lo] ? values[lo + 1] : values[lo]) : rem > 0 ? values[lo + 1] : values[lo];
        }
        if (r == 0 && _zeroOnlyForZero && x != 0) return x > 0 ? _minPositive : _maxNegative;
        return r;
    }

    // Doubles mapped to integers in value order (negatives mirrored), so bisection can walk adjacent doubles.
    private static long Key(double x)
    {
        long b = BitConverter.DoubleToInt64Bits(x);
        return b < 0 ? -(b & long.MaxValue) : b;
    }

    private static double FromKey(long k) => k < 0 ? BitConverter.Int64BitsToDouble(-k | long.MinValue) : BitConverter.Int64BitsToDouble(k);

    private double Exact(double x, double v, double s)
    {
        ulong code = v == 0 && s == 1
            ? _codec.FromDouble(x, RoundingMode.Rne, saturate: true)
            : _codec.Encode(ExactValue.FromDouble(v) / ExactValue.FromDouble(s), RoundingMode.Rne, saturate: true);
        return _codec.ToDouble(code);
    }
}
