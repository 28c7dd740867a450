using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>Maps a precision recipe (a <see cref="RecipePresets"/> name) to the quantization scheme of its weights.</summary>
public static class RecipeSchemes
{
    /// <summary>True when <paramref name="name"/> is a recipe preset.</summary>
    public static bool IsRecipe(string name) => RecipePresets.Exists(name.Trim().ToLowerInvariant());

    /// <summary>The weight scheme of preset <paramref name="name"/>; <paramref name="group"/> &gt; 0 overrides its group size.</summary>
    public static QuantScheme Resolve(string name, int group = 0)
    {
        string n = name.Trim().ToLowerInvariant();
        var r = RecipePresets.Get(n).Defaults;
        int g = group > 0 ? group : r.GroupSize;
        string? scale = r.ScaleBits == 32 ? "fp32" : null;
        QuantScheme s;
        if (r.GroupExtraBits == BitModTypes.TypeSelectBits && r.Weights.Bits is 3 or 4)
            s = QuantSchemes.Resolve(r.Weights.Bits == 3 ? "bitmod-w3" : "bitmod-w4", g, scaleFormat: scale);
        else if (r.Weights is IntFormat { Signed: true } i && r.Asymmetric)
            s = QuantSchemes.Resolve($"uint{i.IntBits}", g, scaleFormat: scale);
        else
            s = QuantSchemes.Resolve(r.Weights.Name, g, scaleFormat: scale);
        return s with { Label = n };
    }
}
