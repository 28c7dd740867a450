namespace Mantissa.Workloads;

/// <summary>Hand-written workload graphs in YAML (placeholder until the parser lands).</summary>
internal static class WorkloadYaml
{
    public static Workload Load(string path, string text, WorkloadOptions o, PrecisionRecipe recipe) =>
        throw new Arch.MantissaException($"{path}: workload YAML is not supported yet");
}
