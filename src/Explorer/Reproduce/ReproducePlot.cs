using Mantissa.Explorer.Plot;
using ScottPlot;
using Palette = Mantissa.Explorer.Plot.Palette;

namespace Mantissa.Explorer.Reproduce;

/// <summary>
/// Paper vs model bars for one experiment: per figure (top to bottom as in the file) the paper's value as 1 and the
/// model's value as a multiple of it, so figures of different units share one axis; dashed lines mark the ±band of
/// the widest band of its figures. Inputs are drawn and labelled as such; not-modelled figures have no model bar.
/// </summary>
public static class ReproducePlot
{
    public static Figure Build(ExperimentResult r, FigureSize size)
    {
        var rows = r.Figures.Where(f => f.Model is not null && f.Spec.Paper != 0).ToList();
        int n = Math.Max(1, rows.Count);
        var ratios = rows.Select(f => f.Ratio!.Value).ToList();
        double band = rows.Count > 0 ? rows.Max(f => f.Spec.Band) : 0.2;
        var axis = Axis.Fit(ratios.Append(0).Append(1 + band), allowLog: false);
        var fig = new Figure($"{r.Spec.Name}: model / paper per figure", "model value / paper value (paper = 1)", "", axis, Axis.Of(-0.6, n - 0.4, false), size);
        var bars = new List<Bar>();
        for (int i = 0; i < rows.Count; i++)
        {
            double y = n - 1 - i;
            bars.Add(new Bar { Position = y + 0.18, ValueBase = 0, Value = 1, FillColor = Palette.Of(0), LineWidth = 0, Size = 0.34 });
            var colour = rows[i].Verdict switch { FigureVerdict.Match => Palette.Of(2), FigureVerdict.Miss => Palette.Of(3), _ => Palette.Muted };
            bars.Add(new Bar { Position = y - 0.18, ValueBase = 0, Value = ratios[i], FillColor = colour, LineWidth = 0, Size = 0.34 });
        }
        var plot = fig.Plot.Add.Bars(bars);
        plot.Horizontal = true;
        foreach (double edge in new[] { 1 - band, 1 + band })
        {
            var line = fig.Plot.Add.VerticalLine(edge);
            line.LineWidth = 0.6f * Figure.K;
            line.LinePattern = LinePattern.Dashed;
            line.LineColor = Palette.Muted;
        }
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (int i = 0; i < rows.Count; i++)
        {
            string id = rows[i].Spec.Id + (rows[i].Verdict == FigureVerdict.Input ? " (input)" : "");
            ticks.AddMajor(n - 1 - i, id.Length > 22 ? id[..21] + "…" : id);
        }
        fig.Plot.Axes.Left.TickGenerator = ticks;
        fig.Plot.Axes.SetLimits(axis.Min, axis.Max, -0.6, n - 0.4);
        fig.Plot.Legend.ManualItems.Add(new LegendItem { LabelText = "paper", FillColor = Palette.Of(0) });
        fig.Plot.Legend.ManualItems.Add(new LegendItem { LabelText = $"model, within ±{band:P0}", FillColor = Palette.Of(2) });
        fig.Plot.Legend.ManualItems.Add(new LegendItem { LabelText = "model, missed", FillColor = Palette.Of(3) });
        fig.Plot.Legend.ManualItems.Add(new LegendItem { LabelText = "model, input", FillColor = Palette.Muted });
        fig.Legend();
        return fig;
    }
}
