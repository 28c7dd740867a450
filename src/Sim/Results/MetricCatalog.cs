using Mantissa.Sim.Serving;
using Mantissa.Workloads;

namespace Mantissa.Sim.Results;

/// <summary>A metric: its id, snake_case name, display name in words for figures and reports ("energy", "throughput"), unit for axes and tables, goal, description, accepted aliases and formula (NaN: not reported).</summary>
public sealed record MetricInfo(Metric Id, string Name, string Display, string Unit, Goal Goal, string Description, Func<MetricInputs, double> Compute, params string[] Aliases)
{
    /// <summary>Axis label such as <c>latency_s (s)</c>.</summary>
    public string AxisLabel => Unit.Length == 0 ? Name : $"{Name} ({Unit})";
}

/// <summary>
/// The one definition of every metric (adding a metric touches only <see cref="Metric"/> and this table): sweeps,
/// reports, plots and the simulate output all read names, units, goals and values from here.
/// </summary>
public static class MetricCatalog
{
    private const double Nan = double.NaN;

    /// <summary>Every metric, in <see cref="Metric"/> order (the column order of results files).</summary>
    public static IReadOnlyList<MetricInfo> All { get; } = new MetricInfo[]
    {
        new(Metric.LatencyS, "latency_s", "latency", "s", Goal.Min, "wall-clock time for the workload", x => x.Sim.LatencySeconds, "latency"),
        new(Metric.EnergyPj, "energy_pj", "energy", "pJ", Goal.Min, "total energy (dynamic + leakage)", x => x.Sim.EnergyPj, "energy"),
        new(Metric.AreaMm2, "area_mm2", "area", "mm²", Goal.Min, "silicon area (ASIC targets)", x => x.Sim.Cost.AreaMm2, "area"),
        new(Metric.Edp, "edp", "energy-delay product", "J·s", Goal.Min, "energy-delay product", x => x.Sim.EnergyPj * 1e-12 * x.Sim.LatencySeconds, "energy_delay_product"),
        new(Metric.TokensPerS, "tokens_per_s", "throughput", "tokens/s", Goal.Max, "throughput",
            x => x.Sim.Tokens <= 0 ? Nan : PerSecond(x.Sim, x.Sim.Tokens), "tokens/s", "throughput"),
        new(Metric.TokensPerJ, "tokens_per_j", "energy efficiency", "tokens/J", Goal.Max, "energy efficiency",
            x => x.Sim.Tokens <= 0 ? Nan : Joules(x.Sim) > 0 ? x.Sim.Tokens / Joules(x.Sim) : 0, "tokens/j"),
        new(Metric.TopsEffective, "tops_effective", "achieved TOPS", "TOPS", Goal.Max, "achieved tera-operations (2 per MAC) per second", x => Tops(x.Sim), "tops"),
        new(Metric.TopsPerMm2, "tops_per_mm2", "area efficiency", "TOPS/mm²", Goal.Max, "achieved throughput per area",
            x => x.Sim.Cost.AreaMm2 > 0 ? Tops(x.Sim) / x.Sim.Cost.AreaMm2 : Nan, "tops/mm2"),
        new(Metric.TopsPerW, "tops_per_w", "power efficiency", "TOPS/W", Goal.Max, "achieved throughput per watt",
            x => Power(x.Sim) > 0 ? Tops(x.Sim) / Power(x.Sim) : Nan, "tops/w"),
        new(Metric.PowerW, "power_w", "power", "W", Goal.Min, "average power", x => Power(x.Sim), "power"),
        new(Metric.Utilization, "utilization", "utilization", "", Goal.Max, "fraction of PE-cycles doing useful MACs", x => x.Sim.Utilization),
        new(Metric.Cycles, "cycles", "cycles", "cycles", Goal.Min, "accelerator clock cycles for the workload", x => SimResult.WholeCycles(x.Sim.Cycles)),
        new(Metric.ComputeCycles, "compute_cycles", "compute cycles", "cycles", Goal.Min, "cycles the PE array needs without memory stalls", x => SimResult.WholeCycles(x.Sim.ComputeCycles)),
        new(Metric.StallCycles, "stall_cycles", "stall cycles", "cycles", Goal.Min, "cycles spent waiting for memory", x => Math.Max(0, SimResult.WholeCycles(x.Sim.Cycles) - SimResult.WholeCycles(x.Sim.ComputeCycles))),
        new(Metric.Macs, "macs", "MACs", "MACs", Goal.Min, "multiply-accumulates of the workload", x => x.Sim.Macs),
        new(Metric.FpgaFits, "fpga_fits", "fits the FPGA", "", Goal.Max, "1 when the design fits the FPGA device",
            x => x.Fpga is { } f ? (f.Fits ? 1 : 0) : Nan, "fpga.fits"),
        new(Metric.FpgaUtilization, "fpga_utilization", "FPGA utilization", "", Goal.Min, "largest fraction of any FPGA resource used",
            x => x.Fpga is { } f ? f.Utilization.Max(u => u.Percent) / 100 : Nan, "fpga.utilization"),
        new(Metric.QuantSqnrDb, "quant_sqnr_db", "weight SQNR", "dB", Goal.Max, "SQNR of the sweep's weight tensor in the weight format the design runs",
            x => x.Quant is { } q ? q.SqnrDb : Nan, "quant_sqnr", "sqnr_db"),
        new(Metric.QuantMse, "quant_mse", "weight MSE", "", Goal.Min, "mean squared error of that quantized tensor", x => x.Quant is { } q ? q.Mse : Nan, "mse"),
        new(Metric.FramesPerS, "frames_per_s", "throughput", "frames/s", Goal.Max, "throughput of vision models",
            x => x.Sim.Frames <= 0 ? Nan : PerSecond(x.Sim, x.Sim.Frames)),
        new(Metric.FormatFallbacks, "format_fallbacks", "format fallbacks", "layers", Goal.Min, "layers run at the PE's own formats instead of the workload's",
            x => x.Sim.FormatFallbacks),
        new(Metric.TtftS, "ttft_s", "time to first token", "s", Goal.Min, "LLM prefill workloads: time to first token (the prefill pass of the batch)",
            x => Llm(x, Phase.Prefill) ? x.Sim.LatencySeconds : Nan, "ttft"),
        new(Metric.TpotS, "tpot_s", "time per output token", "s", Goal.Min, "LLM decode workloads: time per output token (one decode step of the batch)",
            x => Llm(x, Phase.Decode) ? x.Sim.LatencySeconds : Nan, "tpot"),
        new(Metric.MaxBatch, "max_batch", "max batch", "sequences", Goal.Max,
            "LLMs: largest batch whose weights + KV cache at the workload's context fit the DRAM capacity",
            // not for a training step, whose memory is activations kept for backward and optimizer state, not a KV cache
            x => x.Workload is { Phase: not Phase.Train } w && DramFit.MaxBatch(w, DramFit.Capacity(x.Sim.Arch)) is { } b ? b : Nan),
    };

