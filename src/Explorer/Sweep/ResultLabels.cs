namespace Mantissa.Explorer.Sweep;

/// <summary>Text columns the evaluator adds to each result row, usable to colour plots.</summary>
public static class ResultLabels
{
    public const string PeKind = "pe_kind";
    public const string PeFormats = "pe_formats";
    public const string Array = "array";
    public const string Arch = "arch";

    public static IReadOnlyList<string> All { get; } = new[] { PeKind, PeFormats, Array, Arch, QuantObjective.SchemeLabel };
}
