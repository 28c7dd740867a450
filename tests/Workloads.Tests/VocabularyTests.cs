namespace Mantissa.Workloads.Tests;

/// <summary>The workload enums each have one name table that round-trips.</summary>
public class VocabularyTests
{
    [Fact]
    public void EveryLlmFamilyHasOneModelTypeThatParsesBack()
    {
        var families = Enum.GetValues<LlmFamily>();
        Assert.Equal(families.Length, LlmFamilyNames.ModelTypes.Distinct().Count());
        foreach (var f in families)
        {
            Assert.True(LlmFamilyNames.TryParse(f.ModelType(), out var back));
            Assert.Equal(f, back);
        }
        Assert.False(LlmFamilyNames.TryParse("Llama", out _));
    }

    [Fact]
    public void EveryWorkloadKindHasADistinctName()
    {
        var names = Enum.GetValues<WorkloadKind>().Select(k => k.Name()).ToArray();
        Assert.Equal(names.Length, names.Distinct().Count());
        Assert.Equal("cnn", WorkloadKind.Cnn.Name());
    }

    [Fact]
    public void BuiltWorkloadsCarryTheirKindAndFamily()
    {
        var llama = WorkloadCatalog.Build("llama-2-7b", new WorkloadOptions(Phase.Decode, Kv: 16));
        Assert.Equal((WorkloadKind.Llm, LlmFamily.Llama, "llama"), (llama.Kind, llama.LlmFamily!.Value, llama.Family));
        var resnet = WorkloadCatalog.Build("resnet18", new WorkloadOptions());
        Assert.Equal((WorkloadKind.Cnn, (LlmFamily?)null, "cnn"), (resnet.Kind, resnet.LlmFamily, resnet.Family));
    }
}
