namespace Mantissa.Explorer.Sweep;

/// <summary>A result metric: canonical snake_case name, unit for axes and tables, usual goal, and accepted aliases.</summary>
public sealed record MetricInfo(string Name, string Unit, Goal UsualGoal, string Description, params string[] Aliases)
{
    /// <summary>Axis label such as <c>latency (s)</c>.</summary>
    public string AxisLabel => Unit.Length == 0 ? Name : $"{Name} ({Unit})";
}

/// <summary>The metrics sweeps may optimise or constrain, with their units; names the nearest one for misspellings.</summary>
public static class MetricCatalog
{
    public static IReadOnlyList<MetricInfo> All { get; } = new MetricInfo[]
    {
        new("cycles", "cycles", Goal.Min, "accelerator clock cycles for the workload"),
        new("latency_s", "s", Goal.Min, "wall-clock time for the workload", "latency"),
        new("energy_pj", "pJ", Goal.Min, "total energy (dynamic + leakage)", "energy"),
        new("area_mm2", "mm²", Goal.Min, "silicon area (ASIC targets)", "area"),
        new("edp", "J·s", Goal.Min, "energy-delay product", "energy_delay_product"),
        new("power_w", "W", Goal.Min, "average power", "power"),
        new("tokens_per_s", "tokens/s", Goal.Max, "throughput", "tokens/s", "throughput"),
        new("tokens_per_j", "tokens/J", Goal.Max, "energy efficiency", "tokens/j"),
        new("tops_effective", "TOPS", Goal.Max, "achieved tera-operations (2 per MAC) per second", "tops"),
        new("frames_per_s", "frames/s", Goal.Max, "throughput of vision models"),
        new("compute_cycles", "cycles", Goal.Min, "cycles the PE array needs without memory stalls"),
        new("stall_cycles", "cycles", Goal.Min, "cycles spent waiting for memory"),
        new("macs", "MACs", Goal.Min, "multiply-accumulates of the workload"),
        new("tops_per_mm2", "TOPS/mm²", Goal.Max, "achieved throughput per area", "tops/mm2"),
        new("tops_per_w", "TOPS/W", Goal.Max, "achieved throughput per watt", "tops/w"),
        new("utilization", "", Goal.Max, "fraction of PE-cycles doing useful MACs"),
        new("fpga_utilization", "", Goal.Min, "largest fraction of any FPGA resource used", "fpga.utilization"),
        new(QuantObjective.Sqnr, "dB", Goal.Max, "SQNR of the sweep's weight tensor in the weight format the design runs", "quant_sqnr", "sqnr_db"),
        new(QuantObjective.Mse, "", Goal.Min, "mean squared error of that quantized tensor", "mse"),
        new("fpga_fits", "", Goal.Max, "1 when the design fits the FPGA device", "fpga.fits"),
        new("ttft_s", "s", Goal.Min, "LLM prefill workloads: time to first token (the prefill pass of the batch)", "ttft"),
        new("tpot_s", "s", Goal.Min, "LLM decode workloads: time per output token (one decode step of the batch)", "tpot"),
        new("max_batch", "sequences", Goal.Max, "LLMs: largest batch whose weights + KV cache at the workload's context fit the DRAM capacity"),
    };

    private static readonly Dictionary<string, MetricInfo> ByName = BuildIndex();

    private static Dictionary<string, MetricInfo> BuildIndex()
    {
        var d = new Dictionary<string, MetricInfo>(StringComparer.OrdinalIgnoreCase);
        foreach (var m in All)
        {
            d[m.Name] = m;
            foreach (var a in m.Aliases) d[a] = m;
        }
        return d;
    }

    /// <summary>The metric named <paramref name="nameOrAlias"/>, or null.</summary>
    public static MetricInfo? Find(string nameOrAlias) => ByName.GetValueOrDefault(nameOrAlias.Trim());

    /// <summary>Axis label for any metric, known or not.</summary>
    public static string AxisLabel(string metric) => Find(metric)?.AxisLabel ?? metric;

    /// <summary>Every accepted spelling (for suggestions).</summary>
    public static IEnumerable<string> Spellings => ByName.Keys;
}
