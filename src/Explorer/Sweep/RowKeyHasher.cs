using System.Security.Cryptography;
using System.Text;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The row keys of a sweep (<see cref="SweepRunner.Key"/>), hashing the configuration prefix its points share (the base
/// design's canonical YAML) once: a point's key continues from a copy of the prefix's SHA-256 state. Thread-safe.
/// (The prefix state lives as long as the sweep; the finalizer releases it.)
/// </summary>
internal sealed class RowKeyHasher
{
    // Shorter shared prefixes are not worth a state copy.
    private const int MinPrefix = 256;
    private readonly object _gate = new();
    private string? _first, _prefix;
    private IncrementalHash? _prefixState;

    /// <summary>The key of the row of <paramref name="configKey"/> and the workload labelled <paramref name="workload"/>; equal to <see cref="SweepRunner.Key"/>.</summary>
    public string Of(string configKey, string workload)
    {
        // a short configuration (a design's difference from its base, DesignKey) is hashed in one pass, with no state to copy or lock
        if (configKey.Length + workload.Length <= ShortText) return Short(configKey, workload);
        IncrementalHash hash;
        int from = 0;
        lock (_gate)
        {
            if (_prefixState is null) Learn(configKey);
            if (_prefixState is not null && configKey.StartsWith(_prefix!, StringComparison.Ordinal))
            {
                hash = _prefixState.Clone();
                from = _prefix!.Length;
            }
            else hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        }
        using (hash)
        {
            hash.AppendData(Encoding.UTF8.GetBytes(string.Concat(configKey.AsSpan(from), SweepRunner.WorkloadSeparator, workload)));
            Span<byte> digest = stackalloc byte[32];
            hash.GetHashAndReset(digest);
            return SweepRunner.KeyText(digest);
        }
    }

    /// <summary>The same key as <see cref="Of(string, string)"/> for the configuration text in <paramref name="configKey"/>, without making it a string when it is short.</summary>
    public string Of(StringBuilder configKey, string workload)
    {
        if (configKey.Length + workload.Length > ShortText) return Of(configKey.ToString(), workload);
        var text = t_chars ??= new char[ShortText];
        configKey.CopyTo(0, text, configKey.Length);
        return Short(text.AsSpan(0, configKey.Length), workload);
    }

    private const int ShortText = 2048;

    // Per-thread text buffers for Short: a stackalloc'd buffer is zeroed on every call (the assembly keeps locals
    // initialised), which cleared 4 KB of characters and 1 KB of bytes for every row key.
    [ThreadStatic] private static char[]? t_chars;
    [ThreadStatic] private static byte[]? t_bytes;

    private static string Short(ReadOnlySpan<char> configKey, string workload)
    {
        // UTF-8 takes at most 3 bytes per UTF-16 unit
        int max = 3 * (configKey.Length + SweepRunner.WorkloadSeparator.Length + workload.Length);
        var text = t_bytes is { } known && known.Length >= max ? known : t_bytes = new byte[Math.Max(max, 1024)];
        int n = Encoding.UTF8.GetBytes(configKey, text);
        n += Encoding.UTF8.GetBytes(SweepRunner.WorkloadSeparator, text.AsSpan(n));
        n += Encoding.UTF8.GetBytes(workload, text.AsSpan(n));
        Span<byte> digest = stackalloc byte[32];
        ThreadHash.Sha256(text.AsSpan(0, n), digest);
        return SweepRunner.KeyText(digest);
    }

    // The prefix is what the first two configurations share, cut before a split UTF-16 pair so its UTF-8 bytes are those
    // of the whole string's start.
    private void Learn(string configKey)
    {
        if (_first is null) { _first = configKey; return; }
        int n = configKey.AsSpan().CommonPrefixLength(_first);
        if (n > 0 && char.IsHighSurrogate(configKey[n - 1])) n--;
        if (n < MinPrefix) return;
        _prefix = configKey[..n];
        _prefixState = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        _prefixState.AppendData(Encoding.UTF8.GetBytes(_prefix));
        _first = null;
    }
}
