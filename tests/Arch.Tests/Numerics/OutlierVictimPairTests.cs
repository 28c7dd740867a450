using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>
/// OliVe's pair encoding against a reference built from OliVe's quantizer: round each element to the nearest value
/// of the combined normal+outlier grid, then zero the neighbour of an outlier (the first element wins a double outlier).
/// </summary>
public class OutlierVictimPairTests
{
    private sealed class PairOracle
    {
        private readonly List<Q> _grid;
        private readonly int _normalMax;
        private readonly Oracle _int, _ab;
        private readonly int _n;
        private readonly double[] _gridD;

        public PairOracle(int n)
        {
            _n = n;
            _normalMax = (1 << (n - 1)) - 1;
            _grid = Enumerable.Range(0, _normalMax + 1).Select(i => Q.Int(i)).ToList();
            _grid.AddRange(AntOliveValueLists.AbFloat(n).Skip(1));
            _gridD = _grid.Select(g => g.ToDouble()).ToArray();
            _int = new Oracle($"int{n}");
            _ab = new Oracle($"abfloat{n}");
        }

        public (Q First, Q Second) Decode(ulong pair)
        {
            ulong mask = (1UL << _n) - 1, id = 1UL << (_n - 1);
            ulong a = pair & mask, b = pair >> _n & mask;
            if (a == id) return (Q.Int(0), _ab.Decode(b).Value);
            if (b == id) return (_ab.Decode(a).Value, Q.Int(0));
            return (_int.Decode(a).Value, _int.Decode(b).Value);
        }

        /// <summary>
        /// Index into the magnitude grid of |x| under a signed mode. Grid values, inputs and the differences compared
        /// are small dyadics, exact in double, so double arithmetic is exact here.
        /// </summary>
        private int RoundIndex(double x, OMode mode)
        {
            double m = Math.Abs(x);
            int hi = Array.BinarySearch(_gridD, m);
            if (hi >= 0) return hi;
            hi = ~hi;
            if (hi == _gridD.Length) return _gridD.Length - 1;
            int lo = hi - 1;
            bool neg = x < 0;
            switch (mode)
            {
                case OMode.Rtz: return lo;
                case OMode.Rup: return neg ? lo : hi;
                case OMode.Rdn: return neg ? hi : lo;
            }
            int c = (m - _gridD[lo]).CompareTo(_gridD[hi] - m);
            return c < 0 ? lo : c > 0 ? hi : (lo % 2 == 0 ? lo : hi);
        }

        public (double First, double Second) Quantize(double a, double b, OMode mode)
        {
            int ia = RoundIndex(a, mode), ib = RoundIndex(b, mode);
            double va = a < 0 ? -_gridD[ia] : _gridD[ia], vb = b < 0 ? -_gridD[ib] : _gridD[ib];
            if (ia > _normalMax) return (va, 0);
            if (ib > _normalMax) return (0, vb);
            return (va, vb);
        }
    }

    [Theory]
    [InlineData(4)]
    [InlineData(6)]
    [InlineData(8)]
    public void EveryPairCodeDecodesAsTheReference(int n)
    {
        var ovp = new OutlierVictimPair(n);
        var o = new PairOracle(n);
        for (ulong p = 0; p < 1UL << (2 * n); p++)
        {
            var (a, b) = ovp.Decode(p);
            var (ea, eb) = o.Decode(p);
            Assert.Equal(ea.ToDouble(), a.ToDouble());
            Assert.Equal(eb.ToDouble(), b.ToDouble());
        }
    }

    [Theory]
    [InlineData(4, 0.25, 100)]
    [InlineData(8, 6, 2050)]
    public void EncodingMatchesTheReferenceQuantizerOnAGrid(int n, double step, double max)
    {
        var ovp = new OutlierVictimPair(n);
        var o = new PairOracle(n);
        var xs = new List<double>();
        for (double x = -max; x <= max; x += step) xs.Add(x);
        foreach (var (om, rm) in new[] { (OMode.Rne, RoundingMode.Rne), (OMode.Rtz, RoundingMode.Rtz), (OMode.Rup, RoundingMode.Rup), (OMode.Rdn, RoundingMode.Rdn) })
            for (int i = 0; i < xs.Count; i++)
                for (int j = (i * 7) % 9; j < xs.Count; j += 9)   // every value in each slot, against a ninth of the other
                {
                    double a = xs[i], b = xs[j];
                    var (ga, gb) = ovp.Decode(ovp.Encode(a, b, rm));
                    var (wa, wb) = o.Quantize(a, b, om);
                    if (ga.ToDouble() != wa || gb.ToDouble() != wb)
                        Assert.Fail($"olive{n} {rm} ({a}, {b}): got ({ga.ToDouble()}, {gb.ToDouble()}), want ({wa}, {wb})");
                }
    }

    [Fact]
    public void OutlierTakesItsNeighboursSlot()
    {
        var ovp = new OutlierVictimPair(4);
        ulong p = ovp.Encode(3.2, 50);           // 50 → outlier 48, 3.2 is the victim
        Assert.Equal(0x58UL, p);                 // identifier 1000 in the first slot, abfloat4 0101 = 48 in the second
        Assert.Equal((0.0, 48.0), (ovp.Decode(p).First.ToDouble(), ovp.Decode(p).Second.ToDouble()));
        Assert.True(ovp.HasOutlier(p));
        var both = ovp.Decode(ovp.Encode(-100, 20));   // both outliers: the first is kept (saturated at −96)
        Assert.Equal((-96.0, 0.0), (both.First.ToDouble(), both.Second.ToDouble()));
        var normal = ovp.Decode(ovp.Encode(-7.4, 2.5)); // no outlier: int4 RNE, never the reserved −8
        Assert.Equal((-7.0, 2.0), (normal.First.ToDouble(), normal.Second.ToDouble()));
        Assert.Equal(12.0, ovp.Decode(ovp.Encode(9.5, 0)).First.ToDouble()); // tie 7 | 12 goes to the outlier
    }
}
