using System.Globalization;
using System.Text;
using Mantissa.Arch;
using Microsoft.Win32.SafeHandles;

namespace Mantissa.Explorer.Sweep;

/// <summary>A text column stored as codes: <see cref="Levels"/> in order of first appearance, one code per row.</summary>
public sealed class LabelColumn
{
    public LabelColumn(int[] codes, IReadOnlyList<string> levels)
    {
        Codes = codes;
        Levels = levels;
    }

    public int[] Codes { get; }
    public IReadOnlyList<string> Levels { get; }

    public string this[int row] => Levels[Codes[row]];
}

/// <summary>
/// Chosen columns of a results file as typed arrays — numbers as doubles (an empty or non-numeric cell is NaN, as
/// <see cref="ResultTable.Number"/>), text as <see cref="LabelColumn"/> codes — plus where each row lies, so a whole
/// row is read back only when it is shown. Read from points.csv in one streaming pass (about 40 bytes per row for
/// a sweep's report, instead of every cell as a string), or taken from a table already in memory.
/// </summary>
public sealed class PointsColumns : IDisposable
{
    private readonly ResultTable _schema;
    private readonly Dictionary<int, double[]> _numbers;
    private readonly Dictionary<int, LabelColumn> _labels;
    private readonly RecordSpan[]? _spans;
    private readonly IReadOnlyList<string[]>? _rows;
    private readonly string? _path;
    private SafeFileHandle? _file;
    private readonly int _status, _validCode;

    private PointsColumns(IReadOnlyList<string> header, string source, int count, Dictionary<int, double[]> numbers, Dictionary<int, LabelColumn> labels,
                          RecordSpan[]? spans, IReadOnlyList<string[]>? rows, string? path)
    {
        _schema = new ResultTable(header, Array.Empty<string[]>(), source);
        Count = count;
        _numbers = numbers;
        _labels = labels;
        _spans = spans;
        _rows = rows;
        _path = path;
        _status = _schema.Has("status") ? _schema.Column("status") : -1;
        _validCode = -1;
        if (_status >= 0)
        {
            if (!_labels.ContainsKey(_status)) throw new InvalidOperationException("the status column must be read as labels");
            for (int i = 0; i < _labels[_status].Levels.Count; i++)
                if (_labels[_status].Levels[i] == "valid") _validCode = i;
        }
    }

    public IReadOnlyList<string> Header => _schema.Header;
    public string Source => _schema.Source;

    /// <summary>Rows read (after the header).</summary>
    public int Count { get; }

    public bool Has(string column) => _schema.Has(column);

    /// <summary>The index of <paramref name="column"/>; an error naming the nearest column if absent (as <see cref="ResultTable.Column"/>).</summary>
    public int Column(string column) => _schema.Column(column);

    /// <summary>The values of a numeric column asked for when reading.</summary>
    public double[] Numbers(string column) =>
        _numbers.TryGetValue(Column(column), out var v) ? v : throw new InvalidOperationException($"column '{column}' was not read as numbers");

    /// <summary>The codes of a text column asked for when reading.</summary>
    public LabelColumn Labels(string column) =>
        _labels.TryGetValue(Column(column), out var v) ? v : throw new InvalidOperationException($"column '{column}' was not read as labels");

    /// <summary>Whether a column was read as labels.</summary>
    public bool HasLabels(int column) => _labels.ContainsKey(column);

    public LabelColumn Labels(int column) => _labels[column];

    /// <summary>True for rows whose status is <c>valid</c> (all rows when there is no status column).</summary>
    public bool IsValid(int row) => _status < 0 || _labels[_status].Codes[row] == _validCode;

