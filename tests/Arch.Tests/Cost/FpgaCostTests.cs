using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

public class FpgaCostTests
{
    private static FpgaDevice Dev(string n) => FpgaDeviceTable.Get(n);

    [Fact]
    public void DeviceTableHasTheBundledBoards()
    {
        foreach (var n in new[] { "u280", "u250", "vck190", "zcu104", "ultra96", "vcu129" })
            Assert.True(FpgaDeviceTable.TryGet(n, out _), n);
        Assert.True(FpgaDeviceTable.TryGet("U280", out var u280));
        Assert.Equal(9024, u280.Dsps);
        Assert.Equal(2016, u280.Bram36);
        Assert.False(FpgaDeviceTable.TryGet("nosuch", out _));
        var ex = Assert.Throws<MantissaException>(() => FpgaDeviceTable.Get("nosuch"));
        Assert.Contains("u280", ex.Message);
    }

    [Theory]
    // WP486: two INT8 multiplies per DSP48E2; FINN: four 4-bit per DSP48E2, three 8-bit per DSP58; wider: one 27x18 slice each.
    [InlineData("u280", 8, 8, 1000, 500)]
    [InlineData("u280", 4, 4, 1000, 250)]
    [InlineData("u280", 4, 8, 1001, 501)]
    [InlineData("u280", 16, 16, 1000, 1000)]
    [InlineData("u280", 32, 32, 10, 40)]
    [InlineData("vck190", 8, 8, 999, 333)]
    [InlineData("vck190", 16, 16, 10, 10)]
    public void DspPacking(string device, int a, int b, int count, double dsps)
    {
        var r = FpgaCostModel.Multipliers(a, b, count, Dev(device));
        Assert.Equal(dsps, r.Dsps);
        Assert.Equal(0, r.Luts);
    }

    [Theory]
    // FINN-R: (2*ceil((W+A)/6) - 1) * (W+A), the research note's examples.
    [InlineData(2, 2, 4)]
    [InlineData(4, 4, 24)]
    [InlineData(4, 8, 36)]
    [InlineData(8, 8, 80)]
    public void FinnLutMultiplier(int w, int a, double luts) => Assert.Equal(luts, FpgaCostModel.FinnLutMultiplier(w, a));

    [Fact]
    public void TwoBitMultipliesGoToLuts()
    {
        var r = FpgaCostModel.Multipliers(2, 8, 10, Dev("u280"));
        Assert.Equal(0, r.Dsps);
        Assert.Equal(10 * FpgaCostModel.FinnLutMultiplier(2, 8), r.Luts);
    }

    [Theory]
    // depth x width -> BRAM18 count (best SDP shape, UG573) or URAM288 (4K x 72) when that takes no larger a share of the
    // device's blocks (u280: 4,032 BRAM18, 960 URAM).
    [InlineData(512, 36, 1, 0)]
    [InlineData(1024, 36, 2, 0)]
    [InlineData(2048, 9, 1, 0)]
    [InlineData(2048, 72, 0, 1)]      // 8 BRAM18 (0.20 % of the BRAM) against 1 half-empty URAM (0.10 %)
    [InlineData(512, 128, 4, 0)]      // 4 BRAM18 (0.10 %) against 2 URAM (0.21 %): a shallow buffer stays on BRAM
    [InlineData(16384, 1, 1, 0)]
    [InlineData(4096, 72, 0, 1)]
    [InlineData(8192, 144, 0, 4)]
    [InlineData(100, 512, 15, 0)]
    public void BufferMapping(long depth, int width, double bram18, double uram)
    {
        var (r, _) = FpgaCostModel.MapBuffer(depth * width, width, Dev("u280"));
        Assert.Equal(bram18, r.Bram18);
        Assert.Equal(uram, r.Uram);
    }

    [Fact]
    public void WithoutUramEverythingGoesToBram()
    {
        var (r, _) = FpgaCostModel.MapBuffer(4096L * 72, 72, Dev("ultra96"));
        Assert.Equal(0, r.Uram);
        Assert.Equal(16, r.Bram18);
    }

    [Fact]
    public void ArrayDspCountUsesPacking()
    {
        // 32x32 PEs with 4-wide INT8 dot products: 4096 multiplies, two per DSP48E2; plus the U280 platform's 4.
        var rep = FpgaCostModel.Evaluate(Specs.Fpga(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 4), "u280", 32, 32));
        Assert.Equal(2048 + 4, rep.Used.Dsps);
        Assert.True(rep.Fits);
        Assert.Equal(0, rep.Cost.AreaMm2);
        Assert.True(rep.Cost.PeEnergyPerActiveCyclePj > 0);
        Assert.Equal(225, rep.EstimatedClockMhz);
    }

    [Fact]
    public void DesignThatDoesNotFitReportsUtilizationAbove100Percent()
    {
        var rep = FpgaCostModel.Evaluate(Specs.Fpga(Specs.Pe(PeKind.IntMac, "int16", "int16", "int32"), "ultra96", 64, 64,
            new[] { Specs.Dram("lpddr4", 64), Specs.Sram("glb", 4L * 1024 * 1024, 128) }));
        Assert.False(rep.Fits);
        var dsp = rep.Utilization.Single(u => u.Resource == "DSP");
        Assert.Equal(4096, dsp.Used);
        Assert.Equal(360, dsp.Available);
        Assert.True(dsp.Percent > 100);
        Assert.True(rep.Utilization.Single(u => u.Resource == "BRAM36").Percent > 100);
    }

    [Fact]
    public void DramBandwidthDemandIsReported()
    {
        var rep = FpgaCostModel.Evaluate(Specs.Fpga(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), "u280", clockMhz: 200));
        // hbm2 level of 256 bits: 32 B per cycle (read and write share the channel) at 200 MHz = 6.4 GB/s.
        Assert.Equal(6.4, rep.DramGBps, 9);
    }
}
