using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

public class ComponentLibraryTests
{
    private static readonly ComponentLibrary Lib = ComponentLibrary.Default;

    // Horowitz ISSCC 2014, 45 nm: the reference node and supply of the library, so every tabulated point must come back exactly
    // (tolerance: floating-point round-off only, 1e-12 relative).
    [Theory]
    [InlineData("int_add", 8, 0, 0.03, 36)]
    [InlineData("int_add", 16, 0, 0.05, 67)]
    [InlineData("int_add", 32, 0, 0.1, 137)]
    [InlineData("int_mult", 8, 8, 0.2, 282)]
    [InlineData("int_mult", 32, 32, 3.1, 3495)]
    [InlineData("fp_mul", 11, 11, 1.1, 1640)]
    [InlineData("fp_mul", 24, 24, 3.7, 7700)]
    [InlineData("fp_add", 11, 0, 0.4, 1360)]
    [InlineData("fp_add", 24, 0, 0.9, 4184)]
    public void HorowitzPrimitivesAreReproducedExactly(string prim, int a, int b, double pj, double um2)
    {
        var c = prim switch
        {
            "int_add" => Lib.Adder(a),
            "int_mult" => Lib.IntMultiplier(a, b),
            "fp_mul" => Lib.FpMultiplier(a, b),
            _ => Lib.FpAdder(a),
        };
        Assert.Equal(pj, c.EnergyPj, pj * 1e-12);
        Assert.Equal(um2, c.AreaUm2, um2 * 1e-12);
    }

    [Fact]
    public void Int8MacAt45nmChargesTheHorowitzMultiplier()
    {
        var cost = AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"), node: 45, vdd: 0.9));
        var mult = cost.EnergyTable.Single(e => e.Component == "pe.multiplier");
        Assert.Equal(0.2, mult.EnergyPj, 1e-12);
        Assert.Contains("Horowitz", mult.Source);
        Assert.Equal(0.1, cost.EnergyTable.Single(e => e.Component == "pe.accumulator").EnergyPj, 1e-12);
    }

    [Fact]
    public void MultiplierCostGrowsWithBitProducts()
    {
        // Horowitz: ~3.1 fJ per partial-product bit at both 8 and 32 bits; a 4x4 multiply has 16 bits in a 4-row tree, at
        // log2(4)/log2(8) of that rate (MultiplierDepth): 16 x 3.1 fJ x 2/3.
        var m4 = Lib.IntMultiplier(4, 4);
        Assert.InRange(m4.EnergyPj, 0.03, 0.04);
        Assert.True(Lib.IntMultiplier(4, 8).EnergyPj > m4.EnergyPj);
        Assert.True(Lib.IntMultiplier(8, 8).EnergyPj > Lib.IntMultiplier(4, 8).EnergyPj);
        Assert.Equal(Lib.IntMultiplier(4, 8).EnergyPj, Lib.IntMultiplier(8, 4).EnergyPj, 1e-15);
    }

    [Fact]
    public void AladdinPrimitivesArePutOnTheHorowitzBasis()
    {
        // The two libraries' 32-bit adders differ by ~2x in energy (Aladdin 0.21 pJ at 40 nm/1 ns vs Horowitz 0.1 pJ).
        Assert.InRange(Lib.AladdinEnergyRatio, 0.4, 0.6);
        // Area: Horowitz 137 um2 vs Aladdin 278 um2 at 40 nm, i.e. ~365 um2 once scaled to 45 nm.
        Assert.InRange(Lib.AladdinAreaRatio, 0.33, 0.42);
        // Register per bit: 0.009 pJ at 40 nm on Aladdin's basis, so about 0.004 pJ on Horowitz's.
        Assert.InRange(Lib.Register(1).EnergyPj, 0.003, 0.005);
    }

    [Fact]
    public void EmbeddedTablesParseWithSourcesOnEveryRow()
    {
        foreach (var file in new[] { "asic_primitives.csv", "asic_constants.csv", "sram_cacti.csv", "dram.csv", "tech_scaling.csv",
                     "fpga_devices.csv", "fpga_dsp_packing.csv", "fpga_constants.csv", "fpga_bram_shapes.csv" })
        {
            var t = CsvTable.LoadEmbedded(file);
            Assert.NotEmpty(t.Rows);
            Assert.All(t.Rows, r => Assert.False(string.IsNullOrWhiteSpace(r.Text("source")), $"{file} line {r.Line} has no source"));
        }
    }

    [Fact]
    public void CsvParserHandlesQuotesAndReportsBadNumbers()
    {
        var t = CsvTable.Parse("x.csv", "# c\nname,value,source\nа,1.5,\"a, \"\"b\"\"\"\nb,oops,s\n");
        Assert.Equal("a, \"b\"", t.Rows[0].Text("source"));
        var ex = Assert.Throws<InvalidDataException>(() => t.Rows[1].Number("value"));
        Assert.Contains("x.csv, line 4, column value", ex.Message);
    }
}
