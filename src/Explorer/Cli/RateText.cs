using System.Globalization;

namespace Mantissa.Explorer.Cli;

/// <summary>Rates and durations printed with about three significant digits, so a slow run never reads "0 points/s".</summary>
public static class RateText
{
    public static string Of(double v)
    {
        var ci = CultureInfo.InvariantCulture;
        if (!double.IsFinite(v) || v <= 0) return "0";
        if (v >= 100) return v.ToString("#,0", ci);
        if (v >= 10) return v.ToString("0.0", ci);
        if (v >= 1) return v.ToString("0.00", ci);
        return v.ToString("G3", ci);
    }
}