    /// <summary>Number of metrics.</summary>
    public static int Count => All.Count;

    private static readonly Dictionary<string, MetricInfo> ByName = BuildIndex();

    private static Dictionary<string, MetricInfo> BuildIndex()
    {
        var d = new Dictionary<string, MetricInfo>(StringComparer.OrdinalIgnoreCase);
        for (int i = 0; i < All.Count; i++)
        {
            var m = All[i];
            if ((int)m.Id != i) throw new InvalidOperationException($"metric {m.Name} is out of enum order");
            d[m.Name] = m;
            foreach (var a in m.Aliases) d[a] = m;
        }
        return d;
    }

    /// <summary>The definition of <paramref name="m"/>.</summary>
    public static MetricInfo Info(Metric m) => All[(int)m];

    /// <summary>The canonical name of <paramref name="m"/>.</summary>
    public static string Name(this Metric m) => All[(int)m].Name;

    /// <summary>The metric named <paramref name="nameOrAlias"/> (case-insensitive), or null.</summary>
    public static MetricInfo? Find(string nameOrAlias) => ByName.GetValueOrDefault(nameOrAlias.Trim());

    /// <summary>Axis label for any column, metric or not.</summary>
    public static string AxisLabel(string column) => Find(column)?.AxisLabel ?? column;

    /// <summary>Every accepted spelling (for suggestions).</summary>
    public static IEnumerable<string> Spellings => ByName.Keys;

    /// <summary>Every metric computable from <paramref name="inputs"/>.</summary>
    public static MetricValues Evaluate(MetricInputs inputs)
    {
        var v = new double[All.Count];
        for (int i = 0; i < v.Length; i++) v[i] = All[i].Compute(inputs);
        return MetricValues.Wrap(v);
    }

    private static bool Llm(MetricInputs x, Phase phase) => x.Workload is { } w && w.Phase == phase && DramFit.HasKvCache(w);

    private static double Joules(SimResult r) => r.EnergyPj * 1e-12;
    private static double PerSecond(SimResult r, double amount) => r.LatencySeconds > 0 ? amount / r.LatencySeconds : 0;
    private static double Power(SimResult r) => r.LatencySeconds > 0 ? Joules(r) / r.LatencySeconds : 0;
    private static double Tops(SimResult r) => r.LatencySeconds > 0 ? 2.0 * r.Macs / r.LatencySeconds / 1e12 : 0;
}
