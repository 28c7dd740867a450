using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

public class InheritanceTests
{
    [Fact]
    public void DerivedFileMergesMapsAndReplacesLists()
    {
        using var dir = new TempDir();
        dir.Write("base.yaml", Valid);
        var derived = dir.Write("derived.yaml", """
            base: base.yaml
            name: derived
            array:
              rows: 64
            memory:
              - name: hbm
                kind: dram
                type: hbm2
                bandwidth_gbps: 460
            """);
        var spec = ArchitectureLoader.Load(derived);
        Assert.Equal("derived", spec.Name);
        Assert.Equal(new ArraySpec(64, 16, Dataflow.WS), spec.Array);          // rows replaced, cols and dataflow inherited
        Assert.Equal(new TechnologySpec(28, 0.9), spec.Technology);            // whole section inherited
        var level = Assert.Single(spec.Memory);                                // the list is replaced whole
        Assert.Equal("hbm", level.Name);
        Assert.Equal(460.0 * 1000 / 1000, level.ReadBytesPerCycle, 9);        // 460 GB/s at 1000 MHz = 460 B/cycle
        Assert.Equal(128, level.WidthBits);                                   // HBM2 channel width
        Assert.Equal(derived, spec.SourceFile);
    }

    [Fact]
    public void NullInTheDerivedFileRemovesAnInheritedKey()
    {
        using var dir = new TempDir();
        dir.Write("asic.yaml", Valid);
        var fpga = dir.Write("fpga.yaml", "base: asic.yaml\ntarget: fpga\ntechnology: ~\nfpga:\n  device: zcu104\n");
        var spec = ArchitectureLoader.Load(fpga);
        Assert.Equal(Target.Fpga, spec.Target);
        Assert.Null(spec.Technology);
        Assert.Equal(new FpgaSpec("zcu104"), spec.Fpga);
    }

    [Fact]
    public void ChainsOfBasesResolveInOrderAndRelativeToEachFile()
    {
        using var dir = new TempDir();
        dir.Write("common/root.yaml", Valid);
        dir.Write("common/mid.yaml", "base: root.yaml\nclock_mhz: 500\narray: {dataflow: os}\n");
        var leaf = dir.Write("leaf.yaml", "base: common/mid.yaml\narray: {cols: 8}\n");
        var spec = ArchitectureLoader.Load(leaf);
        Assert.Equal(500, spec.ClockMhz);
        Assert.Equal(new ArraySpec(16, 8, Dataflow.OS), spec.Array);
        Assert.Equal(25.6 * 1000 / 500, spec.Memory[0].ReadBytesPerCycle, 9); // bandwidth converted at the derived clock
    }

