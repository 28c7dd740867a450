using System.Globalization;
using System.Runtime.ExceptionServices;
using System.Text;
using CsvHelper;
using Mantissa.Arch;

namespace Mantissa.Explorer.Sweep;

/// <summary>Reads and writes points.csv: whole rows only, written to the file within <see cref="FlushInterval"/> of being appended, tolerant of a truncated last line.</summary>
public sealed class PointsCsv : IDisposable
{
    private static readonly CsvWriterOptions WriteOptions = new() { NewLine = "\n", HasHeader = false, FormatProvider = CultureInfo.InvariantCulture };
    private static readonly CsvReaderOptions ReadOptions = new() { HasHeader = false, FormatProvider = CultureInfo.InvariantCulture };
    private readonly StreamWriter _stream;
    private readonly CsvWriter _csv;
    // Rows are buffered, and written to the file by the thread that appends them once FlushInterval has passed since the
    // last write, or by a thread of the writer's own that sleeps FlushInterval between looks (so a finished row does not
    // wait for a slow next point). One write call per row cost a sweep of cheap points ~5 % of its time. Not a
    // thread-pool timer: the pool thread that ran its callback spun for more work afterwards, burning CPU the sweep's
    // workers needed. A process killed outright loses at most the last interval's rows (recomputed on resume; a cut-off
    // last line is dropped by TruncatePartialLine).
    private readonly Thread? _flusher;
    private readonly object _sleep = new();
    private bool _stopping;
    private readonly object _gate = new();
    private bool _dirty, _disposed;
    // what stopped the flush thread (a full disk, a file made read-only): thrown to the next thread that appends rows or
    // disposes the writer, which reports it as any write error (an exception left on the flush thread would end the
    // process with a stack trace)
    private Exception? _flushFailure;
    private long _flushedAt = Environment.TickCount64;
    // Lines the workers encoded (RowLine) are gathered in _bytes and written to the file stream under it; the CSV writer
    // and _stream buffer their own text, so whichever holds text is emptied into the file before the other takes a line.
    private readonly byte[] _bytes = new byte[WriteBufferChars];
    private int _byteCount;
    private bool _csvPending;

    private PointsCsv(StreamWriter stream, bool flushThread)
    {
        _stream = stream;
        _csv = CsvWriter.Create(stream, WriteOptions, leaveOpen: true);
        if (!flushThread) return;
        _flusher = new Thread(FlushLoop) { IsBackground = true, Name = "points.csv flush" };
        _flusher.Start();
    }

