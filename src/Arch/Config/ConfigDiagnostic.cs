namespace Mantissa.Arch.Config;

/// <summary>What a configuration problem is about: a value the binder rejects, or a key or --set path the schema does not have.</summary>
public enum DiagnosticKind
{
    /// <summary>A value of the wrong type or range, or a combination the model does not support.</summary>
    Value,
    /// <summary>A key that is not in the schema (misspelt, or in the wrong place).</summary>
    UnknownKey,
    /// <summary>A --set path that cannot be applied: malformed, into a scalar, to a missing list item, to 'base', or without a value.</summary>
    BadPath,
}

/// <summary>One problem found while loading an architecture: where it is, which key, and what was expected.</summary>
/// <remarks>Line and column are 1-based; both are 0 when the source has no positions (a plain <c>--set</c> value).</remarks>
public sealed record ConfigDiagnostic(string File, int Line, int Column, string KeyPath, string Message, DiagnosticKind Kind = DiagnosticKind.Value)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        // a --set override's source already names its path ("--set array.rows"): say it once
        bool named = KeyPath.Length == 0 || File == SetPathApplier.SourceName(KeyPath);
        return named ? $"{where}: {Message}" : $"{where}: {KeyPath}: {Message}";
    }
}
