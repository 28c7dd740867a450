using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Mantissa.Workloads.Tensors;

/// <summary>
/// <see cref="PortableMath.Log"/> and <see cref="PortableMath.Exp"/> on four doubles at once, with the same operations
/// in the same order (IEEE-754 vector +, −, ×, ÷, round-to-nearest-even and exact scaling are correctly rounded per
/// lane, and no multiply-add is fused), so each lane has the bits of the scalar function. Only the ranges where that
/// is plain to see are taken (<see cref="LogCovers"/>, <see cref="ExpCovers"/>); other inputs go to the scalar functions.
/// </summary>
internal static class PortableMathX4
{
    private const double Ln2Hi = PortableMath.Ln2Hi, Ln2Lo = PortableMath.Ln2Lo, Ln2 = PortableMath.Ln2, Sqrt2 = PortableMath.Sqrt2;
    private const double MinNormal = 2.2250738585072014e-308;
    // the scalar Log's series coefficients 1 / (2k + 1), k = 0..10 (the same divisions, done once)
    private static readonly double[] OddReciprocals = Enumerable.Range(0, 11).Select(k => 1.0 / (2 * k + 1)).ToArray();

    /// <summary>True when the vector forms run on this machine (AVX: four-lane doubles with round-to-nearest-even).</summary>
    public static bool IsSupported => Avx.IsSupported && Vector256.IsHardwareAccelerated;

    /// <summary>True when every lane of <paramref name="x"/> is a normal number (the range of <see cref="Log"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool LogCovers(Vector256<double> x) =>
        Vector256.GreaterThanOrEqualAll(x, Vector256.Create(MinNormal)) && Vector256.LessThanOrEqualAll(x, Vector256.Create(double.MaxValue));

    /// <summary>True when every lane of <paramref name="x"/> is in [0, 709] (the range of <see cref="Exp"/>: a normal result, exact scaling).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool ExpCovers(Vector256<double> x) =>
        Vector256.GreaterThanOrEqualAll(x, Vector256<double>.Zero) && Vector256.LessThanOrEqualAll(x, Vector256.Create(709.0));

    /// <summary>ln x per lane, for normal positive x (see <see cref="PortableMath.Log"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Log(Vector256<double> x)
    {
        var bits = x.AsInt64();
        var e = Vector256.ConvertToDouble((bits >>> 52 & Vector256.Create(0x7FFL)) - Vector256.Create(1023L));
        var m = (bits & Vector256.Create(0x000FFFFFFFFFFFFFL) | Vector256.Create(0x3FF0000000000000L)).AsDouble();
        var above = Vector256.GreaterThan(m, Vector256.Create(Sqrt2));
        m = Vector256.ConditionalSelect(above, m * 0.5, m);
        e = Vector256.ConditionalSelect(above, e + Vector256<double>.One, e);
        var s = (m - Vector256<double>.One) / (m + Vector256<double>.One);
        var s2 = s * s;
        var p = Vector256.Create(1.0 / 23);
        for (int k = 10; k >= 0; k--) p = p * s2 + Vector256.Create(OddReciprocals[k]);
        return e * Ln2Hi + (Vector256.Create(2.0) * s * p + e * Ln2Lo);
    }

    /// <summary>e^x per lane, for 0 ≤ x ≤ 709 (see <see cref="PortableMath.Exp"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<double> Exp(Vector256<double> x)
    {
        var k = Avx.RoundToNearestInteger(x / Ln2);
        var r = x - k * Ln2Hi - k * Ln2Lo;
        var p = Vector256<double>.One;
        for (int n = 16; n >= 1; n--) p = Vector256<double>.One + p * r / n;
        // 2^k built from its exponent bits: exact for the 0 ≤ k ≤ 1023 this range gives
        var twoK = ((Vector256.ConvertToInt64(k) + Vector256.Create(1023L)) << 52).AsDouble();
        return p * twoK;
    }
}
