namespace Mantissa.Arch.Config;

/// <summary>An architecture file (or <c>--set</c> override) is invalid; carries every problem found.</summary>
public sealed class ConfigException : MantissaException
{
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    public ConfigException(string source, IReadOnlyList<ConfigDiagnostic> diagnostics)
        : base(Format(source, diagnostics)) => Diagnostics = diagnostics;

    private static string Format(string source, IReadOnlyList<ConfigDiagnostic> diagnostics)
    {
        var head = diagnostics.Count == 1
            ? $"invalid architecture {source} (1 problem):"
            : $"invalid architecture {source} ({diagnostics.Count} problems):";
        return head + string.Concat(diagnostics.Select(d => "\n  " + d));
    }
}