    /// <summary>Opens <paramref name="path"/> for appending rows; writes the header when the file is new or empty.</summary>
    public static PointsCsv Append(string path, IReadOnlyList<string> header)
    {
        bool fresh = !File.Exists(path) || new FileInfo(path).Length == 0;
        // one 64 KiB buffer, the writer's: the file stream's own (bufferSize 1: none) would copy every block once more, and
        // the default 1 Ki-char buffer turned a sweep of cheap points into a write call every few rows
        var writer = new PointsCsv(new StreamWriter(new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.Read, bufferSize: 1),
                                                    new UTF8Encoding(false), WriteBufferChars), flushThread: true);
        if (fresh) writer.Write(new[] { header.ToArray() });
        return writer;
    }

    /// <summary>Appends whole rows; they reach the file within <see cref="FlushInterval"/> and when the writer is disposed.</summary>
    public void Write(IEnumerable<string[]> rows)
    {
        lock (_gate)
        {
            ThrowIfFlushFailed();
            WriteBytesOut();
            foreach (var row in rows) _csv.WriteRecord(CsvCell.Neutralise(row));
            _csvPending = true;
            _dirty = true;
            FlushIfDue();
        }
    }

    /// <summary>
    /// Appends the first <paramref name="count"/> of <paramref name="rows"/> laid out as <paramref name="schema"/>, as <see cref="Write(IEnumerable{string[]})"/>
    /// writes their <see cref="ResultSchema.ToCells"/>, byte for byte: a row with its line (<see cref="PointsCsvRows.Encode"/>,
    /// done by the worker that finished it, outside any lock) is copied as those bytes, whose buffer goes back to the
    /// pool; a row without one goes through the CSV writer.
    /// </summary>
    internal void Write(RowLine[] rows, int count, ResultSchema schema)
    {
        lock (_gate)
        {
            ThrowIfFlushFailed();
            for (int r = 0; r < count; r++)
            {
                ref readonly var line = ref rows[r];
                if (line.Bytes is null)
                {
                    WriteBytesOut();
                    _csv.WriteRecord(CsvCell.Neutralise(schema.ToCells(line.Row)));
                    _csvPending = true;
                    continue;
                }
                if (_csvPending) { _csv.Flush(); _stream.Flush(); _csvPending = false; } // the writer's lines go first
                if (_byteCount + line.Length > _bytes.Length) WriteBytesOut();
                if (line.Length > _bytes.Length) _stream.BaseStream.Write(line.Bytes, 0, line.Length);
                else
                {
                    Buffer.BlockCopy(line.Bytes, 0, _bytes, _byteCount, line.Length);
                    _byteCount += line.Length;
                }
                line.Release();
            }
            _dirty = true;
            FlushIfDue();
        }
    }

    // the gathered lines into the file stream (which keeps no buffer of its own)
    private void WriteBytesOut()
    {
        if (_byteCount == 0) return;
        _stream.BaseStream.Write(_bytes, 0, _byteCount);
        _byteCount = 0;
    }

    private const int WriteBufferChars = 1 << 16;

    /// <summary>How long finished rows may wait in memory before they are written to the file.</summary>
    public static readonly TimeSpan FlushInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Whether the flush thread is running (it stops when the writer is disposed).</summary>
    internal bool FlushThreadRunning => _flusher is { IsAlive: true };

    // under the lock, by the appending thread: the rows go out once the interval has passed, no other thread woken
    private void FlushIfDue()
    {
        if (Environment.TickCount64 - _flushedAt >= (long)FlushInterval.TotalMilliseconds) FlushLocked();
    }

    private void FlushLocked()
    {
        // at most one of them holds rows: each is emptied before the other takes one
        _csv.Flush();
        _stream.Flush();
        _csvPending = false;
        WriteBytesOut();
        _dirty = false;
        _flushedAt = Environment.TickCount64;
    }

    // the flush thread: sleeps (Monitor.Wait blocks, it does not spin) and writes rows the appending thread left waiting
    private void FlushLoop()
    {
        while (true)
        {
            lock (_sleep)
            {
                if (_stopping) return;
                Monitor.Wait(_sleep, FlushInterval);
                if (_stopping) return;
            }
            lock (_gate)
            {
                if (!_dirty || _disposed) continue;
                try { FlushLocked(); }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    _flushFailure = e;
                    return;
                }
            }
        }
    }

    /// <summary>Stops the flush thread and writes every row appended so far to the file.</summary>
    public void Dispose()
    {
        if (_flusher is not null)
        {
            lock (_sleep)
            {
                _stopping = true;
                Monitor.PulseAll(_sleep);
            }
            _flusher.Join();
        }
        lock (_gate)
        {
            if (_disposed) return;
            _disposed = true;
            try
            {
                ThrowIfFlushFailed();
                FlushLocked();
            }
            finally
            {
                // the file is closed even when rows could not be written (a resume recomputes what did not reach it);
                // the writers' own flush of those rows would only fail again
                try { _csv.Dispose(); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
                try { _stream.Dispose(); } catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
            }
        }
    }

    // under the lock: the flush thread's failure, thrown where the sweep reports write errors
    private void ThrowIfFlushFailed()
    {
        if (_flushFailure is { } e) ExceptionDispatchInfo.Throw(e);
    }

    /// <summary>Reads a results file. A last line cut off by an interruption is removed from the file when <paramref name="repair"/> is set.</summary>
    public static ResultTable Read(string path, bool repair, out int droppedRows)
    {
        droppedRows = 0;
        if (!File.Exists(path)) throw new MantissaException($"results file '{path}' not found");
        if (repair) droppedRows += TruncatePartialLine(path);
        var rows = new List<string[]>();
        string[]? header = null;
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = CsvReader.Create(reader, ReadOptions);
        int line = 0;
        while (csv.Read())
        {
            line++;
            var record = new string[csv.FieldCount];
            for (int i = 0; i < record.Length; i++) record[i] = csv.GetString(i);
            if (header is null) { header = record; continue; }
            if (record.Length != header.Length)
            {
                if (!repair) throw new MantissaException($"{path}: record {line} has {record.Length} fields, the header has {header.Length}");
                droppedRows++;
                continue;
            }
            rows.Add(record);
        }
        if (header is null) throw new MantissaException($"{path}: empty file (no header line)");
        return new ResultTable(header, rows, path);
    }

    /// <summary>The header of a results file.</summary>
    public static IReadOnlyList<string> ReadHeader(string path)
    {
        using var reader = new StreamReader(path, Encoding.UTF8);
        using var csv = CsvReader.Create(reader, ReadOptions);
        if (!csv.Read()) throw new MantissaException($"{path}: empty file (no header line)");
        var header = new string[csv.FieldCount];
        for (int i = 0; i < header.Length; i++) header[i] = csv.GetString(i);
        return header;
    }

    /// <summary>The cells of one record's text.</summary>
    public static string[] ParseRecord(string record)
    {
        using var csv = CsvReader.Create(new StringReader(record), ReadOptions);
        if (!csv.Read()) return Array.Empty<string>();
        var cells = new string[csv.FieldCount];
        for (int i = 0; i < cells.Length; i++) cells[i] = csv.GetString(i);
        return cells;
    }

    /// <summary>Removes an incomplete final line (no trailing newline); returns 1 if one was removed.</summary>
    public static int TruncatePartialLine(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.ReadWrite);
        if (fs.Length == 0) return 0;
        fs.Seek(-1, SeekOrigin.End);
        if (fs.ReadByte() == '\n') return 0;
        long pos = fs.Length - 1;
        var buffer = new byte[4096];
        while (pos > 0)
        {
            int n = (int)Math.Min(buffer.Length, pos);
            fs.Seek(pos - n, SeekOrigin.Begin);
            fs.ReadExactly(buffer, 0, n);
            int nl = Array.LastIndexOf(buffer, (byte)'\n', n - 1);
            if (nl >= 0) { fs.SetLength(pos - n + nl + 1); return 1; }
            pos -= n;
        }
        fs.SetLength(0);
        return 1;
    }

    /// <summary>Writes a whole table atomically (temporary file, then rename).</summary>
    public static void WriteAll(string path, IReadOnlyList<string> header, IEnumerable<string[]> rows)
    {
        string tmp = path + ".tmp";
        using (var w = new PointsCsv(new StreamWriter(tmp, false, new UTF8Encoding(false)), flushThread: false))
        {
            w.Write(new[] { header.ToArray() });
            w.Write(rows);
        }
        File.Move(tmp, path, overwrite: true);
    }
}
