using Mantissa.Explorer.Sweep;
using ScottPlot;

namespace Mantissa.Explorer.Plot;

/// <summary>Builds a log–log roofline: the memory and compute ceilings of one design and its layers' operating points.</summary>
public static class RooflinePlot
{
    public static (Figure figure, int markers) Build(RooflineData data, string title, FigureSize size)
    {
        var pts = data.Points.Where(p => p.OpsPerByte > 0 && p.OpsPerS > 0).ToList();
        double ridge = data.PeakOpsPerS / data.BytesPerS;
        double xMin = Math.Min(ridge / 100, pts.Count > 0 ? pts.Min(p => p.OpsPerByte) : ridge / 100);
        double xMax = Math.Max(ridge * 100, pts.Count > 0 ? pts.Max(p => p.OpsPerByte) : ridge * 100);
        var x = Axis.Fit(new[] { xMin, xMax }, forceLog: true);
        double yMin = Math.Min(x.Min * data.BytesPerS, pts.Count > 0 ? pts.Min(p => p.OpsPerS) : data.PeakOpsPerS);
        var y = Axis.Fit(new[] { yMin, data.PeakOpsPerS * 2 }, forceLog: true);
        var fig = new Figure(title, "operational intensity (ops/byte)", "performance (ops/s)", x, y, size);
        var roof = new[] { (x.Min, x.Min * data.BytesPerS), (ridge, data.PeakOpsPerS), (x.Max, data.PeakOpsPerS) };
        var line = fig.Plot.Add.Scatter(roof.Select(p => fig.Px(p.Item1)).ToArray(), roof.Select(p => fig.Py(p.Item2)).ToArray());
        line.MarkerSize = 0;
        line.LineWidth = 1.2f * Figure.K;
        line.Color = Colors.Black;
        line.LegendText = $"roofline (ridge {Axis.Label(ridge)} ops/B)";
        var groups = pts.GroupBy(p => p.Label).ToList();
        for (int g = 0; g < groups.Count; g++)
        {
            var s = fig.Plot.Add.Scatter(groups[g].Select(p => fig.Px(p.OpsPerByte)).ToArray(), groups[g].Select(p => fig.Py(p.OpsPerS)).ToArray());
            s.LineWidth = 0;
            s.MarkerShape = MarkerShape.FilledCircle;
            s.MarkerSize = 5 * Figure.K;
            s.Color = Palette.Of(g);
            s.MarkerLineColor = Colors.Black;
            s.MarkerLineWidth = 0.5f * Figure.K;
            s.LegendText = groups[g].Key;
        }
        fig.Legend();
        return (fig, pts.Count);
    }
}
