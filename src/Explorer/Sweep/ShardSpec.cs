using System.Globalization;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Sweep;

/// <summary>Shard <see cref="Index"/> of <see cref="Count"/> (0-based): the points whose index ≡ Index mod Count.</summary>
public sealed record ShardSpec(int Index, int Count)
{
    public bool Owns(int pointIndex) => pointIndex % Count == Index;

    /// <summary>Parses <c>I/N</c> with 0 ≤ I &lt; N.</summary>
    public static ShardSpec Parse(string text)
    {
        var parts = text.Split('/');
        if (parts.Length == 2 &&
            int.TryParse(parts[0], NumberStyles.Integer, CultureInfo.InvariantCulture, out int i) &&
            int.TryParse(parts[1], NumberStyles.Integer, CultureInfo.InvariantCulture, out int n) &&
            n >= 1 && i >= 0 && i < n)
            return new ShardSpec(i, n);
        throw new UsageException($"--shard expects I/N with 0 <= I < N (e.g. 0/4 for the first of four shards), got '{text}'");
    }

    public override string ToString() => $"{Index}/{Count}";
}