    /// <summary>Every cell of one row, read back from the file (or the table) it came from.</summary>
    public string[] Row(int row)
    {
        if (_rows is not null) return _rows[row];
        _file ??= File.OpenHandle(_path!, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
        var cells = PointsCsv.ParseRecord(CsvRecords.Read(_file, _spans![row]));
        return cells;
    }

    public void Dispose() => _file?.Dispose();

    /// <summary>The chosen columns of rows held in memory (names that are not columns are skipped).</summary>
    public static PointsColumns Of(ResultTable table, IEnumerable<string> numeric, IEnumerable<string> labels)
    {
        var (num, lab) = Resolve(table, numeric, labels);
        var numbers = num.ToDictionary(c => c, c => table.Rows.Select(r => ResultTable.Number(r[c])).ToArray());
        var codes = lab.ToDictionary(c => c, c =>
        {
            var levels = new Dictionary<string, int>(StringComparer.Ordinal);
            var list = new List<string>();
            var col = table.Rows.Select(r =>
            {
                if (!levels.TryGetValue(r[c], out int k)) { levels[r[c]] = k = list.Count; list.Add(r[c]); }
                return k;
            }).ToArray();
            return new LabelColumn(col, list);
        });
        return new PointsColumns(table.Header, table.Source, table.Rows.Count, numbers, codes, null, table.Rows, null);
    }

    /// <summary>
    /// Reads the chosen columns of a results file in one pass. Errors as <see cref="PointsCsv.Read"/> without repair:
    /// a record whose number of fields differs from the header's names the file and record.
    /// </summary>
    public static PointsColumns Read(string path, IEnumerable<string> numeric, IEnumerable<string> labels)
    {
        if (!File.Exists(path)) throw new MantissaException($"results file '{path}' not found");
        var header = PointsCsv.ReadHeader(path);
        var schema = new ResultTable(header, Array.Empty<string[]>(), path);
        var (num, lab) = Resolve(schema, numeric, labels);
        // what each field of a record feeds: 0 nothing, 1 a number column, 2 a label column (slot = index in its list)
        var role = new byte[header.Count];
        var slot = new int[header.Count];
        // sized once from the number of line ends (one per record unless a quoted cell holds a newline), so the columns
        // are never regrown and copied
        int capacity = RecordsAtMost(path);
        var numberCols = num.Select(c => new double[capacity]).ToArray();
        var labelCols = lab.Select(c => new int[capacity]).ToArray();
        var spans = new RecordSpan[capacity];
        var levelMaps = lab.Select(c => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        var levelLists = lab.Select(c => new List<string>()).ToArray();
        for (int k = 0; k < num.Count; k++) { role[num[k]] = 1; slot[num[k]] = k; }
        for (int k = 0; k < lab.Count; k++) { role[lab[k]] = 2; slot[lab[k]] = k; }
        int lastRead = num.Concat(lab).DefaultIfEmpty(-1).Max();
        var lookups = levelMaps.Select(m => m.GetAlternateLookup<ReadOnlySpan<char>>()).ToArray();
        var chars = new char[256];
        var unquoted = new byte[256];
        int recordNo = 0;
        int count = 0;
        foreach (var (span, segment) in Records(path))
        {
            var record = segment.AsSpan();
            recordNo++;
            if (count == capacity) throw new IOException($"{path} grew while it was being read");
            // fields split by a vectorised search for the next comma or quote; past the last field read, the rest are
            // only counted (for the field-count check)
            int fields = 0, start = 0;
            while (true)
            {
                if (fields > lastRead)
                {
                    var rest = record[start..];
                    if (rest.IndexOf((byte)'"') < 0) { fields += rest.Count((byte)',') + 1; break; }
                }
                var tail = record[start..];
                int end = tail.IndexOfAny((byte)',', (byte)'"');
                bool hasQuote = end >= 0 && tail[end] == '"';
                if (hasQuote)
                {
                    bool quoted = false;
                    end = start;
                    for (; end < record.Length; end++)
                    {
                        byte b = record[end];
                        if (b == '"') quoted = !quoted;
                        else if (!quoted && b == ',') break;
                    }
                }
                else end = end < 0 ? record.Length : start + end;
                if (fields < header.Count && role[fields] != 0)
                {
                    ReadOnlySpan<byte> cell = record[start..end];
                    if (hasQuote)
                    {
                        int len = Unquote(cell, ref unquoted);
                        cell = unquoted.AsSpan(0, len);
                    }
                    int s = slot[fields];
                    if (role[fields] == 1)
                        numberCols[s][count] = cell.Length > 0 && double.TryParse(cell, NumberStyles.Float, CultureInfo.InvariantCulture, out var v) ? v : double.NaN;
                    else
                    {
                        if (chars.Length < cell.Length) chars = new char[cell.Length * 2];
                        int n = Encoding.UTF8.GetChars(cell, chars);
                        var text = chars.AsSpan(0, n);
                        if (!lookups[s].TryGetValue(text, out int code))
                        {
                            code = levelLists[s].Count;
                            string str = text.ToString();
                            levelMaps[s][str] = code;
                            levelLists[s].Add(str);
                        }
                        labelCols[s][count] = code;
                    }
                }
                fields++;
                if (end >= record.Length) break;
                start = end + 1;
            }
            if (fields != header.Count)
                throw new MantissaException($"{path}: record {recordNo + 1} has {fields} fields, the header has {header.Count}");
            spans[count++] = span;
        }
        if (count < capacity)
        {
            Array.Resize(ref spans, count);
            for (int k = 0; k < num.Count; k++) Array.Resize(ref numberCols[k], count);
            for (int k = 0; k < lab.Count; k++) Array.Resize(ref labelCols[k], count);
        }
        var numbers = new Dictionary<int, double[]>();
        for (int k = 0; k < num.Count; k++) numbers[num[k]] = numberCols[k];
        var codes = new Dictionary<int, LabelColumn>();
        for (int k = 0; k < lab.Count; k++) codes[lab[k]] = new LabelColumn(labelCols[k], levelLists[k]);
        return new PointsColumns(header, path, count, numbers, codes, spans, null, path);
    }

    /// <summary>An upper bound on the records after the header: line ends, less the header's, plus an unterminated last line.</summary>
    private static int RecordsAtMost(string path)
    {
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var buffer = new byte[1 << 16];
        long lines = 0;
        int n;
        byte last = (byte)'\n';
        while ((n = fs.Read(buffer, 0, buffer.Length)) > 0)
        {
            lines += buffer.AsSpan(0, n).Count((byte)'\n');
            last = buffer[n - 1];
        }
        if (last != '\n') lines++;
        return (int)Math.Min(int.MaxValue - 1, Math.Max(0, lines - 1));
    }

    private static (List<int> numeric, List<int> labels) Resolve(ResultTable schema, IEnumerable<string> numeric, IEnumerable<string> labels)
    {
        var num = numeric.Where(schema.Has).Select(schema.Column).Distinct().ToList();
        var lab = labels.Append("status").Where(schema.Has).Select(schema.Column).Distinct().ToList();
        return (num, lab);
    }

    // "a""b" → a"b: the text between the quotes with doubled quotes made single (and any unquoted text kept)
    private static int Unquote(ReadOnlySpan<byte> cell, ref byte[] buffer)
    {
        if (buffer.Length < cell.Length) buffer = new byte[cell.Length * 2];
        int n = 0;
        bool quoted = false;
        for (int i = 0; i < cell.Length; i++)
        {
            byte b = cell[i];
            if (b == '"')
            {
                if (quoted && i + 1 < cell.Length && cell[i + 1] == '"') { buffer[n++] = (byte)'"'; i++; }
                else quoted = !quoted;
            }
            else buffer[n++] = b;
        }
        return n;
    }

    /// <summary>
    /// The records after the header with their spans, as bytes without the line end (a newline inside quotes belongs to
    /// the record; "\r\n" ends a line too). Blank lines are skipped; a last record without a newline is still read.
    /// </summary>
    private static IEnumerable<(RecordSpan Span, ArraySegment<byte> Record)> Records(string path)
    {
        // the segment views a reused buffer: valid until the next record is asked for. A record inside the read buffer
        // is handed out in place; only one that straddles two reads is copied.
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite, 1);
        var buffer = new byte[1 << 16];
        var record = new MemoryStream();
        long bufferAt = 0, start = 0;
        bool quoted = false, header = true;
        int n;
        while ((n = fs.Read(buffer, 0, buffer.Length)) > 0)
        {
            int from = 0, i = 0;
            while (i < n)
            {
                int k = buffer.AsSpan(i, n - i).IndexOfAny((byte)'"', (byte)'\n');
                if (k < 0) break;
                i += k;
                if (buffer[i] == '"') quoted = !quoted;
                else if (!quoted)
                {
                    ArraySegment<byte> bytes;
                    if (record.Length == 0) bytes = new ArraySegment<byte>(buffer, from, i - from);
                    else
                    {
                        record.Write(buffer, from, i - from);
                        bytes = new ArraySegment<byte>(record.GetBuffer(), 0, (int)record.Length);
                        record.SetLength(0);
                    }
                    from = i + 1;
                    var item = Finish(bytes, start, header);
                    header = false;
                    start = bufferAt + i + 1;
                    if (item is { } r) yield return r;
                }
                i++;
            }
            record.Write(buffer, from, n - from);
            bufferAt += n;
        }
        if (Finish(new ArraySegment<byte>(record.GetBuffer(), 0, (int)record.Length), start, header) is { } last) yield return last;
    }

    private static (RecordSpan, ArraySegment<byte>)? Finish(ArraySegment<byte> bytes, long start, bool header)
    {
        int end = bytes.Count > 0 && bytes[bytes.Count - 1] == '\r' ? bytes.Count - 1 : bytes.Count;
        if (header || end == 0) return null;
        return (new RecordSpan(start, end), bytes[..end]);
    }
}
