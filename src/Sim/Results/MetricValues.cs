namespace Mantissa.Sim.Results;

/// <summary>One value per <see cref="Metric"/>, NaN where the metric is not reported (tokens/s of a CNN, FPGA fit of an ASIC).</summary>
public readonly struct MetricValues
{
    private readonly double[] _values;

    private MetricValues(double[] values) => _values = values;

    /// <summary>Values with nothing reported.</summary>
    public static MetricValues Empty() => new(Filled());

    /// <summary>Values from a per-metric array (indexed by <see cref="Metric"/>; copied).</summary>
    public static MetricValues From(ReadOnlySpan<double> values)
    {
        if (values.Length != MetricCatalog.Count) throw new ArgumentException($"expected {MetricCatalog.Count} values, got {values.Length}");
        return new MetricValues(values.ToArray());
    }

    private static double[] Filled()
    {
        var v = new double[MetricCatalog.Count];
        Array.Fill(v, double.NaN);
        return v;
    }

    public double this[Metric m] => _values is null ? double.NaN : _values[(int)m];

    /// <summary>True when <paramref name="m"/> has a value (±∞ counts: an exact format's SQNR is +∞).</summary>
    public bool Has(Metric m) => !double.IsNaN(this[m]);

    /// <summary>A copy with <paramref name="m"/> set to <paramref name="value"/>.</summary>
    public MetricValues With(Metric m, double value)
    {
        var copy = _values is null ? Filled() : (double[])_values.Clone();
        copy[(int)m] = value;
        return new MetricValues(copy);
    }

    /// <summary>The reported metrics, in catalog order.</summary>
    public IEnumerable<(MetricInfo Info, double Value)> Reported()
    {
        foreach (var info in MetricCatalog.All)
            if (Has(info.Id)) yield return (info, this[info.Id]);
    }

    internal static MetricValues Wrap(double[] values) => new(values);
}
