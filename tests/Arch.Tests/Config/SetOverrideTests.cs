using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

public class SetOverrideTests
{
    private static ArchitectureSpec LoadWith(params string[] sets) =>
        ArchitectureLoader.LoadText(Valid, "t.yaml", sets.Select(Set).ToList());

    [Fact]
    public void ScalarSetsReplaceValues()
    {
        var spec = LoadWith("array.rows=32", "array.dataflow=os", "clock_mhz=500", "name=\"my chip: v2\"");
        Assert.Equal(new ArraySpec(32, 16, Dataflow.OS), spec.Array);
        Assert.Equal(500, spec.ClockMhz);
        Assert.Equal("my chip: v2", spec.Name);
        Assert.Equal(25.6 * 1000 / 500, spec.Memory[0].ReadBytesPerCycle, 9);
    }

    [Fact]
    public void ListItemsAreSelectedByIndexOrByName()
    {
        var spec = LoadWith("memory.1.capacity_kib=256", "memory.buf.banks=4", "memory.dram.bandwidth_gbps=51.2");
        Assert.Equal(256 * 1024, spec.Memory[1].CapacityBytes);
        Assert.Equal(4, spec.Memory[1].Banks);
        Assert.Equal(16 * 4, spec.Memory[1].ReadBytesPerCycle);                 // default on-chip bandwidth follows banks
        Assert.Equal(51.2, spec.Memory[0].ReadBytesPerCycle, 9);
    }

    [Fact]
    public void AFlowValueReplacesAWholeSubTree()
    {
        var spec = LoadWith("pe={kind: lut, weights: int4, activations: fp16, g: 4}");
        Assert.Equal(PeKind.Lut, spec.Pe.Kind);
        Assert.Equal("int4", spec.Pe.WeightFormat.Name);
        Assert.Equal("fp16", spec.Pe.ActivationFormat.Name);
        Assert.Equal("fp32", spec.Pe.Accumulator.Name);                         // default for float activations
        Assert.Equal(4, spec.Pe.Parameters.LutGroup);
    }

    [Fact]
    public void ListsAndListItemsCanBeReplacedAndItemsRemoved()
    {
        var spec = LoadWith("memory.1={name: sp, kind: sram, capacity_mib: 1, width_bits: 256, holds: [weights, inputs, outputs]}",
                            "memory.1.holds=[inputs, outputs]", "memory.0.holds=[weights, inputs, outputs]");
        Assert.Equal("sp", spec.Memory[1].Name);
        Assert.Equal(TensorSet.Inputs | TensorSet.Outputs, spec.Memory[1].Holds);
        Assert.Equal(1 << 20, spec.Memory[1].CapacityBytes);

        var single = LoadWith("memory.buf=~");
        Assert.Equal("dram", Assert.Single(single.Memory).Name);
    }

    [Fact]
    public void KeysAbsentFromTheFileButValidInTheSchemaCanBeSet()
    {
        var spec = LoadWith("pe.pipeline_depth=3", "pe.dot_width=8", "sim.model_fill=false",
                            "overrides.pe.area_um2={value: 250, source: \"test\"}", "overrides.memory.buf.read_pj.value=1.5",
                            "overrides.memory.buf.read_pj.source=CACTI 28 nm");
        Assert.Equal(3, spec.Pe.Parameters.PipelineDepth);
        Assert.Equal(8, spec.Pe.DotWidth);
        Assert.False(spec.Switches.ModelFill);
        Assert.Equal([new CostOverride("memory.buf.read_pj", 1.5, "CACTI 28 nm"), new CostOverride("pe.area_um2", 250, "test")], spec.Overrides);
    }

    [Fact]
    public void SwitchingTargetWithSets()
    {
        var spec = LoadWith("target=fpga", "technology=~", "fpga.device=vck190");
        Assert.Equal(Target.Fpga, spec.Target);
        Assert.Null(spec.Technology);
        Assert.Equal("vck190", spec.Fpga!.Device);
    }

