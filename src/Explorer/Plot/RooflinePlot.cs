using Mantissa.Explorer.Sweep;

namespace Mantissa.Explorer.Plot;

/// <summary>Builds a log–log roofline: the memory and compute ceilings of one design and its layers' operating points.</summary>
public static class RooflinePlot
{
    public static SvgPlot Build(RooflineData data, string title)
    {
        var pts = data.Points.Where(p => p.OpsPerByte > 0 && p.OpsPerS > 0).ToList();
        double ridge = data.PeakOpsPerS / data.BytesPerS;
        double xMin = Math.Min(ridge / 100, pts.Count > 0 ? pts.Min(p => p.OpsPerByte) : ridge / 100);
        double xMax = Math.Max(ridge * 100, pts.Count > 0 ? pts.Max(p => p.OpsPerByte) : ridge * 100);
        var x = Axis.Fit(new[] { xMin, xMax }, forceLog: true);
        double yMin = Math.Min(x.Min * data.BytesPerS, pts.Count > 0 ? pts.Min(p => p.OpsPerS) : data.PeakOpsPerS);
        var y = Axis.Fit(new[] { yMin, data.PeakOpsPerS * 2 }, forceLog: true);
        var plot = new SvgPlot(title, "operational intensity (ops/byte)", "performance (ops/s)", x, y);
        plot.Line(new[] { (x.Min, x.Min * data.BytesPerS), (ridge, data.PeakOpsPerS), (x.Max, data.PeakOpsPerS) }, "#222", "roofline", 2);
        plot.Note(ridge, data.PeakOpsPerS, $"ridge {Axis.Label(ridge)} ops/B");
        var groups = pts.GroupBy(p => p.Label).ToList();
        for (int g = 0; g < groups.Count; g++)
            plot.Scatter(groups[g].Select(p => (p.OpsPerByte, p.OpsPerS)).ToList(), Palette.Color(g), groups[g].Key,
                         groups[g].Select(p => $"{p.Label}: {Axis.Label(p.OpsPerByte)} ops/B, {Axis.Label(p.OpsPerS)} ops/s").ToList(), 4.5);
        return plot;
    }
}
