using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>Mapping constraints: a level's <c>mapping:</c> section in the architecture, and a <c>--mapping</c> file.</summary>
public class MappingConstraintTests
{
    private static MemoryLevelSpec Level(string yaml, string name) => ArchitectureLoader.LoadText(yaml, "t.yaml").Memory.Single(m => m.Name == name);

    [Fact]
    public void AbsentMappingLeavesTheMapperFree() => Assert.Null(Level(Valid, "buf").Mapping);

    [Fact]
    public void OrderAndTileAreRead()
    {
        var c = Level(WithLine(25, "    holds: [weights, inputs, outputs]\n    mapping:\n      order: [N, k, m]\n      tile: {m: 64, k: 256}"), "buf").Mapping!;
        Assert.Equal(new LevelMappingSpec(LoopOrder.NKM, 64, 256, null, "t.yaml:26:5 (memory.buf.mapping)"), c);
    }

    [Theory]
    [InlineData("m, k, n", LoopOrder.MKN)]
    [InlineData("m, n, k", LoopOrder.MNK)]
    [InlineData("k, m, n", LoopOrder.KMN)]
    [InlineData("K, N, M", LoopOrder.KNM)]
    [InlineData("n, m, k", LoopOrder.NMK)]
    [InlineData("n, k, m", LoopOrder.NKM)]
    public void EachOrderOfTheThreeLoopsIsRead(string loops, LoopOrder order) =>
        Assert.Equal(order, Level(WithLine(20, $"    bandwidth_gbps: 25.6\n    mapping: {{order: [{loops}]}}"), "dram").Mapping!.Order);

    [Fact]
    public void DramTakesAnOrderButNoTile()
    {
        Assert.Equal(LoopOrder.KMN, Level(WithLine(20, "    bandwidth_gbps: 25.6\n    mapping: {order: [k, m, n]}"), "dram").Mapping!.Order);
        var d = Assert.Single(Problems(WithLine(20, "    bandwidth_gbps: 25.6\n    mapping: {tile: {m: 4}}")));
        Assert.Equal((21, "memory.dram.mapping.tile"), (d.Line, d.KeyPath));
        Assert.Equal("the DRAM level holds the whole problem: constrain only its loop order there", d.Message);
    }

    [Theory]
    [InlineData("order: [m, k]", 27, "memory.buf.mapping.order", "expected a list of the loops m, k and n, outer to inner, each once (e.g. [n, k, m]), got 2 items")]
    [InlineData("order: [m, k, m]", 27, "memory.buf.mapping.order.2", "loop 'm' is listed twice (expected a list of the loops m, k and n, outer to inner, each once (e.g. [n, k, m]))")]
    [InlineData("order: [m, c, n]", 27, "memory.buf.mapping.order.1", "expected a GEMM loop m, k or n, got 'c'")]
    [InlineData("order: mkn", 27, "memory.buf.mapping.order", "expected a list of the loops m, k and n, outer to inner, each once (e.g. [n, k, m]), got 'mkn'")]
    [InlineData("tile: {m: 0}", 27, "memory.buf.mapping.tile.m", "expected an integer 1..2147483647, got 0")]
    [InlineData("tile: {m: 8.5}", 27, "memory.buf.mapping.tile.m", "expected an integer 1..2147483647, got '8.5'")]
    [InlineData("tile: {p: 8}", 27, "memory.buf.mapping.tile.p", "unknown key 'p'; did you mean 'm'? (valid keys here: m, k, n)")]
    [InlineData("bypass: [weights]", 27, "memory.buf.mapping.bypass", "unknown key 'bypass' (valid keys here: order, tile)")]
    public void BadConstraintsArePositioned(string entry, int line, string path, string message)
    {
        var d = Assert.Single(Problems(WithLine(25, "    holds: [weights, inputs, outputs]\n    mapping:\n      " + entry)));
        Assert.Equal((line, path, message), (d.Line, d.KeyPath, d.Message));
    }

    [Fact]
    public void PerPeLevelsTakeNoConstraints()
    {
        var d = Assert.Single(Problems(Valid + "  - name: regs\n    kind: regfile\n    capacity_bytes: 4\n    width_bits: 8\n    holds: [weights]\n    per_pe: true\n    mapping: {order: [m, k, n]}\n"));
        Assert.Equal((32, "memory.regs.mapping"), (d.Line, d.KeyPath));
        Assert.StartsWith("a per-PE level has no mapping constraints", d.Message);
    }

    [Fact]
    public void AMappingFileAddsToTheArchitecturesConstraints()
    {
        using var dir = new TempDir();
        var arch = ArchitectureLoader.LoadText(WithLine(25, "    holds: [weights, inputs, outputs]\n    mapping: {order: [n, k, m], tile: {m: 32}}"), "t.yaml");
        var file = dir.Write("m.yaml", "# tiles of buf\nmapping:\n  buf:\n    tile: {k: 128, n: 64}\n  dram: {order: [k, n, m]}\n");
        var applied = MappingFile.Apply(arch, file);
        Assert.Equal(new LevelMappingSpec(LoopOrder.NKM, 32, 128, 64, $"{file}:3:3 (mapping.buf)"), applied.Memory[1].Mapping);
        Assert.Equal(new LevelMappingSpec(LoopOrder.KNM, null, null, null, $"{file}:5:3 (mapping.dram)"), applied.Memory[0].Mapping);
    }

    [Fact]
    public void AMappingFileReportsEveryProblemWithItsPosition()
    {
        using var dir = new TempDir();
        var arch = ArchitectureLoader.LoadText(Valid, "t.yaml");
        var file = dir.Write("m.yaml", "mapping:\n  bfu:\n    tile: {m: 4}\n  buf:\n    order: [m, k]\n  dram: [k]\nextra: 1\n");
        var e = Assert.Throws<ConfigException>(() => MappingFile.Apply(arch, file));
        Assert.StartsWith($"invalid mapping file {file} (4 problems):", e.Message);
        Assert.Equal(new[]
        {
            (2, "mapping.bfu", "unknown memory level 'bfu'; did you mean 'buf'? (levels of 't': dram, buf)"),
            (5, "mapping.buf.order", "expected a list of the loops m, k and n, outer to inner, each once (e.g. [n, k, m]), got 2 items"),
            (6, "mapping.dram", "expected a mapping with order and/or tile, got a list"),
            (7, "extra", "unknown key 'extra' (valid keys here: mapping)"),
        }, e.Diagnostics.Select(d => (d.Line, d.KeyPath, d.Message)));
    }

    [Theory]
    [InlineData("", "expected a mapping with the key 'mapping', got an empty file")]
    [InlineData("mapping: [1]\n", "expected a mapping from memory level names to {order, tile}, got a list")]
    [InlineData("mapping: {buf: {tile: {m: [1}}\n", "YAML syntax error")]
    public void AMappingFileThatIsNotOneIsAnError(string text, string message)
    {
        using var dir = new TempDir();
        var file = dir.Write("m.yaml", text);
        var e = Assert.Throws<ConfigException>(() => MappingFile.Apply(ArchitectureLoader.LoadText(Valid, "t.yaml"), file));
        Assert.Contains(message, Assert.Single(e.Diagnostics).Message);
    }

    [Fact]
    public void AMissingMappingFileIsAnError()
    {
        var e = Assert.Throws<ConfigException>(() => MappingFile.Apply(ArchitectureLoader.LoadText(Valid, "t.yaml"), "/nonexistent/m.yaml"));
        Assert.StartsWith("invalid mapping file /nonexistent/m.yaml (1 problem):", e.Message);
    }
}
