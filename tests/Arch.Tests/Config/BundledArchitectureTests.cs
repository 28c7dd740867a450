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

    /// <summary>Issue 11: a PE kind comes with one example architecture, so every kind has a design or a reproduction's
    /// design in arch-configs/ (posit_mac had none before posit8.yaml).</summary>
    [Fact]
    public void EveryPeKindHasAnExampleDesign()
    {
        var used = ExampleFiles().Select(f => ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, f)).Pe.Kind).ToHashSet();
        Assert.Empty(PeKind.All.Where(k => !used.Contains(k)).Select(k => k.Name));
    }

    [Fact]
    public void Posit8IsAStandardPosit8ArrayWithAQuire()
    {
        var p = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "posit8.yaml"));
        Assert.Equal((PeKind.PositMac, "posit8es2", "posit8es2"), (p.Pe.Kind, p.Pe.WeightFormat.Name, p.Pe.ActivationFormat.Name));
        Assert.True(p.Pe.Parameters.Quire);                                            // exact sum, one rounding
        Assert.Equal((64 * 64, 28.0), (p.PeCount, p.Technology!.NodeNm));
        Assert.DoesNotContain(p.Overrides, o => o.Path.StartsWith("pe."));            // priced by the model, not pinned
    }

    [Fact]
    public void TpuMatchesThePaperSizes()
    {
        var tpu = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "tpu-int8.yaml"));
        Assert.Equal(65536, tpu.PeCount);                                              // 256×256 MACs
        Assert.Equal(700, tpu.ClockMhz);
        Assert.Equal(24L << 20, tpu.Memory.Single(m => m.Name == "unified_buffer").CapacityBytes);
        Assert.Equal(34.0 * 1000 / 700, tpu.Memory[0].ReadBytesPerCycle, 9);            // 34 GB/s at 700 MHz
        var reg = tpu.Memory[^1];
        Assert.True(reg.PerPe);
        Assert.Equal((MemoryKind.RegFile, 2L, TensorSet.Weights), (reg.Kind, reg.CapacityBytes, reg.Holds));
    }

    [Fact]
    public void FlightLlmIsAnFpgaDesignOnTheU280()
    {
        var f = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "flightllm-u280.yaml"));
        Assert.Equal((Target.Fpga, "u280"), (f.Target, f.Fpga!.Device));
        Assert.Null(f.Technology);
        Assert.Equal(3 * 128 * 2 * 16, f.PeCount * f.Pe.DotWidth);                     // 3 cores × N2 × K16 × M128 MACs per cycle
        Assert.Equal("hbm2", f.Memory[0].DramType);
        Assert.Equal(460.0 * 1000 / 225, f.Memory[0].ReadBytesPerCycle, 9);
    }

    [Fact]
    public void MixPeUsesTheAuthorsSimulatorSizes()
    {
        var m = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "mixpe.yaml"));
        Assert.Equal((PeKind.ShiftAdd, 64 * 64, 500.0), (m.Pe.Kind, m.PeCount, m.ClockMhz));
        Assert.Equal([128L << 10, 256L << 10, 128L << 10], m.Memory.Skip(1).Select(l => l.CapacityBytes));
        Assert.Equal(128, m.Memory[0].ReadBytesPerCycle);                              // 1024-bit interface
        Assert.DoesNotContain(m.Overrides, o => o.Path.StartsWith("pe.")); // the PE is priced by the model, not pinned
    }

    /// <summary>Every example architecture under arch-configs/ with a <c>pe:</c> section (the designs and each reproduction's
    /// designs; not sweeps, mapping files, experiment files or precision recipes), by path.</summary>
    public static TheoryData<string> Examples()
    {
        var data = new TheoryData<string>();
        foreach (var f in ExampleFiles()) data.Add(f);
        return data;
    }

    private static IEnumerable<string> ExampleFiles() => Directory.GetFiles(RepoPaths.ArchConfigs, "*.yaml", SearchOption.AllDirectories)
        .Select(f => Path.GetRelativePath(RepoPaths.ArchConfigs, f).Replace('\\', '/'))
        .Where(f => !f.StartsWith("sweeps/", StringComparison.Ordinal) && !f.StartsWith("mappings/", StringComparison.Ordinal)
                    && File.ReadLines(Path.Combine(RepoPaths.ArchConfigs, f)).Any(l => l.StartsWith("pe:", StringComparison.Ordinal)))
        .Order(StringComparer.Ordinal);

    /// <summary>Every example binds through the binder whose PE keys come from the kind descriptors (issue 11), and its
    /// PE is one of the registered kinds.</summary>
    [Theory]
    [MemberData(nameof(Examples))]
    public void EveryExampleArchitectureBinds(string file)
    {
        var spec = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, file));
        Assert.Contains(spec.Pe.Kind, PeKind.All);
        Assert.True(spec.PeCount > 0);
    }
}
