using System.Globalization;
using System.Text;
using Mantissa.Explorer.Text;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The text of one points.csv line, built straight into a reused character buffer: each metric is formatted into it as
/// <see cref="ResultTable.Format"/> writes it (<c>"R"</c>, invariant culture, by <see cref="RoundTripDouble"/>; NaN is an empty cell), so a line
/// costs no string per number, and a metric column whose value repeats from the last line copies the last text. A line
/// is built only when every cell is plain (<see cref="IsPlain"/>), which the CSV writer writes as it is, or only needs
/// quotes (<see cref="NeedsOnlyQuotes"/>: a comma or quote, such as a swept PE section), which it writes between quotes
/// with each quote doubled: so the line is the writer's, byte for byte; otherwise <see cref="TryBuild"/> says no and
/// the row goes through the writer.
/// Not thread-safe: one per sweep worker thread, which encodes its own rows (<see cref="Encode"/>) outside any lock.
/// </summary>
internal sealed class PointsCsvRows
{
    private char[] _line = new char[1024];
    private int _length;
    // per metric column: the bits of the last value and its text (valid when _lastLength >= 0)
    private long[] _lastBits = [];
    private char[][] _lastText = [];
    private int[] _lastLength = [];
    // per text cell: the last string found plain or quotable there and whether it is quoted (a sweep's rows repeat their
    // workload, status, label and parameter strings, the very objects, so those are not scanned again), and the cell's
    // position in the line
    private string?[] _known = new string?[16];
    private bool[] _quoted = new bool[16];
    private int _cell;

    /// <summary>The line built by the last successful <see cref="TryBuild"/>, with its newline.</summary>
    public ReadOnlySpan<char> Line => _line.AsSpan(0, _length);

    /// <summary>Builds the line of <paramref name="row"/> (laid out as <see cref="ResultSchema.Header"/>); false when a cell needs the CSV writer (a line break, white space at an end, neutralising).</summary>
    public bool TryBuild(ResultRow row)
    {
        if (_lastLength.Length != row.Metrics.Length) Reset(row.Metrics.Length);
        _length = 0;
        _cell = 0;
        Span<char> digits = stackalloc char[16];
        row.Point.TryFormat(digits, out int n, default, CultureInfo.InvariantCulture);
        Append(digits[..n]);
        if (!Text(row.Workload) || !Text(row.Key) || !Text(row.Valid ? "valid" : "invalid") || !Text(row.Reason ?? "")) return false;
        foreach (var p in row.Parameters) if (!Text(p)) return false;
        foreach (var l in row.Labels) if (!Text(l)) return false;
        for (int m = 0; m < row.Metrics.Length; m++) Metric(m, row.Metrics[m]);
        Append("\n");
        return true;
    }

    /// <summary>The row with its line in UTF-8 (a pooled buffer, see <see cref="RowLine.Release"/>), or without one when a cell needs the CSV writer.</summary>
    public RowLine Encode(ResultRow row)
    {
        if (!TryBuild(row)) return RowLine.Without(row);
        var line = Line;
        var bytes = RowLine.Pool.Rent(Encoding.UTF8.GetByteCount(line));
        return new RowLine(row, bytes, Encoding.UTF8.GetBytes(line, bytes));
    }

    /// <summary>
    /// Whether the CSV writer writes <paramref name="cell"/> unchanged and <see cref="CsvCell.Neutralise(string)"/> leaves it
    /// as it is: no delimiter, quote, line break or other control character, no white space at either end, and no leading
    /// character a spreadsheet would evaluate.
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<char> cell) => Classify(cell) == CellKind.Plain;

    /// <summary>
    /// Whether the CSV writer writes <paramref name="cell"/> between quotes, each quote doubled, and nothing else changes
    /// it: it holds a comma or quote, but no line break or other control character, no white space at either end and
    /// no leading character a spreadsheet would evaluate.
    /// </summary>
    public static bool NeedsOnlyQuotes(ReadOnlySpan<char> cell) => Classify(cell) == CellKind.Quoted;

    /// <summary>How the CSV writer writes a text cell: as it is, between quotes only, or otherwise (the writer's job).</summary>
    private enum CellKind { Plain, Quoted, Writer }

    private static CellKind Classify(ReadOnlySpan<char> cell)
    {
        if (cell.Length == 0) return CellKind.Plain;
        if (cell[0] is '=' or '+' or '-' or '@' || char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1])) return CellKind.Writer;
        var kind = CellKind.Plain;
        foreach (char c in cell)
        {
            if (char.IsControl(c)) return CellKind.Writer;
            if (c is ',' or '"') kind = CellKind.Quoted;
        }
        return kind;
    }

    private void Reset(int metrics)
    {
        _lastBits = new long[metrics];
        _lastText = new char[metrics][];
        _lastLength = new int[metrics];
        for (int m = 0; m < metrics; m++) { _lastText[m] = new char[32]; _lastLength[m] = -1; }
    }

    private bool Text(string cell)
    {
        if (_cell == _known.Length)
        {
            Array.Resize(ref _known, 2 * _known.Length);
            Array.Resize(ref _quoted, _known.Length);
        }
        int at = _cell++;
        if (!ReferenceEquals(_known[at], cell))
        {
            var kind = Classify(cell);
            if (kind == CellKind.Writer) return false;
            _quoted[at] = kind == CellKind.Quoted;
            _known[at] = cell;
        }
        Append(",");
        if (_quoted[at]) Quoted(cell);
        else Append(cell);
        return true;
    }

    // the cell between quotes, each quote in it doubled, as the CSV writer writes it
    private void Quoted(ReadOnlySpan<char> cell)
    {
        Append("\"");
        int quote;
        while ((quote = cell.IndexOf('"')) >= 0)
        {
            Append(cell[..(quote + 1)]);
            Append("\"");
            cell = cell[(quote + 1)..];
        }
        Append(cell);
        Append("\"");
    }

    private void Metric(int column, double value)
    {
        Append(",");
        long bits = BitConverter.DoubleToInt64Bits(value);
        // compared by bits: 0.0 and -0.0 print differently, and NaN equals itself here
        if (_lastLength[column] >= 0 && _lastBits[column] == bits)
        {
            Append(_lastText[column].AsSpan(0, _lastLength[column]));
            return;
        }
        if (double.IsNaN(value)) { Remember(column, bits, []); return; }
        Ensure(RoundTripDouble.MaxLength);
        int n;
        while (!RoundTripDouble.TryWrite(value, _line.AsSpan(_length), out n)) Ensure(_line.Length);
        // a number's text needs no quoting, and neutralising leaves a negative one as it is (it parses as a number)
        var text = _line.AsSpan(_length, n);
        _length += n;
        Remember(column, bits, text);
    }

    private void Remember(int column, long bits, ReadOnlySpan<char> text)
    {
        if (_lastText[column].Length < text.Length) _lastText[column] = new char[text.Length];
        text.CopyTo(_lastText[column]);
        _lastLength[column] = text.Length;
        _lastBits[column] = bits;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        Ensure(text.Length);
        text.CopyTo(_line.AsSpan(_length));
        _length += text.Length;
    }

    private void Ensure(int more)
    {
        if (_length + more <= _line.Length) return;
        Array.Resize(ref _line, Math.Max(_line.Length * 2, _length + more));
    }
}
