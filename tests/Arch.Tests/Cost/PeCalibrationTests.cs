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
    public void TheDataSetHasAtLeastTwelvePointsFromAtLeastSixSourcesEachWithASource()
    {
        var points = PeCalibration.Points;
        Assert.True(points.Count >= 12, $"{points.Count} points");
        Assert.All(points, p => Assert.False(string.IsNullOrWhiteSpace(p.Source)));
        Assert.All(points, p => Assert.True(p.AreaUm2 is not null || p.EnergyPj is not null));
        var papers = points.Select(p => p.Source.Split(new[] { ',', '(' }, 2)[0].Trim()).Distinct().ToList();
        Assert.True(papers.Count >= 6, string.Join("; ", papers));
    }

    [Fact]
    public void AModelThatMatchesEveryPointExactlyHasZeroErrorAndZeroLeaveOneOutError()
    {
        // Publish exactly 1.7 x logic + 3.1 x storage of the library for every point: the fit must recover the factors
        // and every error, with or without the point, must vanish.
        var truth = PeCalibration.Points.Where(p => p.AreaUm2 is not null).Select(p =>
        {
            double logic = Part(p, DatapathPart.Logic), storage = Part(p, DatapathPart.Storage);
            return p with { AreaUm2 = 1.7 * logic + 3.1 * storage, EnergyPj = null };
        }).ToList();
        var r = PeCalibration.Run(truth);
        Assert.Equal(1.7, r.Factors.LogicArea, 6);
        Assert.Equal(3.1, r.Factors.StorageArea, 6);
        Assert.All(r.Rows, row => Assert.True(Math.Abs(row.Error) < 1e-9 && Math.Abs(row.LeaveOneOutError) < 1e-9, row.Point));
    }

    // Library area of one part of a point's PE at its node.
    private static double Part(CalibrationPoint p, DatapathPart part) =>
        Dp(p.Pe).Components.Where(c => c.Part == part).Sum(c => c.AreaUm2) * TechnologyScaling.Default.AreaScale(45, p.NodeNm);

    [Fact]
    public void LeaveOneOutRefitsWithoutThePoint()
    {
        var r = PeCalibration.Default;
        Assert.Equal(PeCalibration.Points.Sum(p => (p.AreaUm2 is null ? 0 : 1) + (p.EnergyPj is null ? 0 : 1)), r.Rows.Count);
        // A point with a gap differs from the rest, so leaving it out moves the fit and its error.
        var nvdla = r.Rows.Single(x => x.Point == "nvdla_cmac_area");
        Assert.NotEqual(nvdla.Error, nvdla.LeaveOneOutError);
        Assert.True(Math.Abs(nvdla.LeaveOneOutError) >= Math.Abs(nvdla.Error));
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
    public void Fp8MacCostsBetween1Point5And2Point8TimesAnInt8MacInEnergyWithExactAccumulation()
    {
        // van Baalen et al. 2023: FP8 MACs are 50-180% less efficient than INT8 MACs in dedicated hardware.
        // The energy ratio is inside that range; the area ratio (1.44 at K = 16) is just below it (docs/cost.md).
        var fp8 = Dp(Pe(("kind", "minifloat_mac"), ("weights", "fp8e4m3"), ("activations", "fp8e4m3"), ("dot_width", "16")));
        var int8 = Dp(Pe(("kind", "int_mac"), ("weights", "int8"), ("activations", "int8"), ("dot_width", "16")));
        Assert.Contains(fp8.Components, c => c.Name == "kulisch_register"); // exact accumulation is the default
        Assert.InRange(fp8.EnergyPj / int8.EnergyPj, 1.5, 2.8);
        Assert.InRange(fp8.AreaUm2 / int8.AreaUm2, 1.4, 1.5);
    }

    [Fact]
    public void BitModPeTakesLessEnergyPerCycleThanTheFp16Pe()
    {
        // BitMoD (HPCA'25): 0.56 vs 0.77 pJ/cycle at 28 nm. The area ordering (1507.7 < 1968.7 um2) is not reproduced:
        // the library charges the BitMoD PE a full fp32 accumulator and group dequantizer (docs/cost.md).
        var rows = PeCalibration.Default.Rows.Where(r => r.Metric == CalibrationMetric.Energy).ToDictionary(r => r.Point);
        Assert.True(rows["bitmod_pe"].Library < rows["bitmod_fp16_pe"].Library);
        var area = PeCalibration.Default.Rows.Where(r => r.Metric == CalibrationMetric.Area).ToDictionary(r => r.Point);
        Assert.True(area["bitmod_pe"].Library > area["bitmod_fp16_pe"].Library); // the known miss, so a fix shows up here
    }

    [Fact]
    public void XrNpeSharedSimdDatapathIsSmallerThanSeparatePerFormatMacs()
    {
        var simd = Dp(Pe(("kind", "simd_mac"), ("weights", "posit16es1"), ("activations", "posit16es1")));
        var separate = new[] { "posit16es1", "posit8es0", "posit4es1" }
            .Sum(f => Dp(Pe(("kind", "posit_mac"), ("weights", f), ("activations", f))).AreaUm2)
            + Dp(Pe(("kind", "minifloat_mac"), ("weights", "fp4e2m1"), ("activations", "fp4e2m1"))).AreaUm2;
        Assert.True(simd.AreaUm2 < separate, $"shared {simd.AreaUm2:0} um2 vs separate {separate:0} um2");
    }

    [Fact]
    public void LutTensorCorePeIsDenserThanAMacBasedFp16PeForInt2AndInt4Weights()
    {
        // LUT Tensor Core (ISCA'25): tables of activation sums beat MAC-based tensor cores in compute density. Compared at
        // the same dot-product width (16) in a 16-row array whose PEs share one table builder per column.
        double Density(PeDatapath d) => d.MacsPerCycle / d.AreaUm2;
        var mac = PeDatapath.Build(Pe(("kind", "fp_mac"), ("weights", "fp16"), ("activations", "fp16"), ("dot_width", "16")), Dataflow.OS, 16);
        foreach (var (w, gain) in new[] { ("int2", 3.16), ("int4", 1.56) })
        {
            var lut = PeDatapath.Build(Pe(("kind", "lut"), ("weights", w), ("activations", "fp16"), ("lut_entries", "fp16"),
                ("group_size", "128"), ("dot_width", "16")), Dataflow.OS, 16);
            Assert.Equal(gain, Density(lut) / Density(mac), 2);
        }
    }
}
