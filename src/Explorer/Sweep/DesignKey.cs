using System.Text;

namespace Mantissa.Explorer.Sweep;

/// <summary>The configuration text a design point's row keys are hashed from (<see cref="IDesignEvaluator.ConfigKey"/>).</summary>
internal static class DesignKey
{
    /// <summary>The base design's canonical YAML followed by the point's sets as written.</summary>
    public static string ConfigKey(string baseCanonical, DesignPoint point)
    {
        var sb = new StringBuilder(baseCanonical);
        foreach (var (k, v) in point.Sets) sb.Append("\n--set ").Append(k).Append('=').Append(v);
        return sb.ToString();
    }
}
