using System.Collections;
using System.Diagnostics.CodeAnalysis;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The label columns of one design's rows (<see cref="ResultLabels"/>) as five fields instead of a dictionary: a sweep
/// builds them for every design it meets, and a dictionary of five entries cost ~350 bytes. Enumerates in column order,
/// the quantization scheme only when it is set.
/// </summary>
internal sealed class LabelValues(string kind, string formats, string array, string arch, string? scheme) : IReadOnlyDictionary<string, string>
{
    public string Kind { get; } = kind;
    public string Formats { get; } = formats;
    public string Array { get; } = array;
    public string Arch { get; } = arch;
    public string? Scheme { get; } = scheme;

    /// <summary>The same design's labels with another quantization scheme (null: none).</summary>
    public LabelValues WithScheme(string? scheme) => new(Kind, Formats, Array, Arch, scheme);

    public bool TryGetValue(string key, [MaybeNullWhen(false)] out string value)
    {
        value = key switch
        {
            ResultLabels.PeKind => Kind,
            ResultLabels.PeFormats => Formats,
            ResultLabels.Array => Array,
            ResultLabels.Arch => Arch,
            QuantObjective.SchemeLabel => Scheme,
            _ => null,
        };
        return value is not null;
    }

    public string this[string key] => TryGetValue(key, out var v) ? v : throw new KeyNotFoundException(key);
    public bool ContainsKey(string key) => TryGetValue(key, out _);
    public int Count => Scheme is null ? 4 : 5;
    public IEnumerable<string> Keys => this.Select(kv => kv.Key);
    public IEnumerable<string> Values => this.Select(kv => kv.Value);

    public IEnumerator<KeyValuePair<string, string>> GetEnumerator()
    {
        yield return new(ResultLabels.PeKind, Kind);
        yield return new(ResultLabels.PeFormats, Formats);
        yield return new(ResultLabels.Array, Array);
        yield return new(ResultLabels.Arch, Arch);
        if (Scheme is not null) yield return new(QuantObjective.SchemeLabel, Scheme);
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
