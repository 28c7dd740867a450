using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Workloads;
using Mantissa.Workloads.Quantization;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The inputs of the <c>quant_sqnr_db</c> / <c>quant_mse</c> metrics of a design on a workload: the sweep's tensor quantized in the
/// weight format the design runs (the simulator's operand resolution applied to the workload's recipe), served from a
/// <see cref="QuantErrorCache"/> so each (format, group, recipe, tensor) is computed once per process.
/// </summary>
public sealed class QuantObjective
{
    public const string SchemeLabel = "quant_weights";

    private readonly QuantSpec _tensor;
    private readonly QuantErrorCache _cache;

    public QuantObjective(QuantSpec tensor, QuantErrorCache? cache = null)
    {
        _tensor = tensor;
        _cache = cache ?? QuantErrorCache.Shared;
    }

    /// <summary>
    /// The cache key for <paramref name="pe"/> running <paramref name="workload"/> (null: a bare GEMM, which runs at
    /// the PE's own formats) with precision <paramref name="precision"/> (a preset name or recipe file).
    /// </summary>
    public QuantKey Key(PeSpec pe, Workload? workload, string precision)
    {
        var recipe = workload?.Recipe;
        var ops = recipe is null
            ? PeOperandFormats.Resolve(pe, pe.WeightFormat, pe.ActivationFormat)
            : PeOperandFormats.Resolve(pe, recipe.Defaults.Weights, recipe.Defaults.Activations);
        var key = new QuantKey(ops.Weight.Name, _tensor.Source, Seed: _tensor.Seed, Count: _tensor.Count);
        if (recipe is null || !ops.Native) return key with { Group = ops.Cycles.GroupSize };
        // A preset carries its scheme (asymmetric zero points, BitMoD types, scale width); a recipe file only its format and group.
        return RecipeSchemes.IsRecipe(precision) ? key with { Recipe = precision } : key with { Group = recipe.Defaults.GroupSize };
    }

    /// <summary>The quantization error of <paramref name="key"/> and the scheme's short description.</summary>
    public (QuantError Error, string Scheme) Of(QuantKey key)
    {
        var r = _cache.GetReport(key);
        return (r.Error, $"{r.Scheme.Label} ({r.Scheme.GranularityText})");
    }

    /// <summary>True when the sweep's objectives or constraints use a quantization metric (a failure then invalidates the point).</summary>
    public static bool UsedBy(SweepSpec spec) =>
        spec.Objectives.Any(o => IsQuant(MetricCatalog.Find(o.Metric)?.Id)) || spec.Constraints.Any(c => IsQuant(c.Metric));

    private static bool IsQuant(Metric? m) => m is Metric.QuantSqnrDb or Metric.QuantMse;
}
