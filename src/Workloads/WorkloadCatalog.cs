using System.Reflection;
using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>The bundled models and the entry point that builds any workload: a bundled name, a config.json or a workload YAML.</summary>
public static class WorkloadCatalog
{
    private static readonly (string Name, WorkloadKind Kind, string Description)[] Bundled =
    {
        ("llama-2-7b", WorkloadKind.Llm, "Llama 2 7B (meta-llama/Llama-2-7b-hf)"),
        ("llama-3-8b", WorkloadKind.Llm, "Llama 3 8B, GQA 32/8 (meta-llama/Meta-Llama-3-8B)"),
        ("mistral-7b", WorkloadKind.Llm, "Mistral 7B v0.1, GQA, 4096-token sliding window (mistralai/Mistral-7B-v0.1)"),
        ("opt-6.7b", WorkloadKind.Llm, "OPT 6.7B (facebook/opt-6.7b)"),
        ("mixtral-8x7b", WorkloadKind.Llm, "Mixtral 8x7B, 8 experts top-2 (mistralai/Mixtral-8x7B-v0.1)"),
        ("gpt2", WorkloadKind.Llm, "GPT-2 124M (openai-community/gpt2)"),
        ("bitnet-b1.58-3b", WorkloadKind.Llm, "BitNet b1.58 3B reproduction (1bitLLM/bitnet_b1_58-3B)"),
        ("resnet18", WorkloadKind.Cnn, "ResNet-18 (torchvision layout)"),
        ("resnet50", WorkloadKind.Cnn, "ResNet-50 v1.5 (torchvision layout)"),
        ("mobilenetv2", WorkloadKind.Cnn, "MobileNetV2 1.0 (torchvision layout)"),
        ("vit-b16", WorkloadKind.Vision, "ViT-B/16 (torchvision layout)"),
        ("bert-base", WorkloadKind.Encoder, "BERT-base uncased (google-bert/bert-base-uncased)"),
    };

    /// <summary>Names of the bundled models.</summary>
    public static IReadOnlyList<string> Names { get; } = Bundled.Select(b => b.Name).ToArray();

    /// <summary>Kind (llm, cnn, vision, encoder) and description of a bundled model.</summary>
    public static (WorkloadKind Kind, string Description) Describe(string name)
    {
        var b = Bundled.FirstOrDefault(x => x.Name == name);
        return b.Name is null ? throw new MantissaException($"unknown model '{name}'") : (b.Kind, b.Description);
    }


    /// <summary>The recipe named by <paramref name="precision"/>: a preset name, a recipe YAML path, or fp16 when null.</summary>
    public static PrecisionRecipe ResolveRecipe(string? precision)
    {
        if (string.IsNullOrWhiteSpace(precision)) return RecipePresets.Get("fp16");
        if (RecipePresets.Exists(precision)) return RecipePresets.Get(precision);
        if (File.Exists(precision)) return RecipeYaml.Load(precision);
        throw new MantissaException($"unknown precision '{precision}': not a preset ({string.Join(", ", RecipePresets.Names)}) and no such recipe file");
    }

    /// <summary>
    /// The name <paramref name="modelOrPath"/> is shown and keyed under: <paramref name="name"/> when given; a bundled
    /// model's own name; for a config.json (or a directory holding one) the last segment of its <c>_name_or_path</c>,
    /// else the name of its directory; for a workload YAML its <c>name</c> key, else the file name.
    /// </summary>
    public static string NameOf(string modelOrPath, string? name = null)
    {
        if (!string.IsNullOrWhiteSpace(name)) return name.Trim();
        string key = modelOrPath.Trim().ToLowerInvariant();
        if (Names.Contains(key)) return key;
        if (IsOnnx(modelOrPath)) return Path.GetFileNameWithoutExtension(modelOrPath);
        if (ConfigPath(modelOrPath) is { } config) return ConfigName(config, LlmConfig.ReadNameOrPath(InputFile.ReadText(config, "model config", InputFile.MaxModelTextBytes)));
        if (File.Exists(modelOrPath)) return WorkloadYaml.NameOf(modelOrPath, InputFile.ReadText(modelOrPath, "workload file", InputFile.MaxModelTextBytes));
        return modelOrPath;
    }

    /// <summary>The config.json <paramref name="modelOrPath"/> refers to (the file, or config.json inside a directory), or null.</summary>
    private static string? ConfigPath(string modelOrPath)
    {
        if (File.Exists(modelOrPath)) return IsJson(modelOrPath) ? modelOrPath : null;
        string inDir = Path.Combine(modelOrPath, "config.json");
        return Directory.Exists(modelOrPath) && File.Exists(inDir) ? inDir : null;
    }

