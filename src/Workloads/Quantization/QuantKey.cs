namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Identifies one quantization-error computation: scheme (format or recipe name, group size, optional granularity and
/// scale format) and tensor source (synthetic name or file[:tensor], seed, count; see <c>TensorSource</c>).
/// </summary>
/// <param name="Format">Format name (int4, nvfp4, bitmod-w4, ...); ignored when <paramref name="Recipe"/> is set.</param>
/// <param name="Source">gaussian, laplace, student-t, outliers, FILE.npy or FILE.safetensors[:TENSOR].</param>
/// <param name="Group">Group size (0: the scheme's default).</param>
/// <param name="Recipe">A precision-recipe preset naming the weight scheme, or null.</param>
/// <param name="Seed">Seed of synthetic sources.</param>
/// <param name="Count">Synthetic size, or cap on values read from a file (0: default / whole tensor).</param>
/// <param name="Granularity">tensor, channel, group or none; null for the scheme's default.</param>
/// <param name="ScaleFormat">Scale storage format (fp16 default, "exact" for unrounded).</param>
public sealed record QuantKey(
    string Format,
    string Source = "gaussian",
    int Group = 0,
    string? Recipe = null,
    ulong Seed = 1,
    int Count = 0,
    string? Granularity = null,
    string? ScaleFormat = null)
{
    /// <summary>The same key with names trimmed and lower-cased (file paths keep their case), so equal requests share one entry.</summary>
    public QuantKey Normalized() => this with
    {
        Format = Format.Trim().ToLowerInvariant(),
        Source = Source.Trim(),
        Recipe = Recipe?.Trim().ToLowerInvariant(),
        Granularity = Granularity?.Trim().ToLowerInvariant(),
        ScaleFormat = ScaleFormat?.Trim().ToLowerInvariant(),
    };
}
