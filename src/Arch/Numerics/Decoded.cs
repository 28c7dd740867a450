namespace Mantissa.Arch.Numerics;

/// <summary>
/// One decoded code: its class and exact value ±Significand·2^Exponent, plus the raw fields
/// (sign, posit regime, exponent field, fraction field) for display.
/// </summary>
public readonly record struct Decoded(
    NumberClass Class,
    bool Negative,
    ulong Significand,
    int Exponent,
    DecodedFields Fields)
{
    public bool IsFinite => Class is NumberClass.Zero or NumberClass.Subnormal or NumberClass.Normal;

    /// <summary>The exact value (NaN, ±inf and ±0 included).</summary>
    public ExactValue Value => Class switch
    {
        NumberClass.NaN => ExactValue.NaN,
        NumberClass.Infinity => ExactValue.Infinity(Negative),
        NumberClass.Zero => ExactValue.SignedZero(Negative),
        _ => ExactValue.FromDyadic(Negative, Significand, Exponent),
    };
}

/// <summary>
/// The bit fields of a code. <see cref="RegimeLength"/> is 0 for non-posits. <see cref="ExponentField"/> is the raw
/// exponent bits (posits: the es bits present, zero-padded), <see cref="UnbiasedExponent"/> the power of two of the
/// leading significand bit (for posits: regime·2^es + exponent).
/// </summary>
public readonly record struct DecodedFields(
    int SignBit,
    int Regime,
    int RegimeLength,
    uint ExponentField,
    int ExponentLength,
    int UnbiasedExponent,
    ulong Fraction,
    int FractionLength);
