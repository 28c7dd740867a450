namespace Mantissa.Workloads;

/// <summary>Loads precision recipes from YAML (placeholder until the parser lands).</summary>
public static class RecipeYaml
{
    public static PrecisionRecipe Load(string path) => throw new Arch.MantissaException($"{path}: recipe YAML is not supported yet");
}
