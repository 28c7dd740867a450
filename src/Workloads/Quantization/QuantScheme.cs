using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// How to quantize a weight tensor: element format, granularity (with group/block size), the format scales are
/// stored in (null: kept exact) and the scale rule. <see cref="BitModTypes"/> is set for BitMoD per-group type selection.
/// </summary>
public sealed record QuantScheme(
    string Label,
    NumberFormat Format,
    QuantGranularity Granularity,
    int GroupSize,
    ScalarFormat? ScaleFormat,
    ScaleRule Rule,
    IReadOnlyList<ValueTable>? BitModTypes = null)
{
    /// <summary>Short description of the granularity for tables: none, tensor, channel, group 128, block 32.</summary>
    public string GranularityText => Granularity switch
    {
        QuantGranularity.Cast => "none",
        QuantGranularity.PerTensor => "tensor",
        QuantGranularity.PerChannel => "channel",
        QuantGranularity.PerGroup => $"group {GroupSize}",
        _ => $"block {GroupSize}",
    };

    /// <summary>A stable text identity (for cache keys and logs).</summary>
    public string Key => $"{Label}|{Format.Name}|{Granularity}|{GroupSize}|{ScaleFormat?.Name ?? "exact"}|{Rule}";
}
