using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

public class PeKindCostTests
{
    public static TheoryData<PeKind, string, string, string, int> Kinds => new()
    {
        { PeKind.IntMac, "int8", "int8", "int32", 1 },
        { PeKind.IntMac, "int4", "int8", "int32", 8 },
        { PeKind.BitSerial, "int4", "fp16", "fp32", 4 },
        { PeKind.BitSerial, "int8", "int8", "int32", 16 },
        { PeKind.Lut, "int2", "int8", "int32", 16 },
        { PeKind.Lut, "int4", "fp16", "fp32", 8 },
        { PeKind.ShiftAdd, "int4", "int8", "int32", 4 },
        { PeKind.ShiftAdd, "int4", "fp16", "fp32", 4 },
        { PeKind.PositMac, "posit8es0", "posit8es0", "int32", 4 },
        { PeKind.PositMac, "posit16es1", "posit16es1", "posit16es1", 1 },
        { PeKind.MinifloatMac, "fp8e4m3", "fp8e4m3", "fp32", 4 },
        { PeKind.MinifloatMac, "fp4e2m1", "fp6e2m3", "int32", 8 },
        { PeKind.MxDot, "mxfp4", "mxfp4", "fp32", 32 },
        { PeKind.MxDot, "nvfp4", "mxfp8e4m3", "fp32", 16 },
        { PeKind.MxDot, "mxint8", "mxint8", "fp32", 32 },
        { PeKind.SimdMac, "posit16es1", "posit16es1", "fp32", 1 },
        { PeKind.SimdMac, "int8", "int8", "int32", 1 },
        { PeKind.FpMac, "fp16", "fp16", "fp32", 1 },
        { PeKind.FpMac, "bf16", "bf16", "fp32", 4 },
        { PeKind.AntMac, "flint4", "int4", "int32", 1 },
        { PeKind.AntMac, "uflint8", "flint8", "int32", 4 },
        { PeKind.BitFusion, "int8", "int8", "int32", 1 },
        { PeKind.BitFusion, "int4", "uint2", "int32", 2 },
        { PeKind.OliveMac, "olive4", "int4", "int32", 4 },
        { PeKind.OliveMac, "olive4", "fp16", "fp32", 1 },
    };

