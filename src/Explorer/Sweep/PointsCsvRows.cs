using System.Globalization;
using Mantissa.Explorer.Text;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The text of one points.csv line, built straight into a reused character buffer: each metric is formatted into it as
/// <see cref="ResultTable.Format"/> writes it (<c>"R"</c>, invariant culture, by <see cref="RoundTripDouble"/>; NaN is an empty cell), so a line
/// costs no string per number, and a metric column whose value repeats from the last line copies the last text. A line
/// is built only when every cell is plain (<see cref="IsPlain"/>): the CSV writer writes such a cell as it is, so the
/// line is the writer's, byte for byte; otherwise <see cref="TryBuild"/> says no and the row goes through the writer.
/// Not thread-safe: one per <see cref="PointsCsv"/>, used under its lock.
/// </summary>
internal sealed class PointsCsvRows
{
    private char[] _line = new char[1024];
    private int _length;
    // per metric column: the bits of the last value and its text (valid when _lastLength >= 0)
    private long[] _lastBits = [];
    private char[][] _lastText = [];
    private int[] _lastLength = [];
    // per text cell: the last string found plain there (a sweep's rows repeat their workload, status, label and most
    // parameter strings, the very objects, so those are not scanned again), and the cell's position in the line
    private string?[] _plain = new string?[16];
    private int _cell;

    /// <summary>The line built by the last successful <see cref="TryBuild"/>, with its newline.</summary>
    public ReadOnlySpan<char> Line => _line.AsSpan(0, _length);

    /// <summary>Builds the line of <paramref name="row"/> (laid out as <see cref="ResultSchema.Header"/>); false when a cell needs the CSV writer (quoting, neutralising).</summary>
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

    /// <summary>
    /// Whether the CSV writer writes <paramref name="cell"/> unchanged and <see cref="CsvCell.Neutralise(string)"/> leaves it
    /// as it is: no delimiter, quote, line break or other control character, no white space at either end, and no leading
    /// character a spreadsheet would evaluate.
    /// </summary>
    public static bool IsPlain(ReadOnlySpan<char> cell)
    {
        if (cell.Length == 0) return true;
        if (cell[0] is '=' or '+' or '-' or '@' || char.IsWhiteSpace(cell[0]) || char.IsWhiteSpace(cell[^1])) return false;
        foreach (char c in cell)
            if (c is ',' or '"' || char.IsControl(c)) return false;
        return true;
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
        if (_cell == _plain.Length) Array.Resize(ref _plain, 2 * _plain.Length);
        ref var known = ref _plain[_cell++];
        if (!ReferenceEquals(known, cell))
        {
            if (!IsPlain(cell)) return false;
            known = cell;
        }
        Append(",");
        Append(cell);
        return true;
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
