namespace Mantissa.Workloads.Tensors;

/// <summary>The distribution a synthetic tensor is drawn from.</summary>
public enum SyntheticDistribution
{
    /// <summary>Standard normal N(0, 1).</summary>
    Gaussian,
    /// <summary>Laplace with location 0 and scale 1 (variance 2).</summary>
    Laplace,
    /// <summary>Student-t with ν degrees of freedom (heavy tails; ν = 3 by default).</summary>
    StudentT,
    /// <summary>N(0, 1) with a few whole input channels (columns) scaled up, like LLM outlier features.</summary>
    OutlierChannels,
}
