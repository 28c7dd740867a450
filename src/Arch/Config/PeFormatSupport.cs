using System.Text.RegularExpressions;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Config;

/// <summary>Which operand formats each PE kind supports, written once as data.</summary>
/// <remarks>
/// Source: /work/shared/research/pe-models.md (§1 findings per PE family, §2.2 per-kind spec): BitMoD/Stripes
/// bit-serial, T-MAC/LUT Tensor Core, MixPE shift-add, XR-NPE SIMD posit/FP4, OCP MX v1.0 block dot products.
/// Patterns: a format name; <c>intA..intB</c> / <c>uintA..uintB</c> width ranges; <c>posit*</c> any posit;
/// <c>fpN*</c> any N-bit minifloat; <c>mx*</c> any OCP MX block format.
/// </remarks>
internal static partial class PeFormatSupport
{
    /// <summary>(kind, YAML name, allowed weight formats, allowed activation formats).</summary>
    public static readonly IReadOnlyList<(PeKind Kind, string Name, string Weights, string Activations)> Table =
    [
        (PeKind.IntMac, "int_mac", "int2..int32, uint1..uint32, ternary", "int2..int32, uint1..uint32"),
        (PeKind.BitSerial, "bit_serial", "int2..int8, ternary", "int8, fp16"),
        (PeKind.Lut, "lut", "int2..int4, uint1..uint4, ternary", "int8, fp16, bf16"),
        (PeKind.ShiftAdd, "shift_add", "int2..int8, uint2..uint8", "int8, fp16"),
        (PeKind.PositMac, "posit_mac", "posit*", "posit*"),
        (PeKind.MinifloatMac, "minifloat_mac", "fp4*, fp6*, fp8*", "fp4*, fp6*, fp8*"),
        // NVFP4 has the MX structure (element products times a shared scale), so the block dot product covers it too.
        (PeKind.MxDot, "mx_dot", "mx*, nvfp4", "mx*, nvfp4"),
        (PeKind.SimdMac, "simd_mac", "fp4e2m1, posit4es1, posit8es0, posit16es1", "fp4e2m1, posit4es1, posit8es0, posit16es1"),
        (PeKind.FpMac, "fp_mac", "fp16, bf16, fp32", "fp16, bf16, fp32"),
    ];

    public static IReadOnlyList<(string Name, PeKind Value)> KindNames { get; } = Table.Select(t => (t.Name, t.Kind)).ToList();

    public static string NameOf(PeKind kind) => Table.First(t => t.Kind == kind).Name;

    public static string WeightsOf(PeKind kind) => Table.First(t => t.Kind == kind).Weights;

    public static string ActivationsOf(PeKind kind) => Table.First(t => t.Kind == kind).Activations;

    /// <summary>True when <paramref name="format"/> matches one of the comma-separated patterns.</summary>
    public static bool Matches(string patterns, NumberFormat format) =>
        patterns.Split(',', StringSplitOptions.TrimEntries).Any(p => MatchOne(p, format));

    private static bool MatchOne(string pattern, NumberFormat f)
    {
        if (pattern == f.Name) return true;
        if (pattern == "posit*") return f is PositFormat;
        if (pattern == "mx*") return f is BlockFormat b && b.BlockName.StartsWith("mx", StringComparison.Ordinal);
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
