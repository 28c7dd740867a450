namespace Mantissa.Arch.Numerics;

/// <summary>How an exact value is rounded to a format: nearest-even, toward zero, up (+inf), down (-inf) or stochastic.</summary>
public enum RoundingMode
{
    /// <summary>Round to nearest, ties to the even code (IEEE roundTiesToEven; posits: ties to even bit pattern).</summary>
    Rne,
    /// <summary>Round toward zero (truncate).</summary>
    Rtz,
    /// <summary>Round toward +infinity.</summary>
    Rup,
    /// <summary>Round toward -infinity.</summary>
    Rdn,
    /// <summary>Stochastic rounding: up with probability equal to the distance from the lower neighbour, in ulps.</summary>
    Sr,
}

/// <summary>Parsing and naming of <see cref="RoundingMode"/> values (<c>rne</c>, <c>rtz</c>, <c>rup</c>, <c>rdn</c>, <c>sr</c>).</summary>
public static class RoundingModes
{
    public const string Names = "rne, rtz, rup, rdn, sr";

    public static bool TryParse(string? text, out RoundingMode mode)
    {
        switch ((text ?? "").Trim().ToLowerInvariant())
        {
            case "rne": mode = RoundingMode.Rne; return true;
            case "rtz": mode = RoundingMode.Rtz; return true;
            case "rup": mode = RoundingMode.Rup; return true;
            case "rdn": mode = RoundingMode.Rdn; return true;
            case "sr": mode = RoundingMode.Sr; return true;
            default: mode = RoundingMode.Rne; return false;
        }
    }

    public static RoundingMode Parse(string text) =>
        TryParse(text, out var m) ? m : throw new MantissaException($"unknown rounding mode '{text}'; expected one of {Names}");

    public static string Name(this RoundingMode mode) => mode.ToString().ToLowerInvariant();
}

/// <summary>A rounding direction on magnitudes, after the sign has been taken into account.</summary>
internal enum MagnitudeRounding { NearestEven, TowardZero, AwayFromZero, Stochastic }

/// <summary>Maps a signed rounding mode to the direction it rounds a magnitude of the given sign.</summary>
internal static class MagnitudeRoundingOf
{
    public static MagnitudeRounding For(RoundingMode mode, bool negative) => mode switch
    {
        RoundingMode.Rne => MagnitudeRounding.NearestEven,
        RoundingMode.Rtz => MagnitudeRounding.TowardZero,
        RoundingMode.Rup => negative ? MagnitudeRounding.TowardZero : MagnitudeRounding.AwayFromZero,
        RoundingMode.Rdn => negative ? MagnitudeRounding.AwayFromZero : MagnitudeRounding.TowardZero,
        RoundingMode.Sr => MagnitudeRounding.Stochastic,
        _ => throw new ArgumentOutOfRangeException(nameof(mode)),
    };
}
