namespace Mantissa.Workloads.Tensors;

/// <summary>
/// Parameters of a synthetic tensor. <see cref="Nu"/> is Student-t's degrees of freedom; <see cref="OutlierFraction"/>
/// and <see cref="OutlierScale"/> describe the outlier-channels generator (default 1% of columns ×20).
/// </summary>
public sealed record SyntheticTensorSpec(
    SyntheticDistribution Distribution,
    int Count = SyntheticTensorSpec.DefaultCount,
    ulong Seed = 1,
    double Nu = 3,
    double OutlierFraction = 0.01,
    double OutlierScale = 20)
{
    public const int DefaultCount = 1 << 20;

    /// <summary>Row length of synthetic matrices: 4096, a common LLM hidden size, when it divides the count.</summary>
    public const int PreferredColumns = 4096;

    /// <summary>The CLI names: gaussian, laplace, student-t, outliers.</summary>
    public static readonly IReadOnlyDictionary<string, SyntheticDistribution> Names = new Dictionary<string, SyntheticDistribution>(StringComparer.OrdinalIgnoreCase)
    {
        ["gaussian"] = SyntheticDistribution.Gaussian,
        ["laplace"] = SyntheticDistribution.Laplace,
        ["student-t"] = SyntheticDistribution.StudentT,
        ["outliers"] = SyntheticDistribution.OutlierChannels,
    };

    public string Name => Names.First(kv => kv.Value == Distribution).Key;
}
