using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Plot;

/// <summary>
/// How a run shows a metric: the factor from the stored value to the shown one, the unit and the axis title. Energy,
/// latency and power pick the SI prefix that keeps the largest value between 1 and 1000 (3e11 pJ reads as 300 mJ);
/// one unit is chosen per quantity for a whole run, so all its plots and tables agree.
/// </summary>
public sealed record DisplayUnit(double Scale, string Unit, string AxisLabel)
{
    private static readonly (double factor, string unit)[] Joules = { (1, "J"), (1e-3, "mJ"), (1e-6, "µJ"), (1e-9, "nJ"), (1e-12, "pJ") };
    private static readonly (double factor, string unit)[] Seconds = { (1, "s"), (1e-3, "ms"), (1e-6, "µs"), (1e-9, "ns") };
    private static readonly (double factor, string unit)[] Watts = { (1e3, "kW"), (1, "W"), (1e-3, "mW"), (1e-6, "µW") };

    /// <summary>The unit for <paramref name="metric"/> over <paramref name="values"/> (stored units); other metrics keep theirs.</summary>
    public static DisplayUnit For(string metric, IEnumerable<double> values) => metric switch
    {
        "energy_pj" => Pick("energy", 1e-12, Joules, values),
        "latency_s" => Pick("latency", 1, Seconds, values),
        "power_w" => Pick("power", 1, Watts, values),
        _ => Keep(metric),
    };

    /// <summary>The metric's own unit, unscaled.</summary>
    public static DisplayUnit Keep(string metric)
    {
        string unit = MetricCatalog.Find(metric)?.Unit ?? "";
        string name = MetricDisplay.Name(metric);
        return new DisplayUnit(1, unit, unit.Length == 0 ? name : $"{name} ({unit})");
    }

    /// <summary>A quantity in the same unit as this one (e.g. an energy component shown in the run's energy unit).</summary>
    public string LabelFor(string quantity) => Unit.Length == 0 ? quantity : $"{quantity} ({Unit})";

    private static DisplayUnit Pick(string name, double toBase, (double factor, string unit)[] units, IEnumerable<double> values)
    {
        double max = values.Where(double.IsFinite).Select(Math.Abs).DefaultIfEmpty(0).Max() * toBase;
        // the largest prefix the data reaches; below the smallest, the smallest (values under 1 of it stay readable on a log axis)
        var (factor, unit) = units.FirstOrDefault(u => max >= u.factor * (1 - 1e-9), units[^1]);
        return new DisplayUnit(toBase / factor, unit, $"{name} ({unit})");
    }
}
