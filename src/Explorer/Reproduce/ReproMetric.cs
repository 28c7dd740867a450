namespace Mantissa.Explorer.Reproduce;

/// <summary>A quantity a reproduced figure reads from one run: simulation, cost report or quantization error.</summary>
public enum ReproMetric
{
    LatencyS, EnergyJ, TokensPerS, AreaMm2, PeAreaUm2, PeakMacsPerCycle, PeakPowerW, IdlePowerW, TopsPerW, TopsPerMm2, PeArrayTopsPerMm2,
    FpgaLuts, FpgaDsps, FpgaLutPercent, FpgaDspPercent, FpgaBramPercent, FpgaUramPercent, QuantMse, QuantSqnrDb,
}

/// <summary>Names of <see cref="ReproMetric"/> in experiment files and outputs, and which engine each needs.</summary>
public static class ReproMetrics
{
    private static readonly (ReproMetric Metric, string Name, string Unit)[] Table =
    {
        (ReproMetric.LatencyS, "latency_s", "s"),
        (ReproMetric.EnergyJ, "energy_j", "J"),
        (ReproMetric.TokensPerS, "tokens_per_s", "tokens/s"),
        (ReproMetric.AreaMm2, "area_mm2", "mm²"),
        (ReproMetric.PeAreaUm2, "pe_area_um2", "µm²"),
        (ReproMetric.PeakMacsPerCycle, "peak_macs_per_cycle", "MAC/cycle"),
        (ReproMetric.PeakPowerW, "peak_power_w", "W"),
        (ReproMetric.IdlePowerW, "idle_power_w", "W"),
        (ReproMetric.TopsPerW, "tops_per_w", "TOPS/W"),
        (ReproMetric.TopsPerMm2, "tops_per_mm2", "TOPS/mm²"),
        (ReproMetric.PeArrayTopsPerMm2, "pe_array_tops_per_mm2", "TOPS/mm²"),
        (ReproMetric.FpgaLuts, "fpga_luts", "LUTs"),
        (ReproMetric.FpgaDsps, "fpga_dsps", "DSPs"),
        (ReproMetric.FpgaLutPercent, "fpga_lut_percent", "%"),
        (ReproMetric.FpgaDspPercent, "fpga_dsp_percent", "%"),
        (ReproMetric.FpgaBramPercent, "fpga_bram_percent", "%"),
        (ReproMetric.FpgaUramPercent, "fpga_uram_percent", "%"),
        (ReproMetric.QuantMse, "quant_mse", ""),
        (ReproMetric.QuantSqnrDb, "quant_sqnr_db", "dB"),
    };

    public static string AllNames => string.Join(", ", Table.Select(t => t.Name));

    public static string Name(this ReproMetric m) => Table.First(t => t.Metric == m).Name;

    public static string Unit(this ReproMetric m) => Table.First(t => t.Metric == m).Unit;

    public static bool TryParse(string? name, out ReproMetric metric)
    {
        foreach (var t in Table)
            if (t.Name == name) { metric = t.Metric; return true; }
        metric = default;
        return false;
    }

    /// <summary>Whether the metric needs a simulated workload (rather than the cost report or a quant run).</summary>
    public static bool NeedsSimulation(this ReproMetric m) => m is ReproMetric.LatencyS or ReproMetric.EnergyJ or ReproMetric.TokensPerS;

    /// <summary>Whether the metric is a quantization error.</summary>
    public static bool NeedsQuant(this ReproMetric m) => m is ReproMetric.QuantMse or ReproMetric.QuantSqnrDb;
}
