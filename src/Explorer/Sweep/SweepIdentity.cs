using System.Security.Cryptography;
using System.Text.Json;
using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// Which sweep a results folder belongs to (sweep-id.json, written before the first row): the sweep's name, its
/// file and the SHA-256 of the file's text. A run into a folder of another sweep is refused, so one folder never
/// mixes the rows of two sweeps; the same sweep file, edited to add values, still resumes.
/// </summary>
public sealed record SweepIdentity(string Name, string SweepFile, string SweepSha256)
{
    public const string FileName = "sweep-id.json";

    // built on first use, by Read: a run into a new folder loads no serializer
    internal static JsonSerializerOptions Json => _json ??= new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower, TypeInfoResolver = SweepJsonContext.Default,
    };

    private static JsonSerializerOptions? _json;

    /// <summary>The row-key scheme of the folder's rows (<see cref="RowKeyVersion"/>); null in folders written before it was recorded (version 1).</summary>
    public int? KeyVersion { get; init; }

    /// <summary>The identity of <paramref name="spec"/>: its name, full sweep file path, the file's hash and this build's key version.</summary>
    public static SweepIdentity Of(SweepSpec spec) =>
        new(spec.Name, Path.GetFullPath(spec.SweepFile), HashFile(spec.SweepFile)) { KeyVersion = RowKeyVersion.Current };

    /// <summary>Lower-case hex SHA-256 of a file's bytes.</summary>
    public static string HashFile(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return Convert.ToHexStringLower(SHA256.HashData(fs));
    }

    /// <summary>
    /// Refuses <paramref name="dir"/> when it holds results of another sweep (by its sweep-id.json, else its sweep.json),
    /// or rows with no record of their sweep; otherwise records this identity there.
    /// </summary>
    public void ClaimFolder(string dir)
    {
        var (other, source) = Read(dir);
        if (other is null && HasRows(dir))
            throw new MantissaException($"{dir} holds a points.csv with no record of the sweep that wrote it ({FileName} or {SweepSummary.FileName}); " +
                                        $"give sweep '{Name}' ({SweepFile}) an empty --out folder");
        if (other is not null && !SameSweep(other))
            throw new MantissaException($"{dir} holds results of sweep '{other.Name}' ({other.SweepFile}, per its {source}), not of sweep '{Name}' ({SweepFile}); " +
                                        "resuming would mix the two: use another --out folder");
        if (other is not null && HasRows(dir))
            RowKeyVersion.Require(other.KeyVersion, dir, source, "resumed",
                                  $"give the sweep another --out folder, or delete {SweepRunner.PointsPath(dir)} to evaluate every point again");
        File.WriteAllText(Path.Combine(dir, FileName), ToJson());
    }

    /// <summary>The file's text as the serializer writes it with <see cref="Json"/>'s options, written by hand (no serializer
    /// compiled at run time for a fresh folder).</summary>
    internal string ToJson() =>
        new IndentedJsonWriter().BeginObject()
            .String("name", Name).String("sweep_file", SweepFile).String("sweep_sha256", SweepSha256).Number("key_version", KeyVersion)
            .EndObject().ToString() + "\n";

    private static bool HasRows(string dir) => File.Exists(SweepRunner.PointsPath(dir)) && new FileInfo(SweepRunner.PointsPath(dir)).Length > 0;

    /// <summary>Same sweep: same name and same sweep file (its text may have grown new values since).</summary>
    public bool SameSweep(SweepIdentity other) =>
        other.Name == Name && (other.SweepFile.Length == 0 || other.SweepFile == SweepFile);

    /// <summary>The identity recorded in <paramref name="dir"/>, and the file it came from; null when none.</summary>
    public static (SweepIdentity? Identity, string Source) Read(string dir)
    {
        string id = Path.Combine(dir, FileName);
        if (File.Exists(id))
        {
            try
            {
                return (JsonSerializer.Deserialize<SweepIdentity>(File.ReadAllText(id), Json), FileName);
            }
            catch (JsonException e)
            {
                throw new MantissaException($"{id}: not a valid sweep identity ({e.Message}); delete it only if the folder is yours");
            }
        }
        if (File.Exists(Path.Combine(dir, SweepSummary.FileName)))
        {
            var s = SweepSummary.Load(dir);
            return (new SweepIdentity(s.Name, s.SweepFile is { Length: > 0 } f ? Path.GetFullPath(f) : "", s.SweepSha256 ?? "") { KeyVersion = s.KeyVersion },
                    SweepSummary.FileName);
        }
        return (null, "");
    }
}

/// <summary>
/// sweep.lock: held (an OS file lock, released by the kernel when the process dies, even by kill -9) while a sweep
/// writes a folder, so a second sweep into the same folder is refused instead of interleaving rows.
/// </summary>
public sealed class SweepLock : IDisposable
{
    public const string FileName = "sweep.lock";

    private readonly FileStream _stream;

    private SweepLock(FileStream stream, string? staleOwner)
    {
        _stream = stream;
        StaleOwner = staleOwner;
    }

    /// <summary>What the lock file said when this run found it left behind by a run that no longer holds it (null: none).</summary>
    public string? StaleOwner { get; }

    /// <summary>Takes the lock of <paramref name="dir"/>; throws naming the holder when another live process has it.</summary>
    public static SweepLock Acquire(string dir, string sweepName)
    {
        string path = Path.Combine(dir, FileName);
        FileStream fs;
        try
        {
            // FileShare.None is an exclusive flock(2) on Unix and a share-mode lock on Windows: both end with the process.
            fs = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException) when (File.Exists(path))
        {
            // The holder's pid is inside, but the holder's lock also keeps others from reading it.
            throw new MantissaException($"{dir} is being written by another sweep right now (it holds {path}); " +
                                        "wait for it to finish or use another --out folder");
        }
        string old;
        using (var reader = new StreamReader(fs, leaveOpen: true)) old = reader.ReadToEnd().Trim();
        fs.SetLength(0);
        using (var writer = new StreamWriter(fs, leaveOpen: true))
            writer.Write($"sweep {sweepName}, pid {Environment.ProcessId} on {Environment.MachineName}, started {DateTime.UtcNow:yyyy-MM-ddTHH:mm:ssZ}\n");
        fs.Flush(true);
        return new SweepLock(fs, old.Length > 0 ? MessageText.Clip(old) : null);
    }

    /// <summary>Releases the lock and deletes the file (a crash leaves the file, which the next run takes over).</summary>
    public void Dispose()
    {
        string path = _stream.Name;
        try { File.Delete(path); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        _stream.Dispose();
    }
}