    [Fact]
    public void BundledBitmodInheritsTheFp16BaselineBuffersAndOverrides()
    {
        var spec = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "bitmod.yaml"));
        Assert.Equal(PeKind.BitSerial, spec.Pe.Kind);
        Assert.Equal("int4", spec.Pe.WeightFormat.Name);
        Assert.Equal(4, spec.Pe.DotWidth);
        Assert.Equal(2, spec.Pe.Parameters.BitsPerCycle);
        Assert.Equal(new ArraySpec(32, 32, Dataflow.OS), spec.Array);
        Assert.Equal(["dram", "weight_buffer", "input_buffer"], spec.Memory.Select(m => m.Name));
        Assert.Equal(512 * 1024, spec.Memory[1].CapacityBytes);
        Assert.Equal(16 * 8, spec.Memory[1].ReadBytesPerCycle);                // 128-bit words × 8 banks
        Assert.True(spec.Switches.ChargeAllPesEveryCycle);
        Assert.False(spec.Switches.ModelFill);
        var byPath = spec.Overrides.ToDictionary(o => o.Path, o => o.Value);
        Assert.DoesNotContain(byPath.Keys, k => k.StartsWith("pe."));         // neither file pins its PE
        Assert.Equal(2400, byPath["memory.dram.read_pj"]);                     // inherited from fp16-baseline
    }

    [Fact]
    public void ABaseCycleIsReportedAtTheBaseKey()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.yaml", "base: b.yaml\nname: a\n");
        dir.Write("b.yaml", "name: b\nbase: a.yaml\n");
        var ex = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(a));
        var d = Assert.Single(ex.Diagnostics);
        Assert.Equal(Path.Combine(dir.Path, "b.yaml"), d.File);
        Assert.Equal((2, 7, "base"), (d.Line, d.Column, d.KeyPath));
        Assert.Equal("inheritance cycle: a.yaml -> b.yaml -> a.yaml", d.Message);
    }

    [Fact]
    public void AFileThatIsItsOwnBaseIsACycle()
    {
        using var dir = new TempDir();
        var a = dir.Write("self.yaml", "base: ./self.yaml\n");
        var d = Assert.Single(Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(a)).Diagnostics);
        Assert.Equal("inheritance cycle: self.yaml -> self.yaml", d.Message);
    }

    [Fact]
    public void AMissingBaseFileIsReportedWithItsPosition()
    {
        using var dir = new TempDir();
        var a = dir.Write("a.yaml", "name: a\nbase: nowhere.yaml\n");
        var d = Assert.Single(Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(a)).Diagnostics);
        Assert.Equal((a, 2, 7, "base"), (d.File, d.Line, d.Column, d.KeyPath));
        Assert.Equal($"base file 'nowhere.yaml' not found (looked for {Path.Combine(dir.Path, "nowhere.yaml")})", d.Message);
    }

    [Fact]
    public void ProblemsInABaseNameTheBaseFile()
    {
        using var dir = new TempDir();
        dir.Write("base.yaml", Valid.Replace("cols: 16", "cols: -3"));
        var derived = dir.Write("derived.yaml", "base: base.yaml\nname: x\narray: {rowz: 2}\n");
        var problems = Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(derived)).Diagnostics;
        Assert.Equal(
        [
            $"{Path.Combine(dir.Path, "base.yaml")}:14:9: array.cols: expected an integer 1..65536, got -3",
            $"{derived}:3:9: array.rowz: unknown key 'rowz'; did you mean 'rows'? (valid keys here: rows, cols, dataflow, weight_preload, vector_lanes)",
        ], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void LoadTextResolvesBasesAgainstTheGivenDirectory()
    {
        using var dir = new TempDir();
        dir.Write("base.yaml", Valid);
        var spec = ArchitectureLoader.LoadText("base: base.yaml\nname: inline\n", "inline.yaml", baseDirectory: dir.Path);
        Assert.Equal("inline", spec.Name);
        Assert.Equal(NumberFormat.Parse("int8"), spec.Pe.WeightFormat);

        dir.Write("bad.yaml", Valid.Replace("rows: 16", "rows: -1"));
        var d = Assert.Single(Assert.Throws<ConfigException>(() => ArchitectureLoader.LoadText("base: bad.yaml\n", "inline.yaml", baseDirectory: dir.Path)).Diagnostics);
        Assert.Equal($"{Path.Combine(dir.Path, "bad.yaml")}:13:9: array.rows: expected an integer 1..65536, got -1", d.ToString());
    }

    [Fact]
    public void BaseFilesAreNamedRelativeToThePathTheUserGave()
    {
        using var dir = new TempDir();
        dir.Write("arch/common/bad.yaml", Valid.Replace("cols: 16", "cols: 0"));
        dir.Write("arch/x.yaml", "base: common/bad.yaml\n");
        var old = Directory.GetCurrentDirectory();
        var relative = Path.GetRelativePath(old, Path.Combine(dir.Path, "arch", "x.yaml"));
        var d = Assert.Single(Assert.Throws<ConfigException>(() => ArchitectureLoader.Load(relative)).Diagnostics);
        Assert.Equal(Path.Combine(Path.GetDirectoryName(relative)!, "common", "bad.yaml"), d.File);
    }
}
