using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Mantissa.Arch.Numerics;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Quantization errors of synthetic tensors memoised on disk, so a short process (a sweep's quant_sqnr_db / quant_mse
/// columns) does not draw a 2^20-value tensor and quantize it again each run. An entry is found only by the same key
/// computed by the same code: its file name hashes the normalised <see cref="QuantKey"/>, the module version ids of the
/// assemblies that compute it (a deterministic build gives every code change a new one) and the runtime version. The
/// numbers are stored as their exact bits. File sources are never stored (a file can change under the same name).
/// A missing, unreadable or unwritable folder only means computing; a damaged entry is recomputed and rewritten.
/// </summary>
/// <remarks>The folder: <c>MANTISSA_CACHE_DIR</c> (the value <c>off</c> turns the store off), else
/// <c>$XDG_CACHE_HOME/mantissa</c>, else <c>~/.cache/mantissa</c>; entries go to its <c>quant</c> subfolder.</remarks>
public sealed class QuantDiskStore
{
    private const string Header = "mantissa quant-error 1";
    private static readonly string CodeIdentity = string.Join('|',
        typeof(QuantDiskStore).Assembly.ManifestModule.ModuleVersionId, typeof(NumberFormat).Assembly.ManifestModule.ModuleVersionId,
        Environment.Version);

    private readonly string? _dir;

    /// <param name="dir">The folder entries are kept in; null turns the store off.</param>
    public QuantDiskStore(string? dir) => _dir = dir;

    /// <summary>The store in the user's cache folder (see remarks), or an off store when there is none.</summary>
    public static QuantDiskStore Default { get; } = new(DefaultDirectory());

    /// <summary>The folder entries are kept in; null when the store is off.</summary>
    public string? Directory => _dir;

    private static string? DefaultDirectory()
    {
        string? env = Environment.GetEnvironmentVariable("MANTISSA_CACHE_DIR");
        if (env is { Length: > 0 }) return env == "off" ? null : Path.Combine(env, "quant");
        string? xdg = Environment.GetEnvironmentVariable("XDG_CACHE_HOME");
        if (xdg is { Length: > 0 } && Path.IsPathRooted(xdg)) return Path.Combine(xdg, "mantissa", "quant");
        string home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        return home.Length > 0 ? Path.Combine(home, ".cache", "mantissa", "quant") : null;
    }

    /// <summary>True when <paramref name="key"/> names a tensor that can be stored (a synthetic source).</summary>
    public bool Covers(QuantKey key) => _dir is not null && SyntheticTensorSpec.Names.ContainsKey(key.Source);

    /// <summary>The stored bits/element and error of <paramref name="key"/> (normalised), or null when absent or damaged.</summary>
    public (double BitsPerElement, QuantError Error)? TryRead(QuantKey key)
    {
        if (!Covers(key)) return null;
        try
        {
            string path = PathOf(key);
            if (!File.Exists(path)) return null;
            var lines = File.ReadAllLines(path);
            if (lines.Length != 3 || lines[0] != Header || lines[1] != Describe(key)) return null;
            var v = lines[2].Split(' ');
            if (v.Length != 4) return null;
            var d = new double[4];
            for (int i = 0; i < 4; i++)
                if (!ulong.TryParse(v[i], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var bits)) return null;
                else d[i] = BitConverter.UInt64BitsToDouble(bits);
            return (d[0], new QuantError(d[1], d[2], d[3]));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Stores <paramref name="report"/> for <paramref name="key"/> (normalised); failures to write are ignored.</summary>
    public void Write(QuantKey key, QuantReport report)
    {
        if (!Covers(key)) return;
        string path = PathOf(key), tmp = $"{path}.{Environment.ProcessId}.{Environment.CurrentManagedThreadId}.tmp";
        try
        {
            System.IO.Directory.CreateDirectory(_dir!);
            var e = report.Error;
            string bits = string.Join(' ', new[] { report.BitsPerElement, e.Mse, e.SqnrDb, e.MaxAbsError }
                .Select(x => BitConverter.DoubleToUInt64Bits(x).ToString("x16", CultureInfo.InvariantCulture)));
            File.WriteAllText(tmp, $"{Header}\n{Describe(key)}\n{bits}\n");
            File.Move(tmp, path, overwrite: true); // readers see the whole entry or none
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            try { File.Delete(tmp); } catch (Exception ex2) when (ex2 is IOException or UnauthorizedAccessException) { }
        }
    }

    // the key and code identity in full (checked on read, so a hash collision cannot serve another key)
    private static string Describe(QuantKey k) =>
        string.Join('|', k.Format, k.Source.ToLowerInvariant(), k.Group, k.Recipe ?? "-", k.Seed, k.Count, k.Granularity ?? "-", k.ScaleFormat ?? "-", CodeIdentity);

    private string PathOf(QuantKey key) =>
        Path.Combine(_dir!, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Describe(key))))[..32] + ".txt");
}