    /// <summary>Last segment of <c>_name_or_path</c> (a hub id or a local path), else the config's directory name.</summary>
    private static string ConfigName(string configPath, string? nameOrPath)
    {
        string? fromConfig = nameOrPath?.Trim().TrimEnd('/', '\\');
        if (!string.IsNullOrEmpty(fromConfig))
        {
            string last = fromConfig[(fromConfig.LastIndexOfAny(new[] { '/', '\\' }) + 1)..];
            if (last.Length > 0) return last;
        }
        string? dir = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(configPath)));
        return string.IsNullOrEmpty(dir) ? Path.GetFileNameWithoutExtension(configPath) : dir;
    }

    /// <summary>Builds <paramref name="modelOrPath"/> (bundled name, config.json path or workload YAML path).</summary>
    public static Workload Build(string modelOrPath, WorkloadOptions options)
    {
        try
        {
            var w = BuildChecked(modelOrPath, options);
            if (options.Phase == Phase.Train) w = TrainingStep.Build(w);
            return string.IsNullOrWhiteSpace(options.Name) ? w : w with { Model = options.Name.Trim() };
        }
        catch (OverflowException)
        {
            throw new MantissaException($"{modelOrPath} at batch {options.Batch}" + (options.Seq is { } s ? $", --seq {s}" : "") +
                                        (options.Kv is { } k ? $", --kv {k}" : "") + (options.ImageSize != 224 ? $", --image {options.ImageSize}" : "") +
                                        " is too large: its element or MAC counts overflow 64-bit integers");
        }
    }

    private static Workload BuildChecked(string modelOrPath, WorkloadOptions options)
    {
        var recipe = ResolveRecipe(options.Precision);
        if (options.Batch < 1) throw new MantissaException($"batch must be at least 1, got {options.Batch}");
        string key = modelOrPath.Trim().ToLowerInvariant();
        bool bundledNonLlm = Names.Contains(key) && Describe(key).Kind != WorkloadKind.Llm;
        bool yamlFile = !Names.Contains(key) && !IsOnnx(modelOrPath) && File.Exists(modelOrPath) && !IsJson(modelOrPath);
        if (options.Causal && (bundledNonLlm || yamlFile))
            throw new MantissaException($"--causal applies to decoder LLMs; {modelOrPath} has no causal attention mask");
        if (options.Causal && options.Phase == Phase.Decode)
            throw new MantissaException("--causal applies to prefill: a decode step's new token attends to the whole KV cache, so no pair is masked");
        switch (key)
        {
            case "resnet18": return Vision(options, "resnet18", () => CnnBuilder.ResNet(recipe, options, 18));
            case "resnet50": return Vision(options, "resnet50", () => CnnBuilder.ResNet(recipe, options, 50));
            case "mobilenetv2": return Vision(options, "mobilenetv2", () => CnnBuilder.MobileNetV2(recipe, options));
            case "vit-b16": return Vision(options, "vit-b16", () => EncoderBuilder.VitB16(recipe, options));
            case "bert-base": return EncoderBuilder.BertBase(recipe, options);
        }
        if (Names.Contains(key))
            return LlmBuilder.Build(key, LlmConfig.Parse(ReadResource(key + ".json"), $"{key} (bundled config.json)"), options, recipe);
        if (IsOnnx(modelOrPath))
            return Onnx.OnnxImporter.Import(modelOrPath, options, recipe);
        if (ConfigPath(modelOrPath) is { } configPath)
        {
            var config = LlmConfig.Parse(InputFile.ReadText(configPath, "model config", InputFile.MaxModelTextBytes), configPath);
            return LlmBuilder.Build(ConfigName(configPath, config.NameOrPath), config, options, recipe);
        }
        if (File.Exists(modelOrPath))
            return WorkloadYaml.Load(modelOrPath, InputFile.ReadText(modelOrPath, "workload file", InputFile.MaxModelTextBytes), options, recipe);
        string? near = NameSuggester.Nearest(key, Names);
        throw new MantissaException($"unknown model '{modelOrPath}': not a bundled model and no such file" +
                                    (near is null ? "" : $"; did you mean '{near}'?") + $" (bundled: {string.Join(", ", Names)})");
    }

    private static bool IsOnnx(string path) => path.EndsWith(".onnx", StringComparison.OrdinalIgnoreCase) && File.Exists(path);

    private static bool IsJson(string path, string? text = null) =>
        path.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ||
        (text ?? InputFile.ReadText(path, "model file", InputFile.MaxModelTextBytes)).TrimStart().StartsWith('{');

    private static Workload Vision(WorkloadOptions o, string name, Func<Workload> build)
    {
        if (o.Phase == Phase.Decode) throw new MantissaException($"{name} has no decode phase (it is not autoregressive); use --phase prefill");
        if (o.Seq is not null || o.Kv is not null) throw new MantissaException($"{name} takes an image size, not --seq/--kv");
        return build();
    }

    internal static string ReadResource(string file)
    {
        var asm = typeof(WorkloadCatalog).Assembly;
        using var s = asm.GetManifestResourceStream("Mantissa.Workloads.Models." + file)
                      ?? throw new InvalidOperationException($"bundled resource {file} is missing from the assembly");
        using var r = new StreamReader(s);
        return r.ReadToEnd();
    }
}
