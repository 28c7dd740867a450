namespace Mantissa.Workloads.Quantization;

/// <summary>Which elements share one scale.</summary>
public enum QuantGranularity
{
    /// <summary>No scale: each value is rounded straight into the format (fp16, bf16, fp32).</summary>
    Cast,
    /// <summary>One scale for the whole tensor.</summary>
    PerTensor,
    /// <summary>One scale per row (output channel) of the weight matrix.</summary>
    PerChannel,
    /// <summary>One scale per run of <see cref="QuantScheme.GroupSize"/> consecutive elements of a row (input axis).</summary>
    PerGroup,
    /// <summary>A block format's own blocks (OCP MX: 32 elements, E8M0 scale; NVFP4: 16 elements, E4M3 scale).</summary>
    Block,
}

/// <summary>How a scaled scheme chooses its scale from the elements that share it.</summary>
public enum ScaleRule
{
    /// <summary>max|x| maps onto the format's largest finite value (symmetric).</summary>
    AbsMax,
    /// <summary>scale = mean|x| (BitNet b1.58 ternary).</summary>
    AbsMean,
    /// <summary>scale = sqrt(mean x²): puts the bulk of the values where a tapered format (posit) is most precise.</summary>
    Rms,
    /// <summary>Asymmetric: [min, max] maps onto [0, 2^b − 1] with an integer zero point (unsigned integers).</summary>
    MinMax,
    /// <summary>No scale (casts).</summary>
    None,
}
