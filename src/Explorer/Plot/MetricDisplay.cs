using Mantissa.Sim.Results;

namespace Mantissa.Explorer.Plot;

/// <summary>How figures name a metric (its catalog display name) and shorten a workload label for a title.</summary>
public static class MetricDisplay
{
    /// <summary>The metric's <see cref="MetricInfo.Display"/> name; a column that is no metric with its underscores as spaces.</summary>
    public static string Name(string metric) => MetricCatalog.Find(metric)?.Display ?? metric.Replace('_', ' ');

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
