using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>The per-level <c>cell:</c> key that selects an SRAM's device type for leakage.</summary>
public class SramCellKeyTests
{
    private static MemoryLevelSpec Buf(string yaml) => ArchitectureLoader.LoadText(yaml, "t.yaml").Memory.Single(m => m.Name == "buf");

    [Fact]
    public void AbsentCellMeansLowOperatingPower() => Assert.Equal(SramCell.Lop, Buf(Valid).Cell);

    [Theory]
    [InlineData("hp", SramCell.Hp)]
    [InlineData("lstp", SramCell.Lstp)]
    [InlineData("lop", SramCell.Lop)]
    public void CellIsRead(string text, SramCell expected) =>
        Assert.Equal(expected, Buf(WithLine(25, "    holds: [weights, inputs, outputs]\n    cell: " + text)).Cell);

    [Fact]
    public void SetCanChangeTheCell()
    {
        var arch = ArchitectureLoader.LoadText(Valid, "t.yaml", new[] { Set("memory.buf.cell=hp") });
        Assert.Equal(SramCell.Hp, arch.Memory.Single(m => m.Name == "buf").Cell);
    }

    [Fact]
    public void MisspelledCellNamesTheChoices()
    {
        var d = Assert.Single(Problems(WithLine(25, "    holds: [weights]\n    cell: lsp")));
        Assert.Equal((26, "memory.buf.cell"), (d.Line, d.KeyPath));
        Assert.Equal("expected one of lop, lstp, hp, got 'lsp'; did you mean 'lop'?", d.Message);
    }

    [Fact]
    public void CellOnADramLevelIsAnError()
    {
        var d = Assert.Single(Problems(WithLine(20, "    bandwidth_gbps: 25.6\n    cell: hp")));
        Assert.Equal((21, "memory.dram.cell"), (d.Line, d.KeyPath));
        Assert.Equal("'cell' applies only to sram levels", d.Message);
    }
}
