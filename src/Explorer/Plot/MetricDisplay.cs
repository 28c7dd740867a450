using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Plot;

/// <summary>How figures name a metric ("energy", "throughput") and shorten a workload label for a title.</summary>
public static class MetricDisplay
{
    // display names for the catalog's metrics; a metric not listed shows its name with spaces
    private static readonly Dictionary<string, string> Names = new(StringComparer.Ordinal)
    {
        ["cycles"] = "cycles", ["latency_s"] = "latency", ["energy_pj"] = "energy", ["area_mm2"] = "area", ["edp"] = "energy-delay product",
        ["power_w"] = "power", ["tokens_per_s"] = "throughput", ["tokens_per_j"] = "energy efficiency", ["tops_effective"] = "achieved TOPS",
        ["frames_per_s"] = "throughput", ["compute_cycles"] = "compute cycles", ["stall_cycles"] = "stall cycles", ["macs"] = "MACs",
        ["tops_per_mm2"] = "area efficiency", ["tops_per_w"] = "power efficiency", ["utilization"] = "utilization",
        ["fpga_utilization"] = "FPGA utilization", ["quant_sqnr_db"] = "weight SQNR", ["quant_mse"] = "weight MSE",
    };

    public static string Name(string metric) =>
        Names.TryGetValue(MetricCatalog.Find(metric)?.Name ?? metric, out var n) ? n : metric.Replace('_', ' ');

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
