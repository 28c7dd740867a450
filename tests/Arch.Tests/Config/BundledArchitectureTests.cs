using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Config;

public class BundledArchitectureTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var f in Directory.GetFiles(RepoPaths.ArchConfigs, "*.yaml").OrderBy(f => f, StringComparer.Ordinal))
            data.Add(Path.GetFileName(f));
        return data;
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void EveryBundledFileLoads(string file)
    {
        var spec = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, file));
        Assert.Equal(Path.GetFileNameWithoutExtension(file), spec.Name);
        Assert.Equal(MemoryKind.Dram, spec.Memory[0].Kind);
        Assert.True(spec.PeCount > 0);
    }

    [Fact]
    public void TheRequiredArchitecturesAreBundled()
    {
        foreach (var name in new[] { "tpu-int8", "fp16-baseline", "bitmod", "lut-tensor-core", "mixpe", "xr-npe", "mx-fp4", "flightllm-u280" })
            Assert.True(File.Exists(Path.Combine(RepoPaths.ArchConfigs, name + ".yaml")), name);
    }
}
