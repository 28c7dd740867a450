using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using static Mantissa.Arch.Tests.Config.ConfigFixtures;

namespace Mantissa.Arch.Tests.Config;

/// <summary>The <c>chip:</c> section: absent means no whole-chip components; every bad key or value is positioned.</summary>
public class ChipSectionTests
{
    private static string WithChip(params string[] lines) => Valid + "chip:\n" + string.Join("\n", lines.Select(l => "  " + l)) + "\n";

    [Fact]
    public void AbsentSectionMeansNoChipComponents() => Assert.Null(ArchitectureLoader.LoadText(Valid, "t.yaml").Chip);

    [Fact]
    public void EveryKeyIsRead()
    {
        var c = ArchitectureLoader.LoadText(WithChip("control: true", "dma_engines: 3", "post_processing_lanes: 16", "pcie_lanes: 8",
            "pcie_gen: 5", "dram_phy: true", "interconnect: true", "clock_tree: true", "fitted_area: true"), "t.yaml").Chip;
        Assert.Equal(new ChipSpec(true, 3, 16, 8, PcieGeneration.Gen5, true, true, true, true), c);
        // Keys left out are components not declared.
        Assert.Equal(new ChipSpec(false, 0, 0, 0, PcieGeneration.Gen4, false, false, true, FittedArea: true),
            ArchitectureLoader.LoadText(WithChip("clock_tree: true"), "t.yaml").Chip);
        // Every whole chip gets the chip-level factors unless a what-if turns them off.
        Assert.False(ArchitectureLoader.LoadText(WithChip("clock_tree: true", "fitted_area: false"), "t.yaml").Chip!.FittedArea);
    }

    [Fact]
    public void SetReachesChipKeys()
    {
        var c = ArchitectureLoader.LoadText(WithChip("control: true"), "t.yaml", [Set("chip.dma_engines=4")]).Chip;
        Assert.Equal(4, c!.DmaEngines);
    }

    [Theory]
    [InlineData("dma_engine: 2", 27, 3, "chip.dma_engine", "unknown key 'dma_engine'")]
    [InlineData("dma_engines: 65", 27, 16, "chip.dma_engines", "expected an integer 0..64, got 65")]
    [InlineData("post_processing_lanes: -1", 27, 26, "chip.post_processing_lanes", "expected an integer 0..65536, got -1")]
    [InlineData("pcie_lanes: 3", 27, 15, "chip.pcie_lanes", "expected one of 0, 1, 2, 4, 8, 16, 32 (a PCIe link width), got 3")]
    [InlineData("clock_tree: yes", 27, 15, "chip.clock_tree", "expected true or false, got 'yes'")]
    public void BadKeysAndValuesArePositioned(string line, int row, int col, string key, string message)
    {
        var d = Assert.Single(Problems(WithChip(line)));
        Assert.Equal(("t.yaml", row, col, key), (d.File, d.Line, d.Column, d.KeyPath));
        Assert.StartsWith(message, d.Message);
    }

    [Fact]
    public void PcieLanesNeedAGeneration()
    {
        var d = Assert.Single(Problems(WithChip("pcie_lanes: 16")));
        Assert.Equal(("chip.pcie_gen", "missing required key 'pcie_gen' (expected one of 3, 4, 5)"), (d.KeyPath, d.Message));
        d = Assert.Single(Problems(WithChip("pcie_gen: 4")));
        Assert.Equal(("chip.pcie_gen", 27, "'pcie_gen' needs 'pcie_lanes' > 0 (the host link's width)"), (d.KeyPath, d.Line, d.Message));
        d = Assert.Single(Problems(WithChip("pcie_lanes: 16", "pcie_gen: 6")));
        Assert.Equal(("chip.pcie_gen", "expected one of 3, 4, 5, got '6'"), (d.KeyPath, d.Message));
    }

    [Fact]
    public void AnFpgaDesignHasNoChipSection()
    {
        var fpga = string.Join("\n", ValidLines[..2]).Replace("asic", "fpga") + "\nfpga:\n  device: u280\n" +
                   string.Join("\n", ValidLines[5..]) + "\nchip:\n  control: true\n";
        var d = Assert.Single(Problems(fpga));
        Assert.Equal("chip", d.KeyPath);
        Assert.StartsWith("'chip' applies only to target: asic", d.Message);
    }
}
