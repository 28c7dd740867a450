using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Plot;

/// <summary>
/// How one plot shows a metric: the factor from the stored value to the shown one and the axis title. Energy and
/// latency pick the SI prefix that keeps the largest value between 1 and 1000 (so 3e11 pJ reads as 300 mJ).
/// </summary>
public sealed record DisplayUnit(double Scale, string AxisLabel)
{
    private static readonly (double factor, string unit)[] Joules = { (1, "J"), (1e-3, "mJ"), (1e-6, "µJ"), (1e-9, "nJ"), (1e-12, "pJ") };
    private static readonly (double factor, string unit)[] Seconds = { (1, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns") };

    /// <summary>The unit for <paramref name="metric"/> over <paramref name="values"/> (stored units); other metrics keep theirs.</summary>
    public static DisplayUnit For(string metric, IEnumerable<double> values) => metric switch
    {
        "energy_pj" => Pick("energy", 1e-12, Joules, values),
        "latency_s" => Pick("latency", 1, Seconds, values),
        _ => new DisplayUnit(1, MetricCatalog.AxisLabel(metric)),
    };

    private static DisplayUnit Pick(string name, double toBase, (double factor, string unit)[] units, IEnumerable<double> values)
    {
        double max = values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max() * toBase;
        // the largest prefix the data reaches; below the smallest, the smallest (values under 1 of it stay readable on a log axis)
        var (factor, unit) = units.FirstOrDefault(u => max >= u.factor * (1 - 1e-9), units[^1]);
        return new DisplayUnit(toBase / factor, $"{name} ({unit})");
    }
}
