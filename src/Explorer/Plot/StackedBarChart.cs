using ScottPlot;

namespace Mantissa.Explorer.Plot;

/// <summary>Horizontal bars, one per category (read top to bottom, names on the left), each stacked from named series (e.g. energy by component per layer group).</summary>
public sealed class StackedBarChart
{
    private readonly string _title, _valueLabel;
    private readonly IReadOnlyList<string> _categories;
    private readonly List<(string name, double[] values)> _series = new();

    public StackedBarChart(string title, string valueLabel, IReadOnlyList<string> categories)
    {
        _title = title;
        _valueLabel = valueLabel;
        _categories = categories;
    }

    /// <summary>Adds one stack layer; <paramref name="values"/> has one entry per category.</summary>
    public void Series(string name, double[] values) => _series.Add((name, values));

    /// <summary>Number of bar segments drawn.</summary>
    public int SegmentCount { get; private set; }

    public Figure Build(FigureSize size)
    {
        var totals = _categories.Select((_, c) => _series.Sum(s => Math.Max(0, s.values[c]))).ToArray();
        var axis = Axis.Fit(totals.Append(0), allowLog: false);
        int n = _categories.Count;
        var fig = new Figure(_title, _valueLabel, "", axis, Axis.Of(-0.6, n - 0.4, false), size);
        var bars = new List<Bar>();
        SegmentCount = 0;
        for (int c = 0; c < n; c++)
        {
            double acc = 0;
            for (int s = 0; s < _series.Count; s++)
            {
                double v = Math.Max(0, _series[s].values[c]);
                if (v <= 0) continue;
                bars.Add(new Bar { Position = n - 1 - c, ValueBase = acc, Value = acc + v, FillColor = Palette.Of(s), LineWidth = 0, Size = 0.7 });
                acc += v;
                SegmentCount++;
            }
        }
        var plot = fig.Plot.Add.Bars(bars);
        plot.Horizontal = true;
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int c = 0; c < n; c++)
            ticks.AddMajor(n - 1 - c, _categories[c].Length > 14 ? _categories[c][..13] + "…" : _categories[c]);
        fig.Plot.Axes.Left.TickGenerator = ticks;
        fig.Plot.Axes.SetLimits(axis.Min, axis.Max, -0.6, n - 0.4);
        for (int s = 0; s < _series.Count; s++)
            fig.Plot.Legend.ManualItems.Add(new LegendItem { LabelText = _series[s].name, FillColor = Palette.Of(s) });
        fig.Legend();
        return fig;
    }
}
