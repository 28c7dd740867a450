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

    [Fact]
    public void OnAnFpgaEachLaneTakesLutsFlipFlopsAndDsps()
    {
        var plain = Specs.Fpga(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), "u280");
        var with = plain with { Array = plain.Array with { VectorLanes = 128 } };
        var a = FpgaCostModel.Evaluate(plain);
        var b = FpgaCostModel.Evaluate(with);
        // Per lane on a DSP48E2 device: the 24x24 significand product on two 27x18 slices plus 10 + 24 + 24 LUTs of exponent
        // and normalization; the fp32 adder (27 bits with guard/round/sticky) as two 3-stage shifters (2 x 81 LUTs), a 27-bit
        // carry chain and a 14-LUT leading-zero count: 261 LUTs; two operands and a result registered: 96 FFs.
        var item = Assert.Single(b.Breakdown, x => x.Component == "vector_unit");
        Assert.Equal((128 * 261.0, 128 * 96.0, 128 * 2.0), (item.Used.Luts, item.Used.Ffs, item.Used.Dsps));
        Assert.DoesNotContain(a.Breakdown, x => x.Component == "vector_unit");
        Assert.Equal(a.Used.Luts + item.Used.Luts, b.Used.Luts, 9);
        Assert.Equal(a.Used.Dsps + item.Used.Dsps, b.Used.Dsps, 9);
        // The MVAU control rule (300 LUTs + 10% of the array's logic) does not grow with the vector unit.
        Assert.Equal(a.Breakdown.Single(x => x.Component == "control_overhead").Used.Luts,
            b.Breakdown.Single(x => x.Component == "control_overhead").Used.Luts);
    }
}
