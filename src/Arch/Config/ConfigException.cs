namespace Mantissa.Arch.Config;

/// <summary>An architecture file (or <c>--set</c> override, or a mapping file) is invalid; carries every problem found.</summary>
public sealed class ConfigException : MantissaException
{
    public IReadOnlyList<ConfigDiagnostic> Diagnostics { get; }

    /// <param name="what">The kind of file, as the message names it ("architecture", "mapping file").</param>
    public ConfigException(string source, IReadOnlyList<ConfigDiagnostic> diagnostics, string what = "architecture")
        : base(Format(source, diagnostics, what)) => Diagnostics = diagnostics;

    private static string Format(string source, IReadOnlyList<ConfigDiagnostic> diagnostics, string what)
    {
        var head = diagnostics.Count == 1
            ? $"invalid {what} {source} (1 problem):"
            : $"invalid {what} {source} ({diagnostics.Count} problems):";
        return head + string.Concat(diagnostics.Select(d => "\n  " + d));
    }
}
