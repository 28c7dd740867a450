using System.Text.Json;

namespace Mantissa.Explorer.Tests;

public class CostCommandTests
{
    internal static string Arch(string file)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Sim.sln"))) return Path.Combine(dir.FullName, "arch-configs", file);
        throw new InvalidOperationException("Sim.sln not found");
    }

    [Fact]
    public void AsicReportHasAreaEnergyPeakAndEfficiency()
    {
        var (code, output, err) = CliTests.Run("cost", Arch("tpu-int8.yaml"));
        Assert.True(code == 0, err);
        Assert.Contains("tpu-int8: ASIC 28 nm", output);
        Assert.Contains("Area (", output);
        Assert.Contains("pe.multiplier", output);
        Assert.Contains("Energy per action (pJ)", output);
        // 256 x 256 INT8 MACs at 700 MHz = 91.75 TOPS (TPUv1 quotes 92).
        Assert.Contains("91.7504", output);
        Assert.Contains("TOPS/W", output);
        Assert.Contains("TOPS/mm²", output);
    }

    [Fact]
    public void FpgaReportHasUtilizationAndClock()
    {
        var (code, output, err) = CliTests.Run("cost", Arch("flightllm-u280.yaml"));
        Assert.True(code == 0, err);
        Assert.Contains("FPGA u280", output);
        Assert.Contains("fits: yes", output);
        Assert.Contains("DSP       6,244    9,024      69.2", output);
        Assert.Contains("vector_unit              12,528   4,608    96", output);
        Assert.Contains("hbm_memory_subsystem     160,000  208,000  0      0       0", output);
        Assert.Contains("platform                 107,629  136,086  4      195.5   0", output);
        Assert.Contains("estimated achievable", output);
    }

    [Fact]
    public void WholeChipRowsAndTheLineThatNamesWhatIsNotPriced()
    {
        var (code, output, err) = CliTests.Run("cost", Arch("tpu-int8.yaml"));
        Assert.True(code == 0, err);
        Assert.Contains("Whole chip: array and memories only; declare control, DMA, post-processing, PHYs, interconnect and clock tree in chip:", output);
        (code, output, err) = CliTests.Run("cost", Arch(Path.Combine("reproductions", "tpu-v1", "tpu-v1.yaml")));
        Assert.True(code == 0, err);
        Assert.Contains("dram.phy                 2      5.8        2.2", output);
        Assert.Contains("chip_fit.logic           1      78.976748  29.6", output);
        Assert.Contains("clock_buffers                cycle           3342.11091", output);
        Assert.Contains("Always on (clock tree and its buffers, PCIe transmitters, DRAM PHYs' static power, DRAM devices' standby and refresh): 5590.816 mW every cycle", output);
        Assert.Contains("dram.phy                     static_cycle    85.71429", output);
        Assert.Contains("dram.devices                 standby_cycle   593.67033", output);
        Assert.Contains("chip_logic                   leak_cycle      23523.00337", output);
        Assert.Contains("Leakage: 21071.186 mW", output);
        Assert.DoesNotContain("Whole chip:", output);
        (code, output, err) = CliTests.Run("cost", Arch(Path.Combine("reproductions", "nvdla", "nvdla-32.yaml")), "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        Assert.Equal(["dram_phy", "host_interface"], doc.RootElement.GetProperty("chip_not_modelled").EnumerateArray().Select(e => e.GetString()!).ToArray());
        Assert.True(doc.RootElement.GetProperty("always_on_mw").GetDouble() > 0);
    }

    [Fact]
    public void JsonIsOneObject()
    {
        var (code, output, err) = CliTests.Run("cost", Arch("bitmod.yaml"), "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        var root = doc.RootElement;
        Assert.Equal("bitmod", root.GetProperty("name").GetString());
        Assert.Equal(0.8794, root.GetProperty("pe_energy_pj_per_active_cycle").GetDouble(), 4); // derived: the file pins no PE cost
        Assert.Equal(2, root.GetProperty("overrides").GetArrayLength()); // the study's DRAM pJ per access, inherited
        Assert.True(root.GetProperty("peak")[0].GetProperty("tops").GetDouble() > 0);
    }

    [Fact]
    public void SetOverridesAKeyAndBadInputIsAClearError()
    {
        var (code, output, _) = CliTests.Run("cost", Arch("tpu-int8.yaml"), "--set", "array.rows=128", "--json");
        Assert.Equal(0, code);
        Assert.Equal(128 * 256, JsonDocument.Parse(output).RootElement.GetProperty("pe_count").GetInt32());

        var (code2, _, err2) = CliTests.Run("cost", "no-such-file.yaml");
        Assert.Equal(1, code2);
        Assert.Contains("no-such-file.yaml", err2);

        var (code3, _, err3) = CliTests.Run("cost");
        Assert.Equal(2, code3);
        Assert.Contains("missing architecture file", err3);
    }
}

public class CalibrateCommandTests
{
    [Fact]
    public void PrintsEveryPointWithLibraryFittedAndLeaveOneOutErrors()
    {
        var (code, output, _) = CliTests.Run("calibrate");
        Assert.Equal(0, code);
        Assert.Contains("Fitted global factors", output);
        Assert.Matches(@"bitfusion_fixed_8b\s+area um2\s+yes\s+688\s+636\s", output);
        Assert.Contains("Why points beyond 35% are missed:", output);
        Assert.Contains("nvdla_cmac_area: the published increment includes CACC/CSC", output);
    }

    [Fact]
    public void WriteFactorsWritesTheFileCostAppliesAndCalibratedCostShowsThem()
    {
        string file = Path.Combine(Path.GetTempPath(), $"pe_factors_{Guid.NewGuid():N}.csv");
        try
        {
            var (code, _, _) = CliTests.Run("calibrate", "--write-factors", file);
            Assert.Equal(0, code);
            Assert.Equal(Mantissa.Arch.Cost.CalibrationFactors.ToCsv(Mantissa.Arch.Cost.PeCalibration.Default), File.ReadAllText(file));
        }
        finally { File.Delete(file); }
        var (c1, plain, _) = CliTests.Run("cost", CostCommandTests.Arch("fp16-baseline.yaml"));
        var (c2, calibrated, _) = CliTests.Run("cost", CostCommandTests.Arch("fp16-baseline.yaml"), "--calibrated");
        Assert.Equal(0, c1); Assert.Equal(0, c2);
        Assert.DoesNotContain("PE calibration:", plain);
        Assert.Contains("PE calibration: pe.* rows are the primitive library x global factors (area: logic 0.746, registers 1.755", calibrated);
        Assert.Contains("PE 2242 um²", plain);
        Assert.Contains("PE 1779.4 um²", calibrated);
    }

    [Fact]
    public void JsonHasTheFactorsAndOneRowPerPublishedValue()
    {
        var (code, output, _) = CliTests.Run("calibrate", "--json");
        Assert.Equal(0, code);
        using var doc = System.Text.Json.JsonDocument.Parse(output);
        var rows = doc.RootElement.GetProperty("rows");
        Assert.Equal(Mantissa.Arch.Cost.PeCalibration.Default.Rows.Count, rows.GetArrayLength());
        Assert.Equal(Mantissa.Arch.Cost.PeCalibration.Default.Factors.AreaStorage, doc.RootElement.GetProperty("factors").GetProperty("area_storage").GetDouble(), 12);
        Assert.Contains(rows.EnumerateArray(), r => r.GetProperty("metric").GetString() == "energy_per_mac_ratio");
        Assert.All(rows.EnumerateArray(), r => Assert.False(string.IsNullOrEmpty(r.GetProperty("source").GetString())));
    }

    [Fact]
    public void CalibrateChipsPrintsTheFactorsAndEveryPoint()
    {
        var (code, output, err) = CliTests.Run("calibrate", "--chips", "--json");
        Assert.True(code == 0, err);
        using var doc = JsonDocument.Parse(output);
        // The factors chip_constants.csv stores (ChipFitTests.StoredFactorsAreTheFit holds them equal to the fit).
        Assert.Equal(5.895, doc.RootElement.GetProperty("factors").GetProperty("logic").GetDouble(), 0.01);
        Assert.Equal(1.817, doc.RootElement.GetProperty("factors").GetProperty("sram").GetDouble(), 0.01);
        Assert.Equal(14, doc.RootElement.GetProperty("rows").GetArrayLength()); // 11 fitted points and 3 checks
        (code, output, err) = CliTests.Run("calibrate", "--chips");
        Assert.True(code == 0, err);
        Assert.Contains("tpu-v1 matrix unit", output);
        Assert.Contains("leave-chip-out", output);
    }
}