    [Fact]
    public void SetsApplyOnTopOfBundledFiles()
    {
        var spec = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "tpu-int8.yaml"),
                                           [Set("array.rows=128"), Set("array.cols=128"), Set("memory.unified_buffer.capacity_mib=8")]);
        Assert.Equal(128 * 128, spec.PeCount);
        Assert.Equal(8L << 20, spec.Memory.Single(m => m.Name == "unified_buffer").CapacityBytes);
    }

    public static TheoryData<string, string, int, int, string, string> BadSets() => new()
    {
        { "array.rows=0", "--set array.rows", 0, 0, "array.rows", "expected an integer 1..65536, got 0" },
        { "array.rowz=3", "--set array.rowz", 0, 0, "array.rowz", "no key 'rowz' in 'array'; did you mean 'rows'? (valid keys: rows, cols, dataflow, weight_preload, vector_lanes)" },
        { "arry.rows=3", "--set arry.rows", 0, 0, "arry.rows",
          "no key 'arry' at the top level; did you mean 'array'? (valid keys: base, name, target, technology, fpga, clock_mhz, pe, array, memory, overrides, sim, chip)" },
        { "memory.5.banks=2", "--set memory.5.banks", 0, 0, "memory.5.banks", "'memory' has no item '5' (items: 0 (dram), 1 (buf))" },
        { "memory.buff.banks=2", "--set memory.buff.banks", 0, 0, "memory.buff.banks", "'memory' has no item 'buff'; did you mean 'buf'? (items: 0 (dram), 1 (buf))" },
        { "memory.buf.bank=2", "--set memory.buf.bank", 0, 0, "memory.buf.bank",
          "no key 'bank' in 'memory.buf'; did you mean 'banks'? (valid keys: name, kind, type, capacity_bytes, capacity_kib, capacity_mib, capacity_gib, width_bits, banks, bandwidth_gbps, read_bw, write_bw, holds, may_bypass, double_buffered, per_pe, cell, mapping)" },
        { "array.rows.x=1", "--set array.rows.x", 0, 0, "array.rows.x", "cannot go into 'x': 'array.rows' holds the value '16', not a mapping or list" },
        { "memory.buf.holds.0.x=1", "--set memory.buf.holds.0.x", 0, 0, "memory.buf.holds.0.x", "cannot go into 'x': 'memory.buf.holds.0' holds the value 'weights', not a mapping or list" },
        { "base=other.yaml", "--set base", 0, 0, "base", "'base' cannot be set; pass the derived file itself instead" },
        { "array.dataflow=", "--set array.dataflow", 0, 0, "array.dataflow", "expected a value after '=' (use ~ to remove the key)" },
        { "array..rows=1", "--set array..rows", 0, 0, "array..rows", "expected a dotted key path such as array.rows or memory.1.capacity_kib" },
        { "pe={kind: lut, weights: int4, activations: fp16, g: 9}", "--set pe", 1, 50, "pe.g", "expected an integer 1..8, got 9" },
        { "pe={kind: lut", "--set pe", 1, 11, "pe", "YAML syntax error: while parsing a flow mapping, did not find expected ',' or '}'" },
    };

    [Theory]
    [MemberData(nameof(BadSets))]
    public void BadSetsNameTheSetAsTheSource(string assignment, string file, int line, int column, string keyPath, string message)
    {
        var problems = Problems(Valid, [Set(assignment)]);
        var d = Assert.Single(problems);
        Assert.Equal((file, line, column, keyPath, message), (d.File, d.Line, d.Column, d.KeyPath, d.Message));
    }

    [Fact]
    public void ASetDiagnosticPrintsWithoutAFakePosition()
    {
        var d = Assert.Single(Problems(Valid, [Set("array.rows=-1")]));
        // the source already names the path: it is printed once
        Assert.Equal("--set array.rows: expected an integer 1..65536, got -1", d.ToString());
        // a key inside a mapping value is not the set's own path, so it is still named
        var inner = Assert.Single(Problems(Valid, [Set("pe={kind: lut, weights: int4, activations: fp16, g: 9}")]));
        Assert.Equal("--set pe:1:50: pe.g: expected an integer 1..8, got 9", inner.ToString());
    }

    [Fact]
    public void ProblemsFromTheFileAndFromSetsAreReportedTogether()
    {
        var problems = Problems(Valid.Replace("cols: 16", "cols: 0"), [Set("array.rows=x"), Set("pe.kind=lutt")]);
        Assert.Equal(
        [
            "--set array.rows: expected an integer 1..65536, got 'x'",
            $"--set pe.kind: expected one of {PeKindNames}, got 'lutt'; did you mean 'lut'?",
            "t.yaml:14:9: array.cols: expected an integer 1..65536, got 0",
        ], problems.Select(p => p.ToString()));
    }

    [Fact]
    public void ABadSetPathDoesNotHideValidationProblems()
    {
        var problems = Problems(Valid, [Set("memory.bufr.banks=2"), Set("array.cols=0")]);
        Assert.Equal(
        [
            "--set array.cols: expected an integer 1..65536, got 0",
            "--set memory.bufr.banks: 'memory' has no item 'bufr'; did you mean 'buf'? (items: 0 (dram), 1 (buf))",
        ], problems.Select(p => p.ToString()));
    }
}
