namespace Mantissa.Workloads.Quantization;

/// <summary>
/// A small table of representable values in scale units (e.g. a BitMoD data type), with nearest-value rounding
/// where a tie goes to the lower value, as BitMoD's reference quantizer does (argmin picks the first index).
/// </summary>
public sealed class ValueTable
{
    private readonly double[] _values;
    private readonly double[] _mids;

    public ValueTable(string name, IEnumerable<double> values)
    {
        Name = name;
        _values = values.Distinct().OrderBy(v => v).ToArray();
        if (_values.Length < 2) throw new ArgumentException($"value table '{name}' needs at least two values");
        _mids = new double[_values.Length - 1];
        for (int i = 0; i < _mids.Length; i++) _mids[i] = (_values[i] + _values[i + 1]) / 2;
        MaxAbs = Math.Max(Math.Abs(_values[0]), Math.Abs(_values[^1]));
    }

    public string Name { get; }
    public IReadOnlyList<double> Values => _values;

    /// <summary>Largest magnitude in the table; absmax scaling maps max|x| onto it.</summary>
    public double MaxAbs { get; }

    /// <summary>The nearest table value; exactly halfway goes to the lower one.</summary>
    public double Nearest(double x)
    {
        // Upper half of a tie is chosen only when x is strictly above the midpoint.
        int lo = 0, hi = _mids.Length;
        while (lo < hi)
        {
            int m = (lo + hi) >> 1;
            if (x > _mids[m]) lo = m + 1; else hi = m;
        }
        return _values[lo];
    }
}
