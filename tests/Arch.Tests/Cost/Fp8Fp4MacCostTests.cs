using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>fp8_fp4_mac shares one multiplier array and one Kulisch accumulator between its two modes.</summary>
public class Fp8Fp4MacCostTests
{
    private static PeDatapath Dp(string kind, string w, string a) =>
        PeDatapath.Build(PeOptions.Bind([("kind", kind), ("weights", w), ("activations", a), ("accumulator", "exact"), ("dot_width", "8")], "test"));

    // Against the fp8 minifloat_mac of the same range (E5M2: its products span the dual unit's whole Kulisch register).
    [Fact]
    public void CostsLessThanAnFp8AndAnFp4MinifloatMacSideBySideButMoreThanEitherAlone()
    {
        const string fp8 = "fp8e5m2";
        double dual = Dp("fp8_fp4_mac", "fp4e2m1", "fp4e2m1").AreaUm2;
        double mf8 = Dp("minifloat_mac", fp8, fp8).AreaUm2;
        double mf4 = Dp("minifloat_mac", "fp4e2m1", "fp4e2m1").AreaUm2;
        Assert.True(dual < mf8 + mf4, $"dual {dual:F1} um² vs side by side {mf8:F1} + {mf4:F1}");
        Assert.True(dual > mf8 && dual > mf4, $"dual {dual:F1} um² vs {fp8} {mf8:F1}, fp4 {mf4:F1}");
    }

    [Fact]
    public void AgainstAnE4M3OnlyUnitTheE5M2RangeCostsMoreThanASecondFp4Unit()
    {
        // The dual unit also runs E5M2, whose products need a wider Kulisch register (alignment, tree, adder) than E4M3's;
        // an E4M3-only minifloat_mac beside an fp4 one is smaller. Sharing pays only when the fp8 unit must cover E5M2.
        double dual = Dp("fp8_fp4_mac", "fp4e2m1", "fp4e2m1").AreaUm2;
        double e4 = Dp("minifloat_mac", "fp8e4m3", "fp8e4m3").AreaUm2, mf4 = Dp("minifloat_mac", "fp4e2m1", "fp4e2m1").AreaUm2;
        Assert.True(dual > e4 + mf4, $"dual {dual:F1} um² vs fp8e4m3 {e4:F1} + fp4 {mf4:F1}");
    }

    [Fact]
    public void TheHardwareIsTheSameInEitherModeAndOnlyTheMacRateAndLaneOneEnergyChange()
    {
        var fp4 = Dp("fp8_fp4_mac", "fp4e2m1", "fp4e2m1");
        var fp8 = Dp("fp8_fp4_mac", "fp8e4m3", "fp8e4m3");
        Assert.Equal(fp8.AreaUm2, fp4.AreaUm2, 6);
        Assert.Equal(16, fp4.MacsPerCycle);
        Assert.Equal(8, fp8.MacsPerCycle);
        Assert.True(fp4.EnergyPj > fp8.EnergyPj);                     // lane 1 switches only in fp4 mode
        Assert.True(fp4.EnergyPj / fp4.MacsPerCycle < fp8.EnergyPj / fp8.MacsPerCycle); // but an fp4 MAC is cheaper
    }
}
