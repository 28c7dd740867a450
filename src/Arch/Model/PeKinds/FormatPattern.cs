using System.Text.RegularExpressions;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>Matches number formats against the comma-separated format patterns PE kinds declare.</summary>
/// <remarks>
/// Patterns: a format name; <c>intA..intB</c> / <c>uintA..uintB</c> width ranges; <c>posit*</c> any posit;
/// <c>fpN*</c> any N-bit minifloat; <c>mx*</c> any OCP MX block format; <c>bitmod*</c> the BitMoD weight types
/// (parsed by Mantissa.Sim for <c>mantissa dot</c>).
/// </remarks>
internal static partial class FormatPattern
{
    /// <summary>True when <paramref name="format"/> matches one of the comma-separated patterns.</summary>
    public static bool Matches(string patterns, NumberFormat format) =>
        patterns.Split(',', StringSplitOptions.TrimEntries).Any(p => MatchOne(p, format));

    private static bool MatchOne(string pattern, NumberFormat f)
    {
        if (pattern == f.Name) return true;
        if (pattern == "posit*") return f is PositFormat;
        if (pattern == "mx*") return f is BlockFormat b && b.BlockName.StartsWith("mx", StringComparison.Ordinal);
        if (pattern == "bitmod*") return f.Name.StartsWith("bitmod_", StringComparison.Ordinal);
        var m = FloatWidth().Match(pattern);
        if (m.Success) return f is FloatFormat ff && ff.Bits == int.Parse(m.Groups[1].Value);
        m = IntRange().Match(pattern);
        if (m.Success && f is IntFormat i && i.Signed == (m.Groups[1].Value == "int"))
            return i.IntBits >= int.Parse(m.Groups[2].Value) && i.IntBits <= int.Parse(m.Groups[3].Value);
        return false;
    }

    [GeneratedRegex(@"^fp(\d+)\*$")] private static partial Regex FloatWidth();
    [GeneratedRegex(@"^(int|uint)(\d+)\.\.(?:int|uint)(\d+)$")] private static partial Regex IntRange();
}
