using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Builds a <see cref="QuantScheme"/> from a format name and options, with the defaults a weight quantizer uses:
/// block formats use their own blocks; ≤8-bit integers, minifloats and ANT/OliVe types are absmax-scaled per group (when a group size
/// is given) or per channel; unsigned integers are asymmetric (min/max, zero point); ternary uses BitNet absmean per
/// tensor; posits are RMS-scaled; wider floats are cast. Scales are stored in fp16 unless told otherwise.
/// </summary>
public static class QuantSchemes
{
    /// <summary>The default scale storage format (fp16, as GPTQ/AWQ/BitMoD software stores scales).</summary>
    public static readonly ScalarFormat DefaultScaleFormat = (ScalarFormat)NumberFormat.Parse("fp16");

    public const string ExtraNames = "bitmod-w4, bitmod-w3";

    /// <param name="name">A number format name (see NumberFormat.Parse) or bitmod-w4 / bitmod-w3.</param>
    /// <param name="group">Group size for per-group scaling; 0 for the format's default.</param>
    /// <param name="granularity">Overrides the default granularity (block formats ignore it).</param>
    /// <param name="scaleFormat">Scale storage format name, or "exact" for unrounded scales; null for the default.</param>
    public static QuantScheme Resolve(string name, int group = 0, QuantGranularity? granularity = null, string? scaleFormat = null)
    {
        if (group < 0) throw new MantissaException($"group size must be positive, got {group}");
        string n = (name ?? "").Trim().ToLowerInvariant();
        var scale = ParseScaleFormat(scaleFormat);
        if (n is "bitmod-w4" or "bitmod-w3" or "bitmod")
        {
            bool w3 = n == "bitmod-w3";
            int g = group > 0 ? group : 128;
            return new QuantScheme(n == "bitmod" ? "bitmod-w4" : n, NumberFormat.Parse(w3 ? "int3" : "int4"), QuantGranularity.PerGroup, g,
                scale, ScaleRule.AbsMax, w3 ? Quantization.BitModTypes.W3 : Quantization.BitModTypes.W4);
        }
        if (!NumberFormat.TryParse(n, out var format, out var error))
        {
            if (RecipePresets.Exists(n)) return RecipeSchemes.Resolve(n, group);
            throw new MantissaException(error + $"; quantization schemes also accept {ExtraNames} and the recipe presets {string.Join(", ", RecipePresets.Names)}");
        }
        switch (format)
        {
            case BlockFormat b:
                return new QuantScheme(b.Name, b, QuantGranularity.Block, b.BlockSize, b.Scale, ScaleRule.AbsMax);
            case OliveFormat:
                throw new MantissaException($"{format.Name} is an OliVe outlier-victim pair stream, a PE operand format; quantize its elements with int{format.Bits} and abfloat{format.Bits} (OutlierVictimPair in the library)");
            case E8M0Format:
                throw new MantissaException("e8m0 is a scale format (powers of two, no zero or sign), not a weight element format; use it with --scale-format");
            case TernaryFormat t:
                return Scaled(t, granularity ?? (group > 0 ? QuantGranularity.PerGroup : QuantGranularity.PerTensor), group, scale, ScaleRule.AbsMean);
            case IntFormat { Signed: false } u:
                return Scaled(u, granularity ?? Default(group), group, scale, ScaleRule.MinMax);
            case IntFormat i:
                return Scaled(i, granularity ?? Default(group), group, scale, ScaleRule.AbsMax);
            case FloatFormat f when f.Bits <= 8:
                return Scaled(f, granularity ?? Default(group), group, scale, ScaleRule.AbsMax);
            case AntFormat or AbFloatFormat:
                return Scaled((ScalarFormat)format, granularity ?? Default(group), group, scale, ScaleRule.AbsMax);
            case PositFormat p:
                return Scaled(p, granularity ?? (group > 0 ? QuantGranularity.PerGroup : QuantGranularity.PerTensor), group, scale, ScaleRule.Rms);
            default:
                if (granularity is { } g2 && g2 != QuantGranularity.Cast)
                    return Scaled((ScalarFormat)format!, g2, group, scale, ScaleRule.AbsMax);
                return new QuantScheme(format!.Name, format, QuantGranularity.Cast, 0, null, ScaleRule.None);
        }
    }

    private static QuantGranularity Default(int group) => group > 0 ? QuantGranularity.PerGroup : QuantGranularity.PerChannel;

    private static QuantScheme Scaled(ScalarFormat f, QuantGranularity g, int group, ScalarFormat? scale, ScaleRule rule)
    {
        if (g == QuantGranularity.PerGroup && group <= 0)
            throw new MantissaException($"per-group quantization of {f.Name} needs a group size (--group N)");
        if (g == QuantGranularity.Block)
            throw new MantissaException($"{f.Name} is not a block format; use per-group scaling with --group N");
        if (g == QuantGranularity.Cast) return new QuantScheme(f.Name, f, g, 0, null, ScaleRule.None);
        return new QuantScheme(f.Name, f, g, g == QuantGranularity.PerGroup ? group : 0, scale, rule);
    }

    /// <summary>Parses a scale storage format; "exact" (or "none") keeps scales unrounded.</summary>
    public static ScalarFormat? ParseScaleFormat(string? name)
    {
        if (name is null) return DefaultScaleFormat;
        if (name.Trim().ToLowerInvariant() is "exact" or "none") return null;
        var f = NumberFormat.Parse(name);
        return f as ScalarFormat ?? throw new MantissaException($"scale format must be a scalar format (e.g. fp16, bf16, fp32, e8m0, fp8e4m3), got block format '{f.Name}'");
    }

    /// <summary>Parses tensor|channel|group|none.</summary>
    public static QuantGranularity ParseGranularity(string text) => text.Trim().ToLowerInvariant() switch
    {
        "tensor" or "per-tensor" => QuantGranularity.PerTensor,
        "channel" or "per-channel" => QuantGranularity.PerChannel,
        "group" or "per-group" => QuantGranularity.PerGroup,
        "none" or "cast" => QuantGranularity.Cast,
        _ => throw new MantissaException($"unknown granularity '{text}'; expected tensor, channel, group or none"),
    };
}
