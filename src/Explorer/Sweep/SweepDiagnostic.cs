using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>One problem in a sweep file: where it is (file, line, column, key path) and what was expected.</summary>
public sealed record SweepDiagnostic(string File, long Line, long Column, string Key, string Message)
{
    public override string ToString() =>
        Key.Length == 0 ? $"{File}:{Line}:{Column}: {Message}" : $"{File}:{Line}:{Column}: {Key}: {Message}";
}

/// <summary>A sweep file with one or more problems; the message lists them all.</summary>
public sealed class SweepFileException : MantissaException
{
    public SweepFileException(IReadOnlyList<SweepDiagnostic> diagnostics)
        : base(Format(diagnostics)) => Diagnostics = diagnostics;

    public IReadOnlyList<SweepDiagnostic> Diagnostics { get; }

    private static string Format(IReadOnlyList<SweepDiagnostic> d) =>
        (d.Count == 1 ? "1 problem" : $"{d.Count} problems") + " in sweep file:\n  " + string.Join("\n  ", d);
}
