namespace Mantissa.Explorer.Sweep;

/// <summary>
/// Checks a sweep parser cannot make on its own: whether sets (path = value) apply to the base architecture file,
/// whether a workload's model exists. Each returns an error message or null.
/// </summary>
public sealed record SweepValidation(
    Func<string, IReadOnlyList<KeyValuePair<string, string>>, string?>? CheckParameter = null,
    Func<WorkloadSpec, string?>? CheckWorkload = null,
    IReadOnlyList<string>? ColorLabels = null)
{
    /// <summary>No external checks (syntax and structure only).</summary>
    public static SweepValidation None { get; } = new();
}
