namespace Mantissa.Arch.Numerics;

/// <summary>The non-integer element types of ANT's adaptive numerical data type (Guo et al., MICRO 2022).</summary>
public enum AntType
{
    /// <summary>flint: integer-spaced small values, float-spaced large ones (first-one-encoded exponent).</summary>
    Flint,
    /// <summary>Power of two: 0 and 2^0 .. 2^(2^B−2).</summary>
    Pot,
}

/// <summary>
/// An ANT element type in integer units (the smallest nonzero magnitude is 1; a tensor scale maps it onto real
/// values). Signed types are sign-magnitude with a B = Bits−1 bit magnitude, so code 100..0 is −0 (ANT's quantizer
/// pads its 2^Bits-entry grid with a second zero); unsigned types use all bits for the magnitude. Magnitude codes
/// increase with the value. Value sets follow ANT's public quantizer (clevercool/ANT-Quantization,
/// ant_quantization/antquant/quant_modules.py: flint_value, pot_value); ANT's int type is <see cref="IntFormat"/>.
/// </summary>
/// <remarks>
/// flint magnitudes (B bits, code c): c &lt; 2^(B−1) is the integer c; otherwise L leading ones, a zero and
/// m = B−L−1 mantissa bits give (2^m + mantissa)·2^(2L−1), and the all-ones code is 2^(2B−2).
/// For B = 3 (flint4): 0, 1, 2, 3, 4, 6, 8, 16; for B = 4 (uflint4): 0..8, 10, 12, 14, 16, 24, 32, 64.
/// </remarks>
public sealed record AntFormat(AntType Type, int AntBits, bool Signed) : ScalarFormat
{
    public override string Name => (Signed ? "" : "u") + (Type == AntType.Flint ? "flint" : "pot") + AntBits;
    public override int Bits => AntBits;

    /// <summary>Bits of the magnitude field (all bits but the sign).</summary>
    public int MagnitudeBits => Signed ? AntBits - 1 : AntBits;

    /// <summary>The magnitude of magnitude code <paramref name="c"/> as sig·2^exp (sig = 0 for zero).</summary>
    public (ulong Sig, int Exp) Magnitude(ulong c)
    {
        int b = MagnitudeBits;
        if (c == 0) return (0, 0);
        if (Type == AntType.Pot) return (1, (int)c - 1);
        if ((c >> (b - 1)) == 0) return (c, 0);                    // integer half
        int ones = 0;
        while (ones < b && ((c >> (b - 1 - ones)) & 1) != 0) ones++;
        if (ones == b) return (1, 2 * b - 2);
        int m = b - ones - 1;
        return ((1UL << m) | (c & ((1UL << m) - 1)), 2 * ones - 1);
    }
}

/// <summary>
/// OliVe's outlier type "abfloat" (adaptive-biased float, Guo et al., ISCA 2023) in the integer units of the normal
/// int type it pairs with: sign-magnitude, 2 exponent bits, M = Bits−3 fraction bits, value (1 + f/2^M)·2^(e + Bits−1).
/// The e = 0, f = 0 magnitude is not an outlier and decodes as zero, so the smallest outlier (1 + 2^−M)·2^(Bits−1)
/// lies just above the normal int maximum 2^(Bits−1)−1: abfloat4 is 0, 12, 16, 24, 32, 48, 64, 96. Value set from
/// OliVe's public quantizer (clevercool/ANT-Quantization, olive_quantization/antquant/quant_modules.py,
/// outlier_value with exp_bit 2, exp_base 5, divided by its normal grid step 32/2^(Bits−1)).
/// </summary>
public sealed record AbFloatFormat(int AbBits) : ScalarFormat
{
    public const int ExponentBits = 2;
    public override string Name => $"abfloat{AbBits}";
    public override int Bits => AbBits;
    public int MantissaBits => AbBits - 1 - ExponentBits;
    public int Bias => AbBits - 1;

    /// <summary>The magnitude of magnitude code <paramref name="c"/> as sig·2^exp (sig = 0 for zero).</summary>
    public (ulong Sig, int Exp) Magnitude(ulong c)
    {
        if (c == 0) return (0, 0);
        int m = MantissaBits;
        ulong e = c >> m, f = c & ((1UL << m) - 1);
        return ((1UL << m) | f, (int)e + Bias - m);
    }
}
