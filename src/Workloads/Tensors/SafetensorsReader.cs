using System.Buffers.Binary;
using System.Text;
using System.Text.Json;
using Mantissa.Arch;

namespace Mantissa.Workloads.Tensors;

/// <summary>
/// Reads tensors from a <c>.safetensors</c> file: an 8-byte little-endian header length, a JSON header mapping names
/// to {dtype, shape, data_offsets}, then the raw data. Only the requested tensor's bytes are read, in chunks.
/// </summary>
public static class SafetensorsReader
{
    private const long MaxHeaderBytes = 100_000_000; // the format's own limit

    /// <summary>The tensors in the file's header, in data order, and the absolute offset where the data section starts.</summary>
    public static (IReadOnlyList<SafetensorsEntry> Entries, long DataStart) ReadHeader(string path)
    {
        InputFile.RequireRegular(path, "safetensors file");
        long fileLength = new FileInfo(path).Length;
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        Span<byte> lenBytes = stackalloc byte[8];
        if (fs.ReadAtLeast(lenBytes, 8, throwOnEndOfStream: false) < 8)
            throw new MantissaException($"{path}: not a safetensors file: shorter than its 8-byte header length");
        ulong headerLen = BinaryPrimitives.ReadUInt64LittleEndian(lenBytes);
        if (headerLen > MaxHeaderBytes || (long)headerLen > fileLength - 8)
            throw new MantissaException($"{path}: not a safetensors file or truncated: header length {headerLen} but the file has {fileLength} bytes");
        var header = new byte[headerLen];
        fs.ReadExactly(header);
        long dataStart = 8 + (long)headerLen;
        long dataLength = fileLength - dataStart;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(header); }
        catch (JsonException e) { throw new MantissaException($"{path}: safetensors header is not valid JSON: {e.Message}"); }
        var entries = new List<SafetensorsEntry>();
        var names = new HashSet<string>(StringComparer.Ordinal);
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                throw new MantissaException($"{path}: safetensors header must be a JSON object");
            foreach (var p in doc.RootElement.EnumerateObject())
            {
                if (p.Name == "__metadata__") continue;
                if (!names.Add(p.Name)) throw new MantissaException($"{path}: the safetensors header names tensor '{MessageText.Clip(p.Name)}' twice");
                entries.Add(ParseEntry(path, p, dataLength));
            }
        }
        entries.Sort((a, b) => a.Begin.CompareTo(b.Begin));
        return (entries, dataStart);
    }

    /// <summary>
    /// Reads tensor <paramref name="name"/> (null: the largest 2-D tensor, else the largest tensor), at most
    /// <paramref name="maxValues"/> leading values (0: all).
    /// </summary>
    public static FloatTensor Read(string path, string? name = null, int maxValues = 0)
    {
        var (entries, dataStart) = ReadHeader(path);
        if (entries.Count == 0) throw new MantissaException($"{path}: the safetensors file holds no tensors");
        SafetensorsEntry entry;
        if (name is null)
        {
            var twoD = entries.Where(e => e.Shape.Count == 2).ToList();
            var pool = twoD.Count > 0 ? twoD : entries;
            entry = pool.Aggregate((best, e) => e.ElementCount > best.ElementCount ? e : best);
        }
        else
        {
            entry = entries.FirstOrDefault(e => e.Name == name)
                ?? throw new MantissaException($"{path}: no tensor named '{name}'; the file holds: {ListNames(entries)}");
        }
        var dtype = ParseDType(path, entry);
        TensorShape.RequireValues(entry.Shape, $"{path}: tensor '{entry.Name}'");
        long total = entry.ElementCount;
        long take = maxValues > 0 ? Math.Min(total, maxValues) : total;
        if (take > Array.MaxLength)
            throw new MantissaException($"{path}: tensor '{entry.Name}' has {total} values, more than fit in memory at once; pass --count to read a prefix");
        var values = ChunkedTensorReader.Read(path, entry.Name, dataStart + entry.Begin, dtype, (int)take);
        IReadOnlyList<long> shape = take == total ? entry.Shape : PrefixShape(entry.Shape, take);
        return new FloatTensor(entry.Name, shape, values);
    }

    internal static IReadOnlyList<long> PrefixShape(IReadOnlyList<long> shape, long take)
    {
        // A prefix keeps whole rows when it can, so per-channel and per-group layouts stay meaningful.
        long cols = shape.Count == 0 ? 1 : shape[^1];
        return cols > 0 && take % cols == 0 && take >= cols ? new[] { take / cols, cols } : new[] { take };
    }

    private static SafetensorsEntry ParseEntry(string path, JsonProperty p, long dataLength)
    {
        string where = $"{path}: tensor '{p.Name}'";
        var v = p.Value;
        if (v.ValueKind != JsonValueKind.Object) throw new MantissaException($"{where}: header entry must be an object with dtype, shape, data_offsets");
        if (!v.TryGetProperty("dtype", out var dt) || dt.ValueKind != JsonValueKind.String)
            throw new MantissaException($"{where}: header entry has no string 'dtype'");
        if (!v.TryGetProperty("shape", out var sh) || sh.ValueKind != JsonValueKind.Array)
            throw new MantissaException($"{where}: header entry has no 'shape' array");
        if (!v.TryGetProperty("data_offsets", out var off) || off.ValueKind != JsonValueKind.Array || off.GetArrayLength() != 2)
            throw new MantissaException($"{where}: header entry has no 'data_offsets' [begin, end]");
        var shape = new List<long>();
        foreach (var d in sh.EnumerateArray())
        {
            if (d.ValueKind != JsonValueKind.Number || !d.TryGetInt64(out long dim) || dim < 0)
                throw new MantissaException($"{where}: shape entries must be non-negative integers, got {d.GetRawText()}");
            shape.Add(dim);
        }
        long begin = off[0].TryGetInt64(out var b) ? b : -1, end = off[1].TryGetInt64(out var e) ? e : -1;
        if (begin < 0 || end < begin) throw new MantissaException($"{where}: data_offsets [{off[0]}, {off[1]}] are not a valid byte range");
        var entry = new SafetensorsEntry(p.Name, dt.GetString()!, shape, begin, end);
        if (entry.ElementCount < 0)
            throw new MantissaException($"{where}: shape [{string.Join(", ", shape)}] has more elements than any file can hold (the count overflows 64 bits)");
        if (TryDType(entry.DType, out var dtype))
        {
            long expected = TensorShape.Bytes(shape, StoredDTypes.Size(dtype), where);
            if (end - begin != expected)
                throw new MantissaException($"{where}: shape [{string.Join(", ", shape)}] of {entry.DType} needs {expected} bytes but data_offsets span {end - begin}");
        }
        if (end > dataLength)
            throw new MantissaException($"{where}: data_offsets end at byte {end} but the data section has only {dataLength} bytes (file truncated?)");
        return entry;
    }

    private static StoredDType ParseDType(string path, SafetensorsEntry e) =>
        TryDType(e.DType, out var t) ? t
            : throw new MantissaException($"{path}: tensor '{e.Name}' has unsupported dtype '{e.DType}'; supported: F32, F16, BF16, F64");

    private static bool TryDType(string s, out StoredDType t)
    {
        switch (s)
        {
            case "F16": t = StoredDType.F16; return true;
            case "BF16": t = StoredDType.BF16; return true;
            case "F32": t = StoredDType.F32; return true;
            case "F64": t = StoredDType.F64; return true;
            default: t = default; return false;
        }
    }

    private static string ListNames(IReadOnlyList<SafetensorsEntry> entries)
    {
        var sb = new StringBuilder();
        const int Shown = 40;
        foreach (var e in entries.Take(Shown)) sb.Append(sb.Length == 0 ? "" : ", ").Append($"{e.Name} {e.DType}[{string.Join("x", e.Shape)}]");
        if (entries.Count > Shown) sb.Append($", ... ({entries.Count - Shown} more)");
        return sb.ToString();
    }
}
