using System.Numerics;

namespace Mantissa.Arch.Tests.Numerics;

/// <summary>
/// Test-only value sets of ANT's and OliVe's element types, built the way their public quantizers build their grids
/// (clevercool/ANT-Quantization: ant_quantization/antquant/quant_modules.py flint_value/pot_value, and
/// olive_quantization/antquant/quant_modules.py int_value/outlier_value), rescaled to integer units. They share no
/// code with the production decoders, which read bit fields.
/// </summary>
internal static class AntOliveValueLists
{
    /// <summary>Nonnegative flint magnitudes for B value bits, ascending, in units of the smallest nonzero value.</summary>
    public static List<Q> Flint(int b)
    {
        var values = new List<Q> { Q.Int(0) };
        // exponents −1 .. −(B−1): exponent −(i+1) has B−i−2 mantissa bits
        for (int i = 0; i <= b - 1; i++)
        {
            int mant = b - (i + 2);
            if (mant < 0) continue;
            for (int j = 0; j < 1 << mant; j++) values.Add(Q.Pow2(-(i + 1)) * Q.Of((1 << mant) + j, 1 << mant));
        }
        int m0 = b - 2;
        for (int j = 0; j < 1 << m0; j++) values.Add(Q.Of((1 << m0) + j, 1 << m0));
        for (int i = 1; i < b - 1; i++)
        {
            int mant = b - i - 2;
            for (int j = 0; j < 1 << mant; j++) values.Add(Q.Pow2(i) * Q.Of((1 << mant) + j, 1 << mant));
        }
        values.Add(Q.Pow2(b - 1));
        return Normalize(values);
    }

    /// <summary>Nonnegative power-of-two magnitudes for B value bits: 0 and 2^0 .. 2^(2^B−2).</summary>
    public static List<Q> Pot(int b)
    {
        var values = new List<Q> { Q.Int(0) };
        for (int i = 0; i < (1 << b) - 1; i++) values.Add(Q.Pow2(i));
        return Normalize(values);
    }

    /// <summary>OliVe outlier magnitudes for an N-bit element in normal-int units (B = N−1 value bits).</summary>
    public static List<Q> AbFloat(int n)
    {
        int b = n - 1, expBits = 2, expBase = 5, mant = b - expBits;
        var values = new List<Q> { Q.Int(0) };
        // OliVe's normal grid is int·32/2^B, so one normal unit is 2^(5−B) there.
        var unit = Q.Pow2(5 - b);
        for (int i = expBase; i < expBase + (1 << expBits); i++)
            for (int j = 0; j < 1 << mant; j++)
            {
                if (i == expBase && j == 0) continue;
                values.Add(Q.Pow2(i) * Q.Of((1 << mant) + j, 1 << mant) / unit);
            }
        values.Sort();
        return values;
    }

    /// <summary>Sorts and rescales so the smallest nonzero magnitude is 1.</summary>
    private static List<Q> Normalize(List<Q> values)
    {
        values.Sort();
        var unit = values[1];
        return values.Select(v => v / unit).ToList();
    }
}
