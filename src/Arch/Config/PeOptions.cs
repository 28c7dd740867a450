using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Config;

/// <summary>Binds a PE from key/value options (the <c>pe:</c> keys of an architecture file) through the same binder as YAML.</summary>
public static class PeOptions
{
    /// <summary>
    /// Builds a <see cref="PeSpec"/> from <paramref name="options"/> (YAML <c>pe:</c> keys and their values as text) with
    /// the same validation and defaults as an architecture file. Problems throw a <see cref="ConfigException"/> whose
    /// diagnostics name the key.
    /// </summary>
    /// <param name="source">Where the options came from, for messages (e.g. "command line").</param>
    /// <param name="extraFormats">Resolves format names the Arch parser does not know (e.g. BitMoD types); may return null.</param>
    public static PeSpec Bind(IEnumerable<(string Key, string Value)> options, string source, Func<string, NumberFormat?>? extraFormats = null)
    {
        var at = new Origin(source, 0, 0);
        var map = new ConfigMap(at, options.Select(o => new ConfigEntry(o.Key, at, new ConfigScalar(o.Value, false, at))).ToList());
        var bag = new DiagnosticBag();
        var spec = PeBinder.Bind(map, at, bag, extraFormats);
        bag.ThrowIfErrors(source);
        return spec ?? throw new ConfigException(source, [new ConfigDiagnostic(source, 0, 0, "pe", "the PE could not be built")]);
    }
}
