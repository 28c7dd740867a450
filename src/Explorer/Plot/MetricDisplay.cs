using Mantissa.Sim.Results;

namespace Mantissa.Explorer.Plot;

/// <summary>How figures name a metric ("energy", "throughput") and shorten a workload label for a title.</summary>
public static class MetricDisplay
{
    // display names for the catalog's metrics (the catalog names columns; figures and the report speak words)
    private static readonly Dictionary<Metric, string> Names = new()
    {
        [Metric.LatencyS] = "latency", [Metric.EnergyPj] = "energy", [Metric.AreaMm2] = "area", [Metric.Edp] = "energy-delay product",
        [Metric.TokensPerS] = "throughput", [Metric.TokensPerJ] = "energy efficiency", [Metric.TopsEffective] = "achieved TOPS",
        [Metric.TopsPerMm2] = "area efficiency", [Metric.TopsPerW] = "power efficiency", [Metric.PowerW] = "power",
        [Metric.Utilization] = "utilization", [Metric.Cycles] = "cycles", [Metric.ComputeCycles] = "compute cycles",
        [Metric.StallCycles] = "stall cycles", [Metric.Macs] = "MACs", [Metric.FpgaFits] = "fits the FPGA",
        [Metric.FpgaUtilization] = "FPGA utilization", [Metric.QuantSqnrDb] = "weight SQNR", [Metric.QuantMse] = "weight MSE",
        [Metric.FramesPerS] = "throughput", [Metric.FormatFallbacks] = "format fallbacks", [Metric.TtftS] = "time to first token",
        [Metric.TpotS] = "time per output token", [Metric.MaxBatch] = "max batch",
    };

    public static string Name(string metric) =>
        MetricCatalog.Find(metric) is { } m && Names.TryGetValue(m.Id, out var n) ? n : metric.Replace('_', ' ');

    /// <summary>Capitalised <see cref="Name"/> for the start of a title.</summary>
    public static string Title(string metric)
    {
        string n = Name(metric);
        return n.Length == 0 || char.IsUpper(n[0]) ? n : char.ToUpperInvariant(n[0]) + n[1..];
    }

    /// <summary>A workload label short enough for a title: model and phase, with the non-default parts that identify it.</summary>
    public static string Workload(string label)
    {
        if (label.Length <= 32) return label.Replace('/', ' ');
        var parts = label.Split('/');
        var keep = parts.Take(2).Concat(parts.Skip(2).Where(p => p is not ("b1" or "causal") && !p.StartsWith("w", StringComparison.Ordinal)));
        string s = string.Join(" ", keep);
        return s.Length <= 40 ? s : s[..39] + "…";
    }
}
