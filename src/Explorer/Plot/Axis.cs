using System.Globalization;

namespace Mantissa.Explorer.Plot;

/// <summary>A linear or logarithmic axis over [Min, Max] with "nice" tick positions.</summary>
public sealed class Axis
{
    private Axis(double min, double max, bool log)
    {
        Min = min;
        Max = max;
        Log = log;
    }

    public double Min { get; }
    public double Max { get; }
    public bool Log { get; }

    /// <summary>Ratio of max to min above which an all-positive axis becomes logarithmic.</summary>
    public const double LogThreshold = 100;

    /// <summary>An axis covering <paramref name="values"/>; logarithmic when they are positive and span two decades or more.</summary>
    public static Axis Fit(IEnumerable<double> values, bool allowLog = true, bool forceLog = false)
    {
        // one pass, nothing kept: a plot of a million designs fits its axes without a copy of them
        double lo = double.PositiveInfinity, hi = double.NegativeInfinity;
        bool any = false;
        foreach (double x in values)
        {
            if (!double.IsFinite(x)) continue;
            if (!any || x < lo) lo = x;
            if (!any || x > hi) hi = x;
            any = true;
        }
        if (!any) return new Axis(0, 1, false);
        if ((forceLog || (allowLog && hi / lo >= LogThreshold)) && lo > 0)
        {
            double a = Math.Floor(Math.Log10(lo)), b = Math.Ceiling(Math.Log10(hi));
            if (b <= a) b = a + 1;
            return new Axis(Math.Pow(10, a), Math.Pow(10, b), true);
        }
        if (hi == lo) { double pad = lo == 0 ? 1 : Math.Abs(lo) * 0.1; lo -= pad; hi += pad; }
        double step = NiceStep((hi - lo) / 6);
        double min = Math.Floor(lo / step) * step, max = Math.Ceiling(hi / step) * step;
        if (lo >= 0 && min < 0) min = 0;
        return new Axis(min, max, false);
    }

    /// <summary>A fixed axis (for rooflines and bars).</summary>
    public static Axis Of(double min, double max, bool log) => new(min, max, log);

    /// <summary>Position of <paramref name="v"/> in [0, 1].</summary>
    public double Fraction(double v)
    {
        if (Log) return (Math.Log10(Math.Max(v, Min * 1e-3)) - Math.Log10(Min)) / (Math.Log10(Max) - Math.Log10(Min));
        return (v - Min) / (Max - Min);
    }

    public IReadOnlyList<double> Ticks()
    {
        var ticks = new List<double>();
        if (Log)
        {
            int a = (int)Math.Round(Math.Log10(Min)), b = (int)Math.Round(Math.Log10(Max));
            int every = Math.Max(1, (b - a + 7) / 8);
            for (int e = a; e <= b; e += every) ticks.Add(Math.Pow(10, e));
            return ticks;
        }
        double step = NiceStep((Max - Min) / 6);
        for (double t = Math.Ceiling(Min / step - 1e-9) * step; t <= Max + step * 1e-9; t += step)
            ticks.Add(Math.Abs(t) < step * 1e-9 ? 0 : t);
        return ticks;
    }

    private static double NiceStep(double raw)
    {
        if (raw <= 0 || !double.IsFinite(raw)) return 1;
        double p = Math.Pow(10, Math.Floor(Math.Log10(raw)));
        double f = raw / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    /// <summary>Compact tick text: 0.5, 120, 1e-6, 3.2e9.</summary>
    public static string Label(double v)
    {
        if (v == 0) return "0";
        double a = Math.Abs(v);
        if (a >= 1e4 || a < 1e-3)
        {
            int e = (int)Math.Floor(Math.Log10(a));
            double m = v / Math.Pow(10, e);
            // 9.96e8 must print as 1e9, not 10e8: carry into the exponent when the one-decimal mantissa rounds to 10.
            if (Math.Abs(Math.Round(m, 1)) >= 10) { e++; m = v / Math.Pow(10, e); }
            string ms = Math.Abs(m - Math.Round(m)) < 1e-9 ? ((int)Math.Round(m)).ToString(CultureInfo.InvariantCulture) : m.ToString("0.#", CultureInfo.InvariantCulture);
            return $"{ms}e{e}";
        }
        return v.ToString("G4", CultureInfo.InvariantCulture);
    }
}
