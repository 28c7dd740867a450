using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The Vitis platform row: what xilinx_u280_gen3x16_xdma_1_202211_1 keeps for itself (HiSpMV's U280 device file), charged
/// to every U280 design whatever its kernel; no row on a device without a tabulated platform.
/// </summary>
public class FpgaPlatformTests
{
    [Fact]
    public void EveryU280DesignCarriesTheSamePlatformRow()
    {
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32");
        var small = FpgaCostModel.Evaluate(Specs.Fpga(pe, "u280", rows: 4, cols: 4));
        var large = FpgaCostModel.Evaluate(Specs.Fpga(pe, "u280", rows: 64, cols: 64));
        var a = Assert.Single(small.Breakdown, b => b.Component == FpgaPlatform.Component);
        var b = Assert.Single(large.Breakdown, x => x.Component == FpgaPlatform.Component);
        Assert.Equal(new FpgaResources(107_629, 136_086, 4, 2 * 195.5, 0), a.Used);
        Assert.Equal(a, b);
        Assert.Contains("xilinx_u280_gen3x16_xdma_1_202211_1", a.Source);
        Assert.Contains("mfkiwl/HiSpMV", a.Source);
    }

    [Fact]
    public void NoRowWithoutATabulatedPlatform()
    {
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32");
        var r = FpgaCostModel.Evaluate(Specs.Fpga(pe, "u250", memory: new[] { Specs.Dram("ddr4", 512), Specs.Sram("glb", 256 * 1024, 128) }));
        Assert.DoesNotContain(r.Breakdown, b => b.Component == FpgaPlatform.Component);
        Assert.Null(FpgaPlatform.For(FpgaDeviceTable.Get("zcu104")));
    }
}
