using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// The named precision recipes. Weight-only and integer presets keep embeddings, norms and <c>lm_head</c> at fp16,
/// as GPTQ/AWQ/BitNet checkpoints do; group scales are fp16 and symmetric (no zero points).
/// </summary>
public static class RecipePresets
{
    private static readonly string[] Order =
        { "fp16", "w8a8", "w4a16g128", "w4a8g128", "w3a16g128", "w2a16g64", "ternary", "mxfp4", "nvfp4", "mxint8", "posit8", "bitmod-w4", "fp8-train", "mxfp8-train", "mxfp4-train" };

    public static IReadOnlyList<string> Names => Order;

    /// <summary>One-line description of each preset, for listings.</summary>
    public static string Describe(string name) => name switch
    {
        "fp16" => "fp16 weights/activations/KV, fp32 accumulate",
        "w8a8" => "int8 weights (per-channel) and activations, int32 accumulate (SmoothQuant-style)",
        "w4a16g128" => "int4 weights, group 128 with fp16 scales, fp16 activations (GPTQ/AWQ-style)",
        "w4a8g128" => "int4 weights, group 128 with fp16 scales, int8 activations (QServe-style)",
        "w3a16g128" => "int3 weights, group 128 with fp16 scales, fp16 activations",
        "w2a16g64" => "int2 weights, group 64 with fp16 scales, fp16 activations",
        "ternary" => "BitNet b1.58: ternary weights (2-bit storage, per-tensor scale), int8 activations",
        "mxfp4" => "OCP MXFP4 (E2M1, 32-element E8M0 blocks) weights and activations",
        "nvfp4" => "NVFP4 (E2M1, 16-element E4M3 blocks) weights and activations",
        "mxint8" => "OCP MXINT8 (32-element E8M0 blocks) weights and activations",
        "posit8" => "posit(8,2) weights and activations (Posit Standard 2022 es=2), fp32 accumulate",
        "bitmod-w4" => "BitMoD 4-bit: FP4 weights, group 128, fp16 scale + 2-bit per-group datatype id, fp16 activations",
        "fp8-train" => "training: FP8 E4M3 forward GEMMs, E5M2 gradients, fp32 master weights and Adam state",
        "mxfp8-train" => "training: MXFP8 E4M3 forward, MXFP8 E5M2 gradients, fp32 master weights and Adam state",
        "mxfp4-train" => "training: MXFP4 forward and backward GEMMs, 32-point Hadamard rotations before the backward GEMMs, fp32 master",
        _ => "",
    };

    public static bool Exists(string name) => Array.IndexOf(Order, name) >= 0;

    public static PrecisionRecipe Get(string name)
    {
        NumberFormat F(string n) => NumberFormat.Parse(n);
        var fp16 = F("fp16");
        var lmHeadFp16 = new[] { new LayerOverride("lm_head", Weights: fp16, Activations: fp16, GroupSize: 0) };
        PrecisionRecipe R(NumberFormat w, NumberFormat a, NumberFormat acc, int group = 0, int extra = 0, bool keepHead = true) =>
            new(name, new LayerPrecision(w, a, fp16, acc, fp16, fp16, group, false, 16, extra),
                keepHead ? lmHeadFp16 : Array.Empty<LayerOverride>());
        return name switch
        {
            "fp16" => R(fp16, fp16, F("fp32"), keepHead: false),
            "w8a8" => R(F("int8"), F("int8"), F("int32")),
            "w4a16g128" => R(F("int4"), fp16, F("fp32"), 128),
            "w4a8g128" => R(F("int4"), F("int8"), F("int32"), 128),
            "w3a16g128" => R(F("int3"), fp16, F("fp32"), 128),
            "w2a16g64" => R(F("int2"), fp16, F("fp32"), 64),
            "ternary" => R(TernaryFormat.Instance, F("int8"), F("int32")),
            "mxfp4" => R(F("mxfp4"), F("mxfp4"), F("fp32")),
            "nvfp4" => R(F("nvfp4"), F("nvfp4"), F("fp32")),
            "mxint8" => R(F("mxint8"), F("mxint8"), F("fp32")),
            "posit8" => R(F("posit8es2"), F("posit8es2"), F("fp32")),
            "bitmod-w4" => R(F("fp4e2m1"), fp16, F("fp32"), 128, extra: 2),
            // FP8 training as in Micikevicius et al. 2022 ("FP8 Formats for Deep Learning"): E4M3 forward, E5M2 gradients.
            "fp8-train" => R(F("fp8e4m3"), F("fp8e4m3"), F("fp32"), keepHead: false) with { Training = new(F("fp8e5m2"), F("fp32"), F("fp32")) },
            // MX training (Rouhani et al. 2023, "Microscaling Data Formats for Deep Learning"): MXFP8 E4M3 / E5M2.
            "mxfp8-train" => R(F("mxfp8e4m3"), F("mxfp8e4m3"), F("fp32"), keepHead: false) with { Training = new(F("mxfp8e5m2"), F("fp32"), F("fp32")) },
            // MXFP4 training (Tseng et al. 2025): MXFP4 GEMMs both ways, random Hadamard transform on backward operands.
            "mxfp4-train" => R(F("mxfp4"), F("mxfp4"), F("fp32"), keepHead: false) with { Training = new(F("mxfp4"), F("fp32"), F("fp32"), 32) },
            _ => throw new MantissaException($"unknown precision preset '{name}'; presets: {string.Join(", ", Order)} (or give a recipe YAML path)"),
        };
    }
}
