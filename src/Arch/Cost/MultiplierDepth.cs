namespace Mantissa.Arch.Cost;

/// <summary>
/// Energy of an integer multiplier with fewer partial-product rows than the library's smallest row (Horowitz's 8×8): per
/// partial-product bit it scales with the depth of the reduction tree, log2 of the rows (the narrower operand's width).
/// </summary>
/// <remarks>
/// Source: EvoApproxLib's exact (zero-error) multipliers, one synthesis flow at 45 nm (ehw-fit/evoapproxlib meta.json, power
/// in mW): 8×2 0.033, 8×3 0.082, 8×4 0.137, 8×5 0.198, 8×6 0.267, 8×7 0.336, 8×8 0.391, 7×7 0.277. Per partial-product bit
/// that is 2.06, 3.42, 4.28, 4.95, 5.56, 6.00, 6.11 and 5.65 µW: with one row of adders (8×2) a bit costs a third of an 8×8's,
/// as log2(2)/log2(8) says, and log2(rows)/3 gives every one of these within 7%. Area per bit is flat in the same data from
/// three rows up (10.3–11.2 µm²), so only energy follows the rule: a deeper tree switches each cell more often (glitches), it
/// does not add cells per bit. At eight rows and more the library keeps Horowitz's rows, whose 8×8 and 32×32 multipliers
/// cost the same per bit (3.1 and 3.0 fJ), although EvoApproxLib's 11–16-bit multipliers cost 1.26–1.41× its 8×8 per bit.
/// Integer multipliers only: a floating-point multiplier's exponent, normalize and round logic does not shrink with the
/// significand array, and Horowitz's FP rows (FP16, FP32) carry it.
/// </remarks>
public static class MultiplierDepth
{
    /// <summary>Partial-product rows of the library's smallest multiplier row (Horowitz's 8×8), at and beyond which the
    /// library's per-bit energy holds as tabulated.</summary>
    public const int ReferenceRows = 8;

    /// <summary>Where the rule comes from, as cost tables cite it.</summary>
    public const string Source = "energy per partial-product bit x log2(rows)/log2(8) below 8 rows (EvoApproxLib exact multipliers, 45 nm)";

    /// <summary>The factor on the library's per-bit energy of an <paramref name="a"/>×<paramref name="b"/> multiplier:
    /// log2(rows)/log2(8) for fewer than eight rows (rows = the narrower operand, at least 2), otherwise 1.</summary>
    public static double EnergyFactor(int a, int b)
    {
        int rows = Math.Max(2, Math.Min(a, b));
        return rows >= ReferenceRows ? 1.0 : Math.Log2(rows) / Math.Log2(ReferenceRows);
    }
}
