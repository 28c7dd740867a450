using Mantissa.Arch.Cost;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>Integer multipliers with fewer than eight partial-product rows: energy per bit follows the tree depth.</summary>
public class MultiplierDepthTests
{
    private static readonly ComponentLibrary Lib = ComponentLibrary.Default;

    // EvoApproxLib's exact multipliers (ehw-fit/evoapproxlib meta.json, one 45 nm flow, power in mW): the rule's source.
    // Each is compared with the 8x8 of the same flow (0.391 mW), so the flow's absolute scale cancels.
    [Theory]
    [InlineData(8, 2, 0.033)]
    [InlineData(8, 3, 0.082)]
    [InlineData(8, 4, 0.137)]
    [InlineData(8, 5, 0.198)]
    [InlineData(8, 6, 0.267)]
    [InlineData(8, 7, 0.336)]
    [InlineData(7, 7, 0.277)]
    public void EnergyRelativeToAn8x8FollowsEvoApproxLibsExactMultipliersWithinSevenPercent(int a, int b, double mw)
    {
        double model = Lib.IntMultiplier(a, b).EnergyPj / Lib.IntMultiplier(8, 8).EnergyPj;
        Assert.InRange(model / (mw / 0.391), 0.93, 1.07);
    }

    [Fact]
    public void EightRowsAndMoreKeepHorowitzsRowsAndAreaIsUntouched()
    {
        Assert.Equal(0.2, Lib.IntMultiplier(8, 8).EnergyPj, 12);
        Assert.Equal(3.1, Lib.IntMultiplier(32, 32).EnergyPj, 12);
        Assert.Equal(1.0, MultiplierDepth.EnergyFactor(8, 66));
        Assert.Equal(1.0, MultiplierDepth.EnergyFactor(13, 13));
        // A 2-row multiplier switches a third of an 8x8's energy per bit; a 1-bit operand is priced as two rows.
        Assert.Equal(1.0 / 3, MultiplierDepth.EnergyFactor(2, 11), 12);
        Assert.Equal(1.0 / 3, MultiplierDepth.EnergyFactor(1, 16), 12);
        Assert.Equal(Math.Log2(3) / 3, MultiplierDepth.EnergyFactor(3, 3), 12);
        // Area per bit is flat in the same data from three rows up: the 3x3 BitBrick keeps the area of Horowitz's curve
        // (its 8b-32b segment continued below 8x8), as before the rule.
        Assert.Equal(47.51, Lib.IntMultiplier(3, 3).AreaUm2, 2);
    }

    [Fact]
    public void ASmallMultiplierCitesTheRuleInItsSources()
    {
        Assert.Contains("EvoApproxLib", Lib.SourcesOf(new Structure(new[] { new PrimitiveUse(PrimitiveKind.IntMultiplier, 3, 3) })));
        Assert.DoesNotContain("EvoApproxLib", Lib.SourcesOf(new Structure(new[] { new PrimitiveUse(PrimitiveKind.IntMultiplier, 8, 8) })));
    }
}
