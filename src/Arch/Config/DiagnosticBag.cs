namespace Mantissa.Arch.Config;

/// <summary>Collects every problem of one load so they can be reported together.</summary>
internal sealed class DiagnosticBag
{
    private readonly List<ConfigDiagnostic> _items = new();

    public bool HasErrors => _items.Count > 0;
    public int Count => _items.Count;

    public void Add(Origin at, string keyPath, string message, DiagnosticKind kind = DiagnosticKind.Value) =>
        _items.Add(new ConfigDiagnostic(at.File, at.Line, at.Column, keyPath, message, kind));

    /// <summary>Diagnostics ordered by file and position (stable for equal positions).</summary>
    public IReadOnlyList<ConfigDiagnostic> Sorted() =>
        _items.Select((d, i) => (d, i))
            .OrderBy(t => t.d.File, StringComparer.Ordinal).ThenBy(t => t.d.Line).ThenBy(t => t.d.Column).ThenBy(t => t.i)
            .Select(t => t.d).ToList();

    /// <summary>Throws when any problem was found; <paramref name="what"/> names the kind of file in the message.</summary>
    public void ThrowIfErrors(string source, string what = "architecture")
    {
        if (HasErrors) throw new ConfigException(source, Sorted(), what);
    }
}
