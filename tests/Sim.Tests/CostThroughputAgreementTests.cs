using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;

namespace Mantissa.Sim.Tests;

/// <summary>The cost model's peak throughput and the timing model's cycle formula must describe the same PE.</summary>
public class CostThroughputAgreementTests
{
    private static string RepoRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) dir = dir.Parent;
        return dir!.FullName;
    }

    public static IEnumerable<object[]> BundledArchitectures()
    {
        foreach (var f in Directory.GetFiles(Path.Combine(RepoRoot(), "arch-configs"), "*.yaml").OrderBy(f => f))
            yield return new object[] { Path.GetFileName(f), f };
    }

    [Theory]
    [MemberData(nameof(BundledArchitectures))]
    public void PeakMacsPerPeEqualTheCycleModel(string name, string path)
    {
        var arch = ArchitectureLoader.Load(path);
        var own = CostModel.Report(arch).Peak[0];
        Assert.Equal(arch.Pe.WeightFormat.Name, own.Weight);
        double expected = PeCycleModel.For(arch.Pe, arch.Pe.WeightFormat, arch.Pe.ActivationFormat).MacsPerCycle;
        Assert.True(Math.Abs(own.MacsPerCyclePerPe - expected) < 1e-9,
            $"{name}: cost model peak {own.MacsPerCyclePerPe} MACs/cycle/PE, cycle model {expected}");
    }

    [Theory]
    [MemberData(nameof(BundledArchitectures))]
    public void EverySupportedFormatRowEqualsTheCycleModel(string name, string path)
    {
        var arch = ArchitectureLoader.Load(path);
        AssertRowsAgree(name, arch);
    }

    private static NumberFormat F(string n) => NumberFormat.Parse(n);

    /// <summary>PE variants whose cost report lists several format rows (narrower serial or LUT weights, SIMD sub-formats).</summary>
    public static IEnumerable<object[]> Variants() => new[]
    {
        new object[] { "lut shared int4", new PeSpec(PeKind.Lut, F("int4"), F("fp16"), F("fp32"), 4, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Fp16 }) },
        new object[] { "lut per_pe int4", new PeSpec(PeKind.Lut, F("int4"), F("fp16"), F("fp32"), 4, new PeParameters { LutGroup = 4, LutEntries = LutEntryMode.Fp16, LutPrecompute = LutPrecompute.PerPe }) },
        new object[] { "lut per_pe g2 uint3", new PeSpec(PeKind.Lut, F("uint3"), F("int8"), F("int32"), 8, new PeParameters { LutGroup = 2, LutPrecompute = LutPrecompute.PerPe }) },
        new object[] { "bit_serial w8 bpc2", new PeSpec(PeKind.BitSerial, F("int8"), F("fp16"), F("fp32"), 4, new PeParameters { BitsPerCycle = 2 }) },
        new object[] { "bit_serial w7 bpc4", new PeSpec(PeKind.BitSerial, F("int7"), F("int8"), F("int32"), 8, new PeParameters { BitsPerCycle = 4 }) },
        new object[] { "bit_serial serial a6", new PeSpec(PeKind.BitSerial, F("int8"), F("int6"), F("int32"), 16, new PeParameters { SerialOperand = SerialOperand.Activations }) },
        new object[] { "simd_mac int8", new PeSpec(PeKind.SimdMac, F("int8"), F("int8"), F("int32"), 2, new PeParameters()) },
        new object[] { "simd_mac fp16", new PeSpec(PeKind.SimdMac, F("fp16"), F("fp16"), F("fp32"), 3, new PeParameters()) },
        new object[] { "simd_mac posit16es1", new PeSpec(PeKind.SimdMac, F("posit16es1"), F("posit16es1"), F("posit16es1"), 1, new PeParameters()) },
    };

    [Theory]
    [MemberData(nameof(Variants))]
    public void EveryRowOfAPeVariantEqualsTheCycleModel(string name, PeSpec pe)
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoRoot(), "arch-configs", "lut-tensor-core.yaml")) with { Pe = pe };
        int rows = AssertRowsAgree(name, arch);
        Assert.True(rows > 1 || pe.Parameters.SerialOperand == SerialOperand.Activations, $"{name}: expected several format rows, got {rows}");
    }

    private static int AssertRowsAgree(string name, ArchitectureSpec arch)
    {
        var peak = CostModel.Report(arch).Peak;
        foreach (var row in peak)
        {
            double expected = PeCycleModel.For(arch.Pe, F(row.Weight), F(row.Activation)).MacsPerCycle;
            Assert.True(Math.Abs(row.MacsPerCyclePerPe - expected) < 1e-9,
                $"{name} {row.Weight}×{row.Activation}: cost model peak {row.MacsPerCyclePerPe} MACs/cycle/PE, cycle model {expected}");
        }
        return peak.Count;
    }
}
