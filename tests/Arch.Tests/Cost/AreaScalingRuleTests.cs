using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>Area rules behind the TPU v1 fix: large SRAMs tile linearly, and a register bit is at least one flip-flop.</summary>
public class AreaScalingRuleTests
{
    private static MemoryLibrary M => MemoryLibrary.Default;

    [Fact]
    public void SramAreaAndLeakageAreLinearAboveTheLargestCactiArray()
    {
        // 16 KB is the largest CACTI point (0.1086 mm² at 45 nm): 1 MiB is 64 such arrays, 24 MiB 1536.
        var at45 = (long bytes) => M.Evaluate(Specs.Sram("s", bytes, 32), 45, 1.0);
        Assert.Equal(0.1086, at45(16 * 1024).AreaMm2, 6);
        Assert.Equal(64 * 0.1086, at45(1 << 20).AreaMm2, 6);
        Assert.Equal(1536 * 0.1086, at45(24L << 20).AreaMm2, 6);
        Assert.Equal(24 * at45(1 << 20).LeakageMw, at45(24L << 20).LeakageMw, 6);
        // Inside the characterized range the CACTI points still hold exactly.
        Assert.Equal(0.0301, at45(4096).AreaMm2, 6);
    }

    [Fact]
    public void RegisterBitIsAtLeastOneNanGateFlipFlop()
    {
        var lib = ComponentLibrary.Default;
        Assert.Equal(4.522, lib.DffAreaUm2, 6); // NanGate 45 nm DFF_X1, at the 45 nm reference
        Assert.Equal(32 * 4.522, lib.Register(32).AreaUm2, 6);
        // Energy still follows Aladdin's register (0.009 pJ per bit at 40 nm, put on the Horowitz basis): not zero, linear.
        Assert.Equal(2 * lib.Register(16).EnergyPj, lib.Register(32).EnergyPj, 9);
        Assert.True(lib.Register(32).EnergyPj > 0);
    }
}
