using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>A vector unit adds one fp32 adder + fp32 multiplier of area per lane; without one the cost is unchanged.</summary>
public class VectorUnitCostTests
{
    [Fact]
    public void EachLaneAddsAnFp32AdderAndMultiplier()
    {
        var plain = Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"));
        var with = plain with { Array = plain.Array with { VectorLanes = 64 } };
        var a = AsicCostModel.Evaluate(plain);
        var b = AsicCostModel.Evaluate(with);
        // Horowitz ISSCC 2014, 45 nm: fp32 add 4,184 µm², fp32 multiply 7,700 µm²; 64 lanes at 45 nm = 0.760576 mm²
        var item = Assert.Single(b.AreaBreakdown, x => x.Component == "vector_unit");
        Assert.Equal(64, item.Count);
        Assert.Equal(64 * (4184 + 7700) * 1e-6, item.AreaMm2, 9);
        Assert.Equal(a.AreaMm2 + item.AreaMm2, b.AreaMm2, 9);
        Assert.DoesNotContain(a.AreaBreakdown, x => x.Component == "vector_unit");
        Assert.Equal(a.PeEnergyPerActiveCyclePj, b.PeEnergyPerActiveCyclePj);
    }
}
