using System.Security.Cryptography;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// SHA-256 of short texts through one reused hash object per thread: a one-shot <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/>
/// sets up a new native context per call, which costs more than hashing the few hundred bytes of a key.
/// </summary>
internal static class ThreadHash
{
    [ThreadStatic] private static IncrementalHash? t_sha256;

    /// <summary>Writes the SHA-256 of <paramref name="data"/> to <paramref name="digest"/> (32 bytes).</summary>
    public static void Sha256(ReadOnlySpan<byte> data, Span<byte> digest)
    {
        var h = t_sha256 ??= IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        h.AppendData(data);
        h.GetHashAndReset(digest);
    }
}
