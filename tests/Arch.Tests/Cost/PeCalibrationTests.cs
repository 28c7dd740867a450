using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Tests.Cost;

/// <summary>The calibration report (mantissa calibrate) and the orderings published papers report between PE kinds.</summary>
public class PeCalibrationTests
{
    private static PeSpec Pe(params (string Key, string Value)[] keys) => PeOptions.Bind(keys, "test");

    private static PeDatapath Dp(PeSpec pe) => PeDatapath.Build(pe);

    [Fact]
    public void TheDataSetHasPointsFromAtLeastTwelvePapersEachWithASource()
    {
        var points = PeCalibration.Points;
        Assert.True(points.Count >= 20, $"{points.Count} points");
        Assert.All(points, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
        Assert.All(points, p => Assert.True((p.AreaUm2 ?? p.EnergyPj ?? p.AreaRatio ?? p.EnergyRatio) is not null, p.Name));
        // The NVDLA Primer appears under two names (area table, power table): count papers, not source strings.
        var papers = points.Select(p => p.Source.Split(new[] { ',', '(' }, 2)[0].Trim()).Select(x => x.StartsWith("NVDLA") ? "NVDLA" : x).Distinct().ToList();
        Assert.True(papers.Count >= 13, string.Join("; ", papers));
        Assert.Equal(4, points.Count(p => p.Baseline is not null));
    }

    [Fact]
    public void AModelThatMatchesEveryPointExactlyHasZeroErrorAndZeroLeaveOneOutError()
    {
        // Publish exactly 1.7 x the library's area for every absolute point and exactly the library's ratio for every ratio
        // point: the fit must recover the factor on logic and storage alike, and every error, with or without the point,
        // must vanish.
        var truth = PeCalibration.Points.Where(p => p.AreaUm2 is not null || p.AreaRatio is not null)
            .Select(p => p with
            {
                AreaUm2 = p.AreaUm2 is null ? null : 1.7 * PeCalibration.LibraryValue(p, CalibrationMetric.Area),
                AreaRatio = p.AreaRatio is null ? null : PeCalibration.LibraryRatio(p, CalibrationMetric.Area),
                EnergyPj = null, EnergyRatio = null,
            }).ToList();
        var r = PeCalibration.Run(truth);
        Assert.Equal(1.7, r.Factors.AreaLogic, 6);
        Assert.Equal(1.7, r.Factors.AreaStorage, 6);
        Assert.Contains(r.Rows, row => row.IsRatio);
        Assert.All(r.Rows, row => Assert.True(Math.Abs(row.Error) < 1e-6 && Math.Abs(row.LeaveOneOutError) < 1e-6, row.Point));
    }

    [Fact]
    public void ARatioPointIsThePeOverItsBaselinePerMacAndIgnoresAUniformFactor()
    {
        // van Baalen et al.'s FP8-vs-INT8 point: the library ratio is the two datapaths' area ratio (one MAC each).
        var p = PeCalibration.Points.Single(x => x.Name == "fp8_vs_int8_mac");
        var fp8 = Dp(Pe(("kind", "minifloat_mac"), ("weights", "fp8e4m3"), ("activations", "fp8e4m3"), ("accumulator", "fp16")));
        var int8 = Dp(Pe(("kind", "int_mac"), ("weights", "int8"), ("activations", "int8")));
        Assert.Equal(fp8.AreaUm2 / int8.AreaUm2, PeCalibration.LibraryRatio(p, CalibrationMetric.Area), 9);
        // A LUT PE reduces g = 4 products a cycle: its ratio is per MAC, not per PE.
        var lut = PeCalibration.Points.Single(x => x.Name == "lut_tc_vs_mac_tc");
        var lutDp = PeDatapath.Build(lut.Pe, Dataflow.WS, lut.Rows);
        Assert.Equal(4, lutDp.MacsPerCycle);
        // Scaling every absolute point leaves a ratio row's model and error unchanged.
        var a = PeCalibration.Run(PeCalibration.Points);
        var b = PeCalibration.Run(PeCalibration.Points.Select(x => x with { AreaUm2 = x.AreaUm2 * 3 }).ToList());
        var ra = a.Rows.Single(x => x.Point == "fp8_vs_int8_mac" && x.Metric == CalibrationMetric.Area);
        var rb = b.Rows.Single(x => x.Point == "fp8_vs_int8_mac" && x.Metric == CalibrationMetric.Area);
        Assert.Equal(ra.Model, rb.Model, 4);
        Assert.Equal(3 * a.Factors.AreaLogic, b.Factors.AreaLogic, 4);
    }

    [Fact]
    public void PointsOutsideTheFitDoNotMoveIt()
    {
        // Scaling the published value of a fit = no point must leave the factors and every fitted row unchanged.
        var points = PeCalibration.Points;
        var moved = points.Select(p => p.InFit ? p : p with { AreaUm2 = p.AreaUm2 * 10, EnergyPj = p.EnergyPj * 10, AreaRatio = p.AreaRatio * 10 }).ToList();
        var a = PeCalibration.Run(points);
        var b = PeCalibration.Run(moved);
        Assert.Equal(a.Factors, b.Factors);
        Assert.Equal(a.MedianLeaveOneOutError, b.MedianLeaveOneOutError, 12);
    }

    [Fact]
    public void LeaveOneOutErrorsAreAsMeasuredAndEveryFittedMissBeyond35PercentSaysWhy()
    {
        // Issue 11: median leave-one-out error <= 15%, every point <= 35% unless the table says why. Measured with four
        // global factors (logic / storage, area / energy) on 21 fitted rows: median 10.1%, largest 27.8% (BitMoD PE area).
        // Before multipliers with fewer than eight partial-product rows were priced by their tree depth (MultiplierDepth)
        // and before the FP8-vs-INT8 range was scored as a range: median 11.9%, largest 44.3% (Bit Fusion's Fusion Unit
        // energy) and 37.9% (FP8 vs INT8 energy, read at the range's midpoint). Eyeriss's intmac (Aladdin's library, not a
        // synthesis) and the MX study (a gate-count model) are reported outside the fit.
        var r = PeCalibration.Default;
        Assert.Equal(21, r.FittedRows.Count());
        Assert.Equal(0.101, r.MedianLeaveOneOutError, 3);
        Assert.True(r.MedianLeaveOneOutError <= 0.15);
        Assert.Equal(0.278, r.MaxLeaveOneOutError, 3);
        Assert.Equal(0.746, r.Factors.AreaLogic, 3);
        Assert.Equal(1.755, r.Factors.AreaStorage, 3);
        Assert.Equal(0.642, r.Factors.EnergyLogic, 3);
        Assert.Equal(1.167, r.Factors.EnergyStorage, 3);
        var beyond = r.FittedRows.Where(x => Math.Abs(x.LeaveOneOutError) > 0.35).Select(x => x.Point).Distinct().ToArray();
        Assert.Empty(beyond);
        // The fit lowers the error: the library's median is 22.8%, the fitted one 8.7%.
        Assert.Equal(0.228, r.MedianLibraryError, 3);
        Assert.Equal(0.087, r.MedianError, 3);
    }

    [Fact]
    public void SixtyFourBitAccumulatorsArePricedAtTheirWidth()
    {
        // Bit Fusion's 16x16 fixed PE (4n = 64-bit accumulator assumed) and RecPipe's MMU PE (64-bit RTL accumulator)
        // are priced with int64, and the PE's library area grows with the register and adder by what int32 -> int64 adds.
        var points = PeCalibration.Points.Where(p => p.Name is "bitfusion_fixed_16b" or "recpipe_mmu_pe").ToList();
        Assert.Equal(2, points.Count);
        Assert.All(points, p => Assert.Equal(new Mantissa.Arch.Numerics.IntFormat(64, true), p.Pe.Accumulator));
        var p16 = points.Single(p => p.Name == "bitfusion_fixed_16b");
        double wide = PeCalibration.LibraryValue(p16, CalibrationMetric.Area);
        double narrow = PeCalibration.LibraryValue(p16 with { Pe = p16.Pe with { Accumulator = new Mantissa.Arch.Numerics.IntFormat(32, true) } }, CalibrationMetric.Area);
        Assert.InRange(wide - narrow, 250, 350);   // 32 more register and adder bits at 45 nm: 1707 − 1419 µm²
        var r = PeCalibration.Default.FittedRows.Where(x => x.Point == "bitfusion_fixed_16b").ToList();
        Assert.Equal(2, r.Count);
        Assert.Equal(-0.242, r.Single(x => x.Metric == CalibrationMetric.Area).LeaveOneOutError, 3);
        Assert.Equal(-0.160, r.Single(x => x.Metric == CalibrationMetric.Energy).LeaveOneOutError, 3);
    }

    [Fact]
    public void TheAppliedFactorsFileEqualsAFreshFit()
    {
        // mantissa cost applies the factors in Data/pe_calibration_factors.csv, written by `mantissa calibrate
        // --write-factors`: if the points or the library change, the file must be rewritten.
        var fresh = PeCalibration.Default.Factors;
        var applied = CalibrationFactors.Applied;
        Assert.Equal(fresh.AreaLogic, applied.AreaLogic, 6);
        Assert.Equal(fresh.AreaStorage, applied.AreaStorage, 6);
        Assert.Equal(fresh.EnergyLogic, applied.EnergyLogic, 6);
        Assert.Equal(fresh.EnergyStorage, applied.EnergyStorage, 6);
        Assert.Equal(CalibrationFactors.ToCsv(PeCalibration.Default).Replace("\r\n", "\n"),
            new StreamReader(typeof(CalibrationFactors).Assembly.GetManifestResourceStream("Mantissa.Arch.Data." + CalibrationFactors.FileName)!).ReadToEnd().Replace("\r\n", "\n"));
    }

    [Fact]
    public void CalibratedCostAppliesTheFactorsToEveryPeComponentByPart()
    {
        // The BitMoD FP16 PE at 28 nm: calibrated, cost's PE area is the calibration table's fitted value (to the file's six
        // decimals); uncalibrated (the simulator's basis), the library's.
        const string Yaml = "name: t\ntarget: asic\ntechnology:\n  node_nm: 28\n  vdd: 0.9\nclock_mhz: 500\n" +
            "pe:\n  kind: fp_mac\n  weights: fp16\n  activations: fp16\n  accumulator: fp32\narray:\n  rows: 32\n  cols: 24\n  dataflow: ws\n" +
            "memory:\n  - name: dram\n    kind: dram\n    type: ddr4\n    width_bits: 128\n    read_bw: 32\n    write_bw: 32\n    holds: [weights, inputs, outputs]\n";
        var arch = ArchitectureLoader.LoadText(Yaml, "t.yaml");
        var row = PeCalibration.Default.Rows.Single(r => r.Point == "bitmod_fp16_pe" && r.Metric == CalibrationMetric.Area);
        var calibrated = AsicCostModel.Report(arch, CalibrationFactors.Applied);
        Assert.InRange(calibrated.PeAreaUm2 / row.Model, 1 - 1e-5, 1 + 1e-5);
        Assert.Equal(row.Library, AsicCostModel.Report(arch).PeAreaUm2, 6);
        Assert.Equal(row.Library, CostModel.Report(arch).PeAreaUm2, 6);
        Assert.All(calibrated.Cost.AreaBreakdown.Where(a => a.Component.StartsWith("pe.")), a => Assert.Contains("PE calibration", a.Source));
        // Registers and logic are scaled apart: the accumulator register by the storage factor, the multiplier by the logic one.
        double Area(CostReport r, string c) => r.Cost.AreaBreakdown.Single(a => a.Component == c).AreaMm2;
        var lib = AsicCostModel.Report(arch);
        Assert.Equal(CalibrationFactors.Applied.AreaStorage, Area(calibrated, "pe.accumulator_register") / Area(lib, "pe.accumulator_register"), 9);
        Assert.Equal(CalibrationFactors.Applied.AreaLogic, Area(calibrated, "pe.multiplier") / Area(lib, "pe.multiplier"), 9);
        // An override still pins the figure it names.
        var pinned = AsicCostModel.Report(arch with { Overrides = new[] { new CostOverride("pe.area_um2", 1000, "test") } }, CalibrationFactors.Applied);
        Assert.Equal(1000, pinned.PeAreaUm2, 9);
    }

    [Fact]
    public void EveryPointLeftOutOfTheFitSaysWhy()
    {
        var r = PeCalibration.Default;
        var outside = r.Rows.Where(x => !x.InFit).Select(x => x.Point).Distinct().OrderBy(x => x).ToArray();
        Assert.Equal(new[] { "dhfp_fp8_mac", "eyeriss_intmac", "lut_tc_vs_mac_tc", "mxint8_vs_mxfp8", "nvdla_cmac_area", "nvdla_cmac_energy", "recpipe_mmu_pe", "tpu_v1_mac", "xrnpe_simd_engine" }, outside);
        Assert.All(r.Rows.Where(x => !x.InFit), x => Assert.False(string.IsNullOrWhiteSpace(x.KnownGap), x.Point));
    }

    private const string Header = "point,pe,baseline,node_nm,vdd,rows,area_um2,energy_pj,area_ratio,energy_ratio,source,assumptions,fit,known_gap\n";

    [Fact]
    public void ARowLeftOutOfTheFitWithoutAReasonIsAnError()
    {
        var csv = CsvTable.Parse("t.csv", Header + "x,kind=int_mac;weights=int8;activations=int8,,45,0.9,1,100,,,,src,,no,\n");
        var e = Assert.Throws<InvalidDataException>(() => PeCalibration.Load(csv));
        Assert.Contains("t.csv, line 2, column known_gap", e.Message);
    }

    [Fact]
    public void ARatioWithoutABaselineOrMixedWithAbsoluteValuesIsAnError()
    {
        var noBase = CsvTable.Parse("t.csv", Header + "x,kind=int_mac;weights=int8;activations=int8,,45,0.9,1,,,0.5,,src,,yes,\n");
        Assert.Contains("t.csv, line 2, column baseline", Assert.Throws<InvalidDataException>(() => PeCalibration.Load(noBase)).Message);
        var mixed = CsvTable.Parse("t.csv", Header + "x,kind=int_mac;weights=int8;activations=int8,kind=int_mac;weights=int4;activations=int4,45,0.9,1,100,,0.5,,src,,yes,\n");
        Assert.Contains("a ratio point", Assert.Throws<InvalidDataException>(() => PeCalibration.Load(mixed)).Message);
        var badBase = CsvTable.Parse("t.csv", Header + "x,kind=int_mac;weights=int8;activations=int8,kind=int_mac;weights=fp8,45,0.9,1,,,0.5,,src,,yes,\n");
        Assert.Contains("column baseline", Assert.Throws<InvalidDataException>(() => PeCalibration.Load(badBase)).Message);
    }

    [Fact]
    public void LeaveOneOutRefitsWithoutThePoint()
    {
        var r = PeCalibration.Default;
        Assert.Equal(PeCalibration.Points.Sum(p => new[] { p.AreaUm2, p.EnergyPj, p.AreaRatio, p.EnergyRatio }.Count(v => v is not null)), r.Rows.Count);
        // A point with a gap differs from the rest, so leaving it out moves the fit and its error.
        var fp16 = r.Rows.Single(x => x.Point == "bitmod_fp16_pe" && x.Metric == CalibrationMetric.Area);
        Assert.NotEqual(fp16.Error, fp16.LeaveOneOutError);
        Assert.True(Math.Abs(fp16.LeaveOneOutError) >= Math.Abs(fp16.Error));
        // A point outside the fit is predicted by the fit that never saw it.
        var nvdla = r.Rows.Single(x => x.Point == "nvdla_cmac_area");
        Assert.Equal(nvdla.Error, nvdla.LeaveOneOutError);
    }

    [Fact]
    public void BitFusionFixedPointsAreWithinFifteenPercentOfTheLibrary()
    {
        // 45 nm, the library's own node: the integer PEs of Bit Fusion's synthesis (2-, 4-, 8-bit) match in area and energy.
        var r = PeCalibration.Default;
        foreach (var row in r.Rows.Where(x => x.Point is "bitfusion_fixed_4b" or "bitfusion_fixed_8b"))
            Assert.InRange(row.Library / row.Published, 0.85, 1.25);
    }

    [Fact]
    public void Fp8MacCostsBetween1Point5And2Point8TimesAnInt8Mac()
    {
        // van Baalen et al. 2023 (arXiv 2303.17951): FP8 MACs are 50-180% less efficient than INT8 MACs in dedicated
        // hardware. One MAC each: FP8 E4M3 with float (fp16) accumulation against INT8 with int32.
        var fp8 = Dp(Pe(("kind", "minifloat_mac"), ("weights", "fp8e4m3"), ("activations", "fp8e4m3"), ("accumulator", "fp16")));
        var int8 = Dp(Pe(("kind", "int_mac"), ("weights", "int8"), ("activations", "int8")));
        Assert.InRange(fp8.AreaUm2 / int8.AreaUm2, 1.5, 2.8);
        Assert.InRange(fp8.EnergyPj / int8.EnergyPj, 1.5, 2.8);
        Assert.Equal(2.71, fp8.AreaUm2 / int8.AreaUm2, 2);
        Assert.Equal(1.55, fp8.EnergyPj / int8.EnergyPj, 2);
    }

    [Fact]
    public void AnExactFp8DotProductUnitCostsAboutAsMuchAsAnInt8One()
    {
        // Exact accumulation (the minifloat_mac default): products are not rounded, so the FP8 significand multiplier is 4x4
        // and the cost moves to the alignment shifters and the wider tree. Measured at K = 16: 1.07x the INT8 unit in area
        // and 1.04x in energy (a 4-row multiplier's energy per bit is 2/3 of an 8x8's, MultiplierDepth). The MX study (arXiv 2510.25602 Table 5, a gate-level model read through a summary) has MXFP8 at
        // 1.27x MXINT8 in area and 1.59x in energy: the model is below it (docs/cost.md).
        var fp8 = Dp(Pe(("kind", "minifloat_mac"), ("weights", "fp8e4m3"), ("activations", "fp8e4m3"), ("dot_width", "16")));
        var int8 = Dp(Pe(("kind", "int_mac"), ("weights", "int8"), ("activations", "int8"), ("dot_width", "16")));
        Assert.Contains(fp8.Components, c => c.Name == "kulisch_register");
        Assert.Equal(1.07, fp8.AreaUm2 / int8.AreaUm2, 2);
        Assert.Equal(1.04, fp8.EnergyPj / int8.EnergyPj, 2);
    }

    [Fact]
    public void BitModPeIsSmallerAndTakesLessEnergyPerCycleThanTheFp16Pe()
    {
        // BitMoD (HPCA'25): 1507.7 vs 1968.7 um2 and 0.56 vs 0.77 pJ/cycle at 28 nm, with no pins. The bit-serial PE holds
        // digit multipliers, exact fp16 lanes and a fixed-point group sum; the once-per-group dequantizer is shared by the
        // column (32 rows).
        var area = PeCalibration.Default.Rows.Where(r => r.Metric == CalibrationMetric.Area).ToDictionary(r => r.Point);
        var energy = PeCalibration.Default.Rows.Where(r => r.Metric == CalibrationMetric.Energy).ToDictionary(r => r.Point);
        Assert.True(area["bitmod_pe"].Library < area["bitmod_fp16_pe"].Library);
        Assert.True(energy["bitmod_pe"].Library < energy["bitmod_fp16_pe"].Library);
        Assert.Equal(0.49, area["bitmod_pe"].Library / area["bitmod_fp16_pe"].Library, 2);   // published 0.77
        Assert.Equal(0.66, energy["bitmod_pe"].Library / energy["bitmod_fp16_pe"].Library, 2); // published 0.73
    }

    [Fact]
    public void ADequantizerUsedOncePerGroupIsSharedByTheColumn()
    {
        // 4 lanes, 2 cycles per pass, groups of 128: the dequantizer works 1 cycle in 64, so up to 64 rows share one unit.
        var pe = Pe(("kind", "bit_serial"), ("weights", "int4"), ("activations", "fp16"), ("accumulator", "fp32"), ("dot_width", "4"),
            ("bits_per_cycle", "2"), ("group_size", "128"));
        double Count(int rows) => PeDatapath.Build(pe, Dataflow.OS, rows).Components.Single(c => c.Name == "group_dequantizer").Count;
        Assert.Equal(1.0, Count(1));
        Assert.Equal(1.0 / 32, Count(32));
        Assert.Equal(2.0 / 128, Count(128));
        // The energy per PE-cycle is the same however many PEs share it.
        double E(int rows) => PeDatapath.Build(pe, Dataflow.OS, rows).Components.Single(c => c.Name == "group_dequantizer").EnergyPj;
        Assert.Equal(E(1), E(32), 12);
    }

    [Fact]
    public void XrNpeSharedSimdDatapathIsSmallerThanSeparatePerFormatMacs()
    {
        var simd = Dp(Pe(("kind", "simd_mac"), ("weights", "posit16es1"), ("activations", "posit16es1")));
        var separate = new[] { "posit16es1", "posit8es0", "posit4es1" }
            .Sum(f => Dp(Pe(("kind", "posit_mac"), ("weights", f), ("activations", f))).AreaUm2)
            + Dp(Pe(("kind", "minifloat_mac"), ("weights", "fp4e2m1"), ("activations", "fp4e2m1"))).AreaUm2;
        Assert.True(simd.AreaUm2 < separate, $"shared {simd.AreaUm2:0} um2 vs separate {separate:0} um2");
        Assert.Equal(0.71, simd.AreaUm2 / separate, 2);
    }

    [Fact]
    public void LutTensorCorePeIsDenserThanAMacBasedFp16PeForInt2AndInt4Weights()
    {
        // LUT Tensor Core (ISCA'25): tables of activation sums beat MAC-based tensor cores in compute density. Compared at
        // the same dot-product width (16) in a 16-row array whose PEs share one table builder per column.
        double Density(PeDatapath d) => d.MacsPerCycle / d.AreaUm2;
        var mac = PeDatapath.Build(Pe(("kind", "fp_mac"), ("weights", "fp16"), ("activations", "fp16"), ("dot_width", "16")), Dataflow.OS, 16);
        foreach (var (w, gain) in new[] { ("int2", 4.05), ("int4", 2.00) })
        {
            var lut = PeDatapath.Build(Pe(("kind", "lut"), ("weights", w), ("activations", "fp16"), ("lut_entries", "fp16"),
                ("group_size", "128"), ("dot_width", "16")), Dataflow.OS, 16);
            Assert.True(Density(lut) > Density(mac));
            Assert.Equal(gain, Density(lut) / Density(mac), 2);
        }
    }
}
