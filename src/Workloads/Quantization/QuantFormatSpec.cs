using Mantissa.Arch;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Parses one <c>--format</c> entry with an optional per-entry granularity: <c>NAME</c>, <c>NAME@tensor</c>,
/// <c>NAME@channel</c> or <c>NAME@gN</c> (per group of N), so one table can compare granularities of one format.
/// </summary>
public static class QuantFormatSpec
{
    public const string Help = "NAME[@tensor|@channel|@gN]";

    /// <summary>Resolves <paramref name="spec"/>; a suffix overrides <paramref name="group"/> and <paramref name="granularity"/>.</summary>
    public static QuantScheme Resolve(string spec, int group = 0, QuantGranularity? granularity = null, string? scaleFormat = null)
    {
        int at = spec.IndexOf('@');
        if (at < 0) return QuantSchemes.Resolve(spec, group, granularity, scaleFormat);
        string name = spec[..at], suffix = spec[(at + 1)..].Trim().ToLowerInvariant();
        if (suffix.Length > 1 && suffix[0] == 'g' && int.TryParse(suffix[1..], out int g))
        {
            if (g <= 0) throw new MantissaException($"'{spec}': group size must be positive, got {g}");
            group = g;
            granularity = QuantGranularity.PerGroup;
        }
        else if (suffix is "tensor" or "channel")
        {
            granularity = QuantSchemes.ParseGranularity(suffix);
            group = 0;
        }
        else throw new MantissaException($"'{spec}': unknown granularity suffix '@{suffix}'; expected {Help}");
        var scheme = QuantSchemes.Resolve(name, group, granularity, scaleFormat);
        if (scheme.Granularity != granularity)
            throw new MantissaException($"'{spec}': {scheme.Format.Name} keeps its own {scheme.GranularityText} scaling; remove '@{suffix}'");
        return scheme with { Label = spec.Trim() };
    }
}
