using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Arch.Tests.Config;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>
/// The Vitis HBM memory subsystem: one 512-bit port per 64 B of configured HBM traffic per cycle, capped at the device's
/// pseudo-channels, each ≈ 5,000 LUTs and 6,500 FFs (rapidstream-cookbook, U280 platform); none without HBM or a DRAM level.
/// </summary>
public class FpgaHbmSubsystemTests
{
    private static readonly FpgaDevice U280 = FpgaDeviceTable.Get("u280");

    [Theory]
    [InlineData(460, 225, 32)] // 2,044 B/cycle: 31.9 ports -> 32 (flightllm-u280.yaml)
    [InlineData(460, 250, 29)] // 1,840 B/cycle: 28.75 -> 29
    [InlineData(460, 200, 32)] // 2,300 B/cycle: 35.9, capped at the U280's 32 pseudo-channels
    [InlineData(64 * 0.2, 200, 1)] // exactly one port's 64 B per cycle
    public void PortsFollowTheConfiguredBandwidth(double gbps, double mhz, int ports)
    {
        double bytesPerCycle = gbps * 1e9 / (mhz * 1e6);
        Assert.Equal(ports, FpgaHbmSubsystem.Ports(U280, bytesPerCycle, 512));
        var row = FpgaHbmSubsystem.For(U280, bytesPerCycle)!;
        Assert.Equal(new FpgaResources(ports * 5000.0, ports * 6500.0, 0, 0, 0), row.Used);
        Assert.Contains("rapidstream-org/rapidstream-cookbook", row.Source);
    }

    [Fact]
    public void NoRowWithoutHbmOrWithoutTraffic()
    {
        Assert.Equal(32, U280.HbmChannels);
        Assert.Equal(0, FpgaDeviceTable.Get("u250").HbmChannels);
        Assert.Null(FpgaHbmSubsystem.For(FpgaDeviceTable.Get("u250"), 1000));
        Assert.Null(FpgaHbmSubsystem.For(U280, 0));
        var noDram = Specs.Fpga(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), "u280", memory: new[] { Specs.Sram("glb", 256 * 1024, 128) });
        Assert.DoesNotContain(FpgaCostModel.Evaluate(noDram).Breakdown, b => b.Component == FpgaHbmSubsystem.Component);
    }

    [Fact]
    public void FlightLlmCarriesThirtyTwoPortsAndThePlatformInItsTotals()
    {
        var arch = ArchitectureLoader.Load(Path.Combine(RepoPaths.ArchConfigs, "flightllm-u280.yaml"));
        var r = FpgaCostModel.Evaluate(arch);
        var row = Assert.Single(r.Breakdown, b => b.Component == FpgaHbmSubsystem.Component);
        Assert.Equal((160_000.0, 208_000.0), (row.Used.Luts, row.Used.Ffs));
        // With the Vitis platform's own row (107,629 LUT, 136,086 FF, 195.5 BRAM36, 4 DSP): the subsystem adds no BRAM.
        var platform = Assert.Single(r.Breakdown, b => b.Component == FpgaPlatform.Component);
        Assert.Equal(new FpgaResources(107_629, 136_086, 4, 391, 0), platform.Used);
        Assert.Equal(402_614 + 107_629, r.Utilization.Single(u => u.Resource == "LUT").Used);
        Assert.Equal(384_640 + 136_086, r.Utilization.Single(u => u.Resource == "FF").Used);
        Assert.Equal(768 + 195.5, r.Utilization.Single(u => u.Resource == "BRAM36").Used);
    }
}
