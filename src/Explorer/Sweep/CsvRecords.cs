using System.Security.Cryptography;
using System.Text;
using Microsoft.Win32.SafeHandles;

namespace Mantissa.Explorer.Sweep;

/// <summary>Where one CSV record lies in its file: byte offset and length, without the closing newline.</summary>
public readonly record struct RecordSpan(long Offset, int Length);

/// <summary>
/// Streams the records of points.csv with their byte spans (a quoted cell may hold a newline, so a record ends at a
/// newline outside quotes), reads one record back by its span, and reduces a row key to 16 bytes — so a sweep can
/// index a results file of any size without holding its rows.
/// </summary>
public static class CsvRecords
{
    /// <summary>Every record after the header, in file order, with its number of fields; records must end in a newline.</summary>
    public static IEnumerable<(RecordSpan Span, int Fields)> Scan(string path, long from = 0)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1 << 16);
        var buffer = new byte[1 << 16];
        long pos = 0, start = 0;
        bool quoted = false, header = from == 0;
        int fields = 1;
        if (from > 0) { fs.Seek(from, SeekOrigin.Begin); pos = start = from; }
        int n;
        while ((n = fs.Read(buffer, 0, buffer.Length)) > 0)
        {
            for (int i = 0; i < n; i++, pos++)
            {
                byte b = buffer[i];
                if (b == '"') quoted = !quoted;
                else if (!quoted && b == ',') fields++;
                else if (!quoted && b == '\n')
                {
                    if (!header) yield return (new RecordSpan(start, (int)(pos - start)), fields);
                    header = false;
                    start = pos + 1;
                    fields = 1;
                }
            }
        }
    }

    /// <summary>The byte offset just past the header line (0 for an empty file).</summary>
    public static long HeaderEnd(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        int b;
        bool quoted = false;
        while ((b = fs.ReadByte()) >= 0)
        {
            if (b == '"') quoted = !quoted;
            else if (b == '\n' && !quoted) return fs.Position;
        }
        return 0;
    }

    /// <summary>The text of the record at <paramref name="span"/> (thread-safe: positional reads).</summary>
    public static string Read(SafeFileHandle file, RecordSpan span)
    {
        var bytes = span.Length <= 4096 ? stackalloc byte[span.Length] : new byte[span.Length];
        int got = 0;
        while (got < bytes.Length)
        {
            int n = RandomAccess.Read(file, bytes[got..], span.Offset + got);
            if (n == 0) throw new IOException("results file shrank while it was being read");
            got += n;
        }
        return Encoding.UTF8.GetString(bytes);
    }

    /// <summary>The cell before the first comma (the point index, which is never quoted) and the rest of the record after it.</summary>
    public static (string First, string Tail) SplitFirst(string record)
    {
        int comma = record.IndexOf(',');
        return comma < 0 ? (record, "") : (record[..comma], record[comma..]);
    }

    /// <summary>The <paramref name="n"/>th field (0-based) of a record, unquoted.</summary>
    public static string Field(string record, int n)
    {
        int field = 0, i = 0;
        var sb = new StringBuilder();
        bool quoted = false;
        for (; i < record.Length; i++)
        {
            char c = record[i];
            if (quoted)
            {
                if (c == '"')
                {
                    if (i + 1 < record.Length && record[i + 1] == '"') { if (field == n) sb.Append('"'); i++; }
                    else quoted = false;
                }
                else if (field == n) sb.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == ',') { if (field == n) return sb.ToString(); field++; }
            else if (field == n) sb.Append(c);
        }
        return field == n ? sb.ToString() : "";
    }

    /// <summary>A row key as 16 bytes: the 24 hex digits sweeps write, or a hash of any other text.</summary>
    public static UInt128 KeyId(string key)
    {
        if (key.Length == 24 && TryHex(key, out var id)) return id;
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(key));
        return BitConverter.ToUInt128(hash, 0) | ((UInt128)1 << 127); // above every 96-bit hex key
    }

    // The value of hex digits (either case), as UInt128.TryParse with AllowHexSpecifier reads them, without its generic
    // parser: the runner reduces every row's key on the per-point path.
    private static bool TryHex(string digits, out UInt128 value)
    {
        ulong high = 0, low = 0;
        foreach (char c in digits)
        {
            int d = HexDigit(c);
            if (d < 0) { value = 0; return false; }
            high = high << 4 | low >> 60;
            low = low << 4 | (uint)d;
        }
        value = new UInt128(high, low);
        return true;
    }

    private static int HexDigit(char c) => c switch
    {
        >= '0' and <= '9' => c - '0',
        >= 'a' and <= 'f' => c - 'a' + 10,
        >= 'A' and <= 'F' => c - 'A' + 10,
        _ => -1,
    };
}