    [Fact]
    public void BitFusionUnitCostsWhatItsSynthesisSaysAgainstAFixedEightBitPe()
    {
        // Bit Fusion's own synthesis (hsharma35/bitfusion results/systolic_array_synth.csv, 45 nm, 500 MHz): the 8/2
        // Fusion Unit is 1733.1 µm² and 0.689 pJ/cycle against 687.6 µm² and 0.344 pJ for a fixed 8-bit PE: 2.52× and
        // 2.00×. Both designs here are composed from the shared primitives (no Bit Fusion number is an input). The model
        // lands above (3.7× and 3.2×, docs/pe.md "bit_fusion cost"): 16 signed 3×3 bricks are 144 partial-product bits
        // against 64 for an 8×8 multiplier, priced at Horowitz's rate per bit (the authors' breakdown, results/
        // fusion_breakdown.xlsx, has the bricks at 8.5% of the unit's power). The band holds the model between the
        // published ratio and 1.7× (area) / 2× (energy) of it.
        var fusion = PeDatapath.Build(Specs.Pe(PeKind.BitFusion, "int8", "int8", "int32", 1));
        var fixed8 = PeDatapath.Build(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 1));
        double area = fusion.AreaUm2 / fixed8.AreaUm2, energy = fusion.EnergyPj / fixed8.EnergyPj;
        Assert.InRange(area, 2.52, 2.52 * 1.7);
        Assert.InRange(energy, 2.00, 2.00 * 2);
        var names = fusion.Components.Select(c => c.Name).ToList();
        Assert.Contains("bitbrick", names);
        Assert.Contains("cluster_adder", names);
        // At 2 × 2 bits the unit forms 16 products a cycle, so a 2-bit MAC costs a sixteenth of the cycle's energy.
        Assert.Equal(16, PeCycleModel.For(Specs.Pe(PeKind.BitFusion, "int8", "int8", "int32", 1), 2, 2).MacsPerPass);
    }

    [Fact]
    public void OlivePeAddsAPairDecoderPerTwoLanes()
    {
        // OliVe (ISCA'23): one outlier-victim decoder per pair of 4-bit weights in front of the MAC lanes; a 4-lane PE has two.
        var olive = PeDatapath.Build(Specs.Pe(PeKind.OliveMac, "olive4", "int4", "int32", 4));
        var dec = olive.Components.Single(c => c.Name == "pair_decoder");
        Assert.Equal(2, dec.Count);
        // The 4-bit OliVe lane multiplies a 3-bit significand (normal ints ±7, outliers 1.f with one fraction bit).
        var int8 = PeDatapath.Build(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 4));
        Assert.True(olive.AreaUm2 < int8.AreaUm2, $"olive {olive.AreaUm2} vs int8 {int8.AreaUm2}");
    }

    [Fact]
    public void FullLutTablesStoreTwiceTheEntriesAndNeedNoNegation()
    {
        // g = 4: a symmetric table stores 8 entries and negates on the index MSB; a conventional full table stores 16.
        var sym = Specs.Pe(PeKind.Lut, "int2", "int8", "int32", 8) with { Parameters = new PeParameters { LutGroup = 4, LutPrecompute = LutPrecompute.PerPe } };
        var full = sym with { Parameters = sym.Parameters with { LutSymmetric = false } };
        var s = PeDatapath.Build(sym);
        var f = PeDatapath.Build(full);
        double Storage(PeDatapath d) => d.Components.Single(c => c.Name == "table_storage").AreaUm2;
        Assert.Equal(2 * Storage(s), Storage(f), 6);
        Assert.Contains(s.Components, c => c.Name == "sign_negate");
        Assert.DoesNotContain(f.Components, c => c.Name == "sign_negate");
        Assert.Equal(8, PeCycleModel.For(sym).PrecomputeCyclesPerPass);
        Assert.Equal(16, PeCycleModel.For(full).PrecomputeCyclesPerPass);
    }

    [Fact]
    public void AntPeDecodesFlintAndPricesBelowAnInt8Mac()
    {
        // ANT's point (MICRO'22): a 4-bit flint operand plus a small decoder is cheaper than an 8-bit integer MAC.
        var ant = CostModel.Report(Specs.Asic(Specs.Pe(PeKind.AntMac, "flint4", "int4", "int32", 1), node: 28, vdd: 0.9));
        var int8 = CostModel.Report(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 1), node: 28, vdd: 0.9));
        Assert.True(ant.PeAreaUm2 < int8.PeAreaUm2, $"ant {ant.PeAreaUm2} vs int8 {int8.PeAreaUm2}");
        var names = PeDatapath.Build(Specs.Pe(PeKind.AntMac, "flint4", "int4", "int32", 1)).Components.Select(c => c.Name).ToList();
        Assert.Contains("weight_decoder", names);
        Assert.DoesNotContain("activation_decoder", names);   // int activations need no decoder
        Assert.Contains("activation_decoder", PeDatapath.Build(Specs.Pe(PeKind.AntMac, "flint4", "flint4", "int32", 1)).Components.Select(c => c.Name));
    }

    [Theory]
    [MemberData(nameof(Kinds))]
    public void EveryKindCostsWithPositiveEnergyAndArea(PeKind kind, string w, string a, string acc, int dot)
    {
        var arch = Specs.Asic(Specs.Pe(kind, w, a, acc, dot), node: 7, vdd: 0.7);
        var r = CostModel.Report(arch);
        Assert.True(r.Cost.PeEnergyPerActiveCyclePj > 0);
        Assert.InRange(r.Cost.PeEnergyPerIdleCyclePj, 1e-6, r.Cost.PeEnergyPerActiveCyclePj * 0.1);
        Assert.True(r.PeAreaUm2 > 0);
        Assert.Equal(arch.Memory.Count, r.Cost.Levels.Count);
        Assert.Equal(r.Cost.AreaBreakdown.Sum(x => x.AreaMm2), r.Cost.AreaMm2, 12);
        Assert.All(r.Cost.EnergyTable, e => Assert.False(string.IsNullOrEmpty(e.Source)));
        // Leakage per cycle: mW / MHz = nJ.
        Assert.Equal(r.Cost.PeLeakageMw / arch.ClockMhz * 1e3, r.Cost.EnergyTable.Single(e => e.Component == "pe" && e.Action == "leak_cycle").EnergyPj, 12);
        Assert.True(r.Peak[0].Tops > 0 && r.TopsPerWatt > 0 && r.TopsPerMm2 > 0);
        // The same design on an FPGA also maps.
        var fpga = FpgaCostModel.Evaluate(Specs.Fpga(Specs.Pe(kind, w, a, acc, dot), "u280"));
        Assert.True(fpga.Used.Luts > 0);
    }

    [Fact]
    public void NarrowerFormatsCostLess()
    {
        double E(string f) => AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.IntMac, f, f, "int32"))).PeEnergyPerActiveCyclePj;
        Assert.True(E("int4") < E("int8"));
        Assert.True(E("int8") < E("int16"));
        double F(string f) => AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.MinifloatMac, f, f, "fp32"))).PeEnergyPerActiveCyclePj;
        Assert.True(F("fp4e2m1") < F("fp8e4m3"));
        // "FP8 versus INT8" (van Baalen et al. 2023): an FP8 MAC is 50-180% less efficient than an INT8 one.
        double int8 = AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32"))).PeEnergyPerActiveCyclePj;
        // One MAC each, the FP8 one accumulating in float (fp16). With the operand wires (equal for both) the ratio is 1.47;
        // the datapaths alone are 1.55x (PeCalibrationTests.Fp8MacCostsBetween1Point5And2Point8TimesAnInt8Mac).
        double fp8 = AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.MinifloatMac, "fp8e4m3", "fp8e4m3", "fp16"))).PeEnergyPerActiveCyclePj;
        Assert.Equal(1.47, fp8 / int8, 2);
    }

    [Fact]
    public void ExactAccumulatorsAreSizedByFormatAndDotWidth()
    {
        // E4M3 products span 2^-18..2^18: 37 bits with sign, plus log2 K.
        var dp4 = PeDatapath.Build(Specs.Pe(PeKind.MinifloatMac, "fp8e4m3", "fp8e4m3", "int32", 4));
        var reg = dp4.Components.Single(c => c.Name == "kulisch_register");
        Assert.Equal(37 + 2, reg.Structure.Items[0].A);
        var dp16 = PeDatapath.Build(Specs.Pe(PeKind.MinifloatMac, "fp8e4m3", "fp8e4m3", "int32", 16));
        Assert.Equal(37 + 4, dp16.Components.Single(c => c.Name == "kulisch_register").Structure.Items[0].A);
        // Posit quire: 4(n-2)2^es + 2 + log2 K (+1 sign here): posit8es0 -> 26 (+1), posit16es1 -> 114 (+1).
        int Quire(string f, int k) => PeDatapath.Build(Specs.Pe(PeKind.PositMac, f, f, "int32", k))
            .Components.Single(c => c.Name == "quire_register").Structure.Items[0].A;
        Assert.Equal(27, Quire("posit8es0", 1));
        Assert.Equal(115 + 3, Quire("posit16es1", 8));
    }

    [Fact]
    public void PeakThroughputPerSupportedFormat()
    {
        // 16x16 INT8 PEs at 500 MHz: 256 MACs/cycle = 0.256 TOPS.
        var r = AsicCostModel.Report(Specs.Asic(Specs.Pe(PeKind.IntMac, "int8", "int8", "int32")));
        Assert.Single(r.Peak);
        Assert.Equal(0.256, r.Peak[0].Tops, 12);

        // BitMoD-style: 4 lanes, 2 weight bits per cycle: W4 -> 2 MACs/cycle, W3 -> 2, W2 -> 4.
        var bs = AsicCostModel.Report(Specs.Asic(Specs.Pe(PeKind.BitSerial, "int4", "fp16", "fp32", 4, new PeParameters { BitsPerCycle = 2 })));
        Assert.Equal(2, bs.Peak.Single(p => p.Weight == "int4").MacsPerCyclePerPe);
        Assert.Equal(2, bs.Peak.Single(p => p.Weight == "int3").MacsPerCyclePerPe);
        Assert.Equal(4, bs.Peak.Single(p => p.Weight == "int2").MacsPerCyclePerPe);

        // SIMD 16-bit lane: 1 x posit16, 2 x posit8, 4 x posit4 per cycle.
        var simd = AsicCostModel.Report(Specs.Asic(Specs.Pe(PeKind.SimdMac, "posit16es1", "posit16es1", "fp32")));
        Assert.Equal(1, simd.Peak.Single(p => p.Weight == "posit16es1").MacsPerCyclePerPe);
        Assert.Equal(2, simd.Peak.Single(p => p.Weight == "posit8es0").MacsPerCyclePerPe);
        Assert.Equal(4, simd.Peak.Single(p => p.Weight == "posit4es1").MacsPerCyclePerPe);
    }

    [Fact]
    public void MismatchedFormatsAreClearErrors()
    {
        var ex = Assert.Throws<MantissaException>(() => AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.IntMac, "fp8e4m3", "int8", "int32"))));
        Assert.Contains("int_mac", ex.Message);
        Assert.Contains("fp8e4m3", ex.Message);
        Assert.Throws<MantissaException>(() => AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.SimdMac, "fp32", "fp32", "fp32"))));
        Assert.Throws<MantissaException>(() => AsicCostModel.Evaluate(Specs.Asic(Specs.Pe(PeKind.PositMac, "int8", "int8", "int32"))));
    }

    [Fact]
    public void StationaryOperandsCostAreaButNoPerCycleEnergy()
    {
        var pe = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 4);
        var ws = PeDatapath.Build(pe, Dataflow.WS);
        var os = PeDatapath.Build(pe, Dataflow.OS);
        Assert.Equal(0, ws.Components.Single(c => c.Name == "weight_registers").EnergyPj);
        Assert.True(os.Components.Single(c => c.Name == "weight_registers").EnergyPj > 0);
        Assert.Equal(ws.AreaUm2, os.AreaUm2, 12);
    }

    [Fact]
    public void DatapathsAreMemoizedByValue()
    {
        var a = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 4);
        var b = Specs.Pe(PeKind.IntMac, "int8", "int8", "int32", 4); // equal value, different instance
        Assert.Same(PeDatapath.Build(a, Dataflow.WS, 16), PeDatapath.Build(b, Dataflow.WS, 16));
        Assert.NotSame(PeDatapath.Build(a, Dataflow.WS, 16), PeDatapath.Build(a, Dataflow.OS, 16));
        var lut = Specs.Pe(PeKind.Lut, "int2", "int8", "int32", 16);
        // The LUT table builder is shared by the PEs of a column: more rows, less area per PE.
        Assert.True(PeDatapath.Build(lut, Dataflow.WS, 64).AreaUm2 < PeDatapath.Build(lut, Dataflow.WS, 1).AreaUm2);
    }
}
