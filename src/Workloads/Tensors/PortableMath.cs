namespace Mantissa.Workloads.Tensors;

/// <summary>
/// Natural log and exp built only from IEEE-754 +, −, ×, ÷ and exact scaling, so synthetic tensors are
/// bit-identical on every platform (Math.Log/Math.Exp come from the C runtime and may differ in the last bit).
/// </summary>
public static class PortableMath
{
    internal const double Ln2Hi = 6.93147180369123816490e-01; // high part of ln 2 (fdlibm split), exact times small k
    internal const double Ln2Lo = 1.90821492927058770002e-10;
    internal const double Ln2 = 0.69314718055994530942;
    internal const double Sqrt2 = 1.41421356237309504880;

    /// <summary>ln(x) for x &gt; 0 (NaN for x &lt; 0 or NaN, −∞ for 0, +∞ for +∞); relative error about 1e-16.</summary>
    public static double Log(double x)
    {
        if (double.IsNaN(x) || x < 0) return double.NaN;
        if (x == 0) return double.NegativeInfinity;
        if (double.IsPositiveInfinity(x)) return x;
        int e = 0;
        if (x < 2.2250738585072014e-308) { x *= 18014398509481984.0; e = -54; } // subnormal: scale by 2^54
        long bits = BitConverter.DoubleToInt64Bits(x);
        e += (int)((bits >> 52) & 0x7FF) - 1023;
        double m = BitConverter.Int64BitsToDouble((bits & 0x000FFFFFFFFFFFFFL) | 0x3FF0000000000000L); // m in [1, 2)
        if (m > Sqrt2) { m *= 0.5; e++; }
        // ln m = 2 atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716, so s² ≤ 0.0295 and 11 terms reach 1e-17.
        double s = (m - 1) / (m + 1), s2 = s * s;
        double p = 1.0 / 23;
        for (int k = 10; k >= 0; k--) p = p * s2 + 1.0 / (2 * k + 1);
        return e * Ln2Hi + (2 * s * p + e * Ln2Lo);
    }

    /// <summary>e^x; overflow gives +∞ and deep underflow 0.</summary>
    public static double Exp(double x)
    {
        if (double.IsNaN(x)) return x;
        if (x > 709.782712893384) return double.PositiveInfinity;
        if (x < -745.1332191019412) return 0;
        double k = Math.Round(x / Ln2);
        double r = x - k * Ln2Hi - k * Ln2Lo; // |r| ≤ 0.347
        // Taylor series to r^16: truncation below 1e-20 for |r| ≤ 0.347.
        double p = 1;
        for (int n = 16; n >= 1; n--) p = 1 + p * r / n;
        return Math.ScaleB(p, (int)k);
    }
}
