namespace Mantissa.Arch.Config;

/// <summary>One problem found while loading an architecture: where it is, which key, and what was expected.</summary>
/// <remarks>Line and column are 1-based; both are 0 when the source has no positions (a plain <c>--set</c> value).</remarks>
public sealed record ConfigDiagnostic(string File, int Line, int Column, string KeyPath, string Message)
{
    public override string ToString()
    {
        var where = Line > 0 ? $"{File}:{Line}:{Column}" : File;
        // a --set override's source already names its path ("--set array.rows"): say it once
        bool named = KeyPath.Length == 0 || File == SetPathApplier.SourceName(KeyPath);
        return named ? $"{where}: {Message}" : $"{where}: {KeyPath}: {Message}";
    }
}
