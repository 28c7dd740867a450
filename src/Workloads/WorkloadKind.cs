namespace Mantissa.Workloads;

/// <summary>What a workload models; decides how it is described (sequence lengths, throughput unit).</summary>
public enum WorkloadKind { Llm, Encoder, Cnn, Vision, Custom }

/// <summary>The one name table of <see cref="WorkloadKind"/>, as `workload list` and JSON print it.</summary>
public static class WorkloadKindNames
{
    /// <summary>The lower-case name of <paramref name="k"/>.</summary>
    public static string Name(this WorkloadKind k) => k switch
    {
        WorkloadKind.Llm => "llm",
        WorkloadKind.Encoder => "encoder",
        WorkloadKind.Cnn => "cnn",
        WorkloadKind.Vision => "vision",
        WorkloadKind.Custom => "custom",
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, null),
    };
}
