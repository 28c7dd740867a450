namespace Mantissa.Explorer.Sweep;

/// <summary>One design: its index in the sweep's deterministic order, the value index of each gene, and the resulting sets.</summary>
public sealed record DesignPoint(int Index, IReadOnlyList<int> Genome, IReadOnlyList<KeyValuePair<string, string>> Sets)
{
    /// <summary>The value set for <paramref name="path"/>, in the order of the sweep's parameters.</summary>
    public string ValueOf(string path)
    {
        foreach (var kv in Sets) if (kv.Key == path) return kv.Value;
        return "";
    }
}
