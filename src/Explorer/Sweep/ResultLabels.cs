namespace Mantissa.Explorer.Sweep;

/// <summary>Text columns the evaluator adds to each result row, usable to colour plots.</summary>
public static class ResultLabels
{
    public static IReadOnlyList<string> All { get; } = new[] { "pe_kind", "pe_formats", "array", "arch", QuantObjective.SchemeLabel };
}
