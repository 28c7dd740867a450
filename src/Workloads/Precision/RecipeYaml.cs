using Mantissa.Arch;
using Mantissa.Arch.Numerics;
using YamlDotNet.RepresentationModel;

namespace Mantissa.Workloads;

/// <summary>
/// Loads a precision recipe from YAML. Every key is optional; <c>base</c> names a preset to start from (default fp16).
/// Problems are reported all at once with file, line, column and key.
/// </summary>
public static class RecipeYaml
{
    private static readonly string[] TopKeys =
        { "name", "base", "weights", "activations", "kv_cache", "accumulator", "vector", "embeddings", "group_size", "asymmetric", "scale", "group_extra_bits", "overrides", "training" };
    private static readonly string[] TrainingKeys = { "gradients", "master_weights", "optimizer_state", "hadamard_block" };
    private static readonly string[] OverrideKeys = { "match", "weights", "activations", "kv_cache", "accumulator", "group_size", "asymmetric" };

    public static PrecisionRecipe Load(string path)
    {
        return Parse(InputFile.ReadText(path, "precision recipe", InputFile.MaxConfigBytes), path);
    }

    public static PrecisionRecipe Parse(string text, string file)
    {
        var y = new YamlProblems(file);
        var root = y.Root(text, "a precision recipe");
        y.CheckKeys(root, "a recipe", TopKeys);
        var baseName = y.Str(root, "base");
        PrecisionRecipe r = RecipePresets.Get("fp16");
        if (baseName is not null)
        {
            if (RecipePresets.Exists(baseName)) r = RecipePresets.Get(baseName);
            else y.Add(YamlProblems.Get(root, "base")!, "base", $"unknown preset '{baseName}'; presets: {string.Join(", ", RecipePresets.Names)}");
        }
        var d = r.Defaults;
        int scaleBits = d.ScaleBits;
        var scale = y.Format(root, "scale");
        if (scale is BlockFormat) y.Add(YamlProblems.Get(root, "scale")!, "scale", "a group scale must be a scalar format such as fp16, bf16 or e8m0");
        else if (scale is not null) scaleBits = scale.Bits;
        var overrides = new List<LayerOverride>(baseName is not null && RecipePresets.Exists(baseName) ? r.Overrides : Array.Empty<LayerOverride>());
        if (YamlProblems.Get(root, "overrides") is { } ov)
        {
            if (ov is not YamlSequenceNode seq) y.Add(ov, "overrides", "expected a list of {match: GLOB, weights: FORMAT, ...} entries");
            else
                foreach (var item in seq.Children)
                {
                    if (item is not YamlMappingNode m) { y.Add(item, "overrides", "each override must be a mapping with a 'match' glob"); continue; }
                    y.CheckKeys(m, "an override", OverrideKeys);
                    var match = y.Str(m, "match", required: true);
                    var o = new LayerOverride(match ?? "", y.Format(m, "weights"), y.Format(m, "activations"), y.Format(m, "kv_cache"),
                        y.Format(m, "accumulator"), (int?)y.Long(m, "group_size", 0), y.Bool(m, "asymmetric"));
                    if (match is not null) overrides.Add(o);
                }
        }
        PrecisionRecipe result = new(
            y.Str(root, "name") ?? Path.GetFileNameWithoutExtension(file),
            d with
            {
                Weights = y.Format(root, "weights") ?? d.Weights,
                Activations = y.Format(root, "activations") ?? d.Activations,
                KvCache = y.Format(root, "kv_cache") ?? d.KvCache,
                Accumulator = y.Format(root, "accumulator") ?? d.Accumulator,
                Vector = y.Format(root, "vector") ?? d.Vector,
                Embeddings = y.Format(root, "embeddings") ?? d.Embeddings,
                GroupSize = (int?)y.Long(root, "group_size", 0) ?? d.GroupSize,
                Asymmetric = y.Bool(root, "asymmetric") ?? d.Asymmetric,
                ScaleBits = scaleBits,
                GroupExtraBits = (int?)y.Long(root, "group_extra_bits", 0) ?? d.GroupExtraBits,
            },
            overrides);
        var t = r.Training;
        if (YamlProblems.Get(root, "training") is { } tn)
        {
            if (tn is not YamlMappingNode tm) y.Add(tn, "training", "expected a mapping with gradients, master_weights, optimizer_state, hadamard_block");
            else
            {
                y.CheckKeys(tm, "the training formats", TrainingKeys);
                long? block = y.Long(tm, "hadamard_block", 0);
                if (block is > 0 and var b && (b & (b - 1)) != 0) y.Add(YamlProblems.Get(tm, "hadamard_block")!, "hadamard_block", $"must be a power of two (a Walsh-Hadamard block), got {b}");
                t = new TrainingFormats(y.Format(tm, "gradients") ?? t.Gradients, y.Format(tm, "master_weights") ?? t.MasterWeights,
                                        y.Format(tm, "optimizer_state") ?? t.OptimizerState, (int?)block ?? t.HadamardBlock);
            }
        }
        result = result with { Training = t };
        y.ThrowIfAny("recipe");
        return result;
    }
}
