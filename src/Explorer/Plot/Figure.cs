using System.Globalization;
using System.Text;
using ScottPlot;
using ScottPlot.TickGenerators;

namespace Mantissa.Explorer.Plot;

/// <summary>
/// One ScottPlot figure in the house style: embedded font, sizes in points for a printed <see cref="FigureSize"/>,
/// ticks from <see cref="Axis"/> (log axes are drawn as log10 of the data with 10ⁿ labels), PNG at 300 dpi and SVG.
/// The canvas is laid out in device pixels at 300 dpi with every size multiplied by <see cref="K"/> (ScottPlot's own
/// ScaleFactor spaces legend items out of proportion); the SVG gets the same drawing with its size given in inches.
/// </summary>
public sealed class Figure
{
    private const float TitlePt = 9, LabelPt = 8, TickPt = 7, LegendPt = 7;

    public Figure(string title, string xLabel, string yLabel, Axis x, Axis y, FigureSize size)
    {
        FigureFont.Register();
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        X = x;
        Y = y;
        Size = size;
        Plot.Title(title, TitlePt * K);
        Plot.Axes.Title.Label.FontName = FigureFont.Family;
        Plot.Axes.Title.Label.Bold = true;
        Plot.XLabel(xLabel, LabelPt * K);
        Plot.YLabel(yLabel, LabelPt * K);
        foreach (var a in new IAxis[] { Plot.Axes.Bottom, Plot.Axes.Left })
        {
            a.Label.FontName = FigureFont.Family;
            a.Label.Bold = false;
            a.TickLabelStyle.FontName = FigureFont.Family;
            a.TickLabelStyle.FontSize = TickPt * K;
            a.MajorTickStyle.Length = 3 * K;
            a.MajorTickStyle.Width = 0.6f * K;
            a.MinorTickStyle.Length = 1.5f * K;
            a.MinorTickStyle.Width = 0.5f * K;
            a.FrameLineStyle.Width = 0.6f * K;
        }
        Plot.Axes.Right.MinimumSize = 12 * K; // room for the last x tick label, which is centred on the right edge
        Plot.Axes.Bottom.TickGenerator = Ticks(x);
        Plot.Axes.Left.TickGenerator = Ticks(y);
        Plot.Axes.SetLimits(Px(x.Min), Px(x.Max), Py(y.Min), Py(y.Max));
        Plot.Grid.MajorLineColor = Colors.Black.WithAlpha(20);
        Plot.Legend.FontName = FigureFont.Family;
        Plot.Legend.FontSize = LegendPt * K;
        Plot.Legend.ShadowColor = Colors.Transparent;
        Plot.Legend.OutlineWidth = 0.5f * K;
        Plot.Legend.SymbolWidth = 8 * K;
        Plot.Legend.SymbolPadding = 3 * K;
    }

    /// <summary>The ScottPlot plot, for adding plottables in plot coordinates (see <see cref="Px"/>, <see cref="Py"/>).</summary>
    public ScottPlot.Plot Plot { get; } = new();

    public string Title { get; }
    public string XLabel { get; }
    public string YLabel { get; }
    public Axis X { get; }
    public Axis Y { get; }
    public FigureSize Size { get; }

    /// <summary>Device pixels per point (300 dpi / 72).</summary>
    public const float K = FigureSize.PngDpi / 72f;

    /// <summary>Font size (pt) for point labels and notes.</summary>
    public static float NotePt => 6.5f;

    /// <summary>Plot coordinate of an x value (log10 on a log axis).</summary>
    public double Px(double v) => X.Log ? Math.Log10(v) : v;

    public double Py(double v) => Y.Log ? Math.Log10(v) : v;

    /// <summary>Whether (<paramref name="x"/>, <paramref name="y"/>) can be drawn (finite; positive on a log axis).</summary>
    public bool Drawable(double x, double y) => double.IsFinite(x) && double.IsFinite(y) && (!X.Log || x > 0) && (!Y.Log || y > 0);

    /// <summary>Shows the legend outside the data area (below a narrow figure, right of a wide one), so it never hides a design.</summary>
    public void Legend()
    {
        if (Size.Narrow)
        {
            Plot.ShowLegend(Edge.Bottom);
            Plot.Legend.Orientation = Orientation.Horizontal;
        }
        else Plot.ShowLegend(Edge.Right);
    }

    /// <summary>Canvas size in device pixels at <see cref="FigureSize.PngDpi"/>.</summary>
    public (int w, int h) Pixels => ((int)Math.Round(Size.WidthIn * FigureSize.PngDpi), (int)Math.Round(Size.HeightIn * FigureSize.PngDpi));

    /// <summary>PNG bytes at <see cref="FigureSize.PngDpi"/>.</summary>
    public byte[] Png()
    {
        var (w, h) = Pixels;
        return Plot.GetImageBytes(w, h, ImageFormat.Png);
    }

    /// <summary>SVG text whose width and height are the printed size in inches (the drawing keeps its pixel viewBox).</summary>
    public string Svg()
    {
        var (w, h) = Pixels;
        string svg = StableClipIds(Plot.GetSvgXml(w, h));
        string inches = string.Create(CultureInfo.InvariantCulture, $"width=\"{Size.WidthIn}in\" height=\"{Size.HeightIn}in\"");
        string px = $"width=\"{w}\" height=\"{h}\"";
        int root = svg.IndexOf("<svg", StringComparison.Ordinal);
        int at = root < 0 ? -1 : svg.IndexOf(px, root, StringComparison.Ordinal);
        if (at < 0 || at > svg.IndexOf('>', root)) return svg;
        return svg[..at] + inches + (svg.Contains("viewBox", StringComparison.Ordinal) ? "" : $" viewBox=\"0 0 {w} {h}\"") + svg[(at + px.Length)..];
    }

    /// <summary>Writes <c>BASE.png</c> and/or <c>BASE.svg</c>; returns the paths written.</summary>
    public IReadOnlyList<string> Save(string basePath, ImageFormats formats)
    {
        var written = new List<string>();
        if (formats.HasFlag(ImageFormats.Png)) { File.WriteAllBytes(basePath + ".png", Png()); written.Add(basePath + ".png"); }
        if (formats.HasFlag(ImageFormats.Svg)) { File.WriteAllText(basePath + ".svg", Svg(), new UTF8Encoding(false)); written.Add(basePath + ".svg"); }
        return written;
    }

    // Skia numbers SVG clip paths with a process-wide hex counter (cl_c6, cl_c7, ...); renumber from 1 in order of
    // appearance so the same figure gives the same bytes however many figures the process drew before
    private static string StableClipIds(string svg)
    {
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        return System.Text.RegularExpressions.Regex.Replace(svg, @"\bcl_([0-9a-f]+)\b", m =>
        {
            if (!ids.TryGetValue(m.Groups[1].Value, out int n)) ids[m.Groups[1].Value] = n = ids.Count + 1;
            return "cl_" + n.ToString(CultureInfo.InvariantCulture);
        });
    }

    private NumericManual Ticks(Axis a)
    {
        var ticks = new NumericManual();
        if (a.Log)
        {
            int lo = (int)Math.Round(Math.Log10(a.Min)), hi = (int)Math.Round(Math.Log10(a.Max));
            foreach (var t in a.Ticks()) ticks.AddMajor(Math.Log10(t), LogLabel(t));
            for (int e = lo; e < hi; e++)
                for (int m = 2; m <= 9; m++) ticks.AddMinor(e + Math.Log10(m));
        }
        else
        {
            var major = a.Ticks();
            foreach (var t in major) ticks.AddMajor(t, Axis.Label(t));
        }
        return ticks;
    }

    /// <summary>A decade tick: plain decimals from 0.001 to 1000, 10ⁿ outside.</summary>
    public static string LogLabel(double v)
    {
        int e = (int)Math.Round(Math.Log10(v));
        if (e is >= 0 and <= 3) return ((int)Math.Pow(10, e)).ToString(CultureInfo.InvariantCulture);
        if (e is < 0 and >= -3) return "0." + new string('0', -e - 1) + "1";
        return "10" + Superscript(e);
    }

    private static string Superscript(int e)
    {
        const string digits = "⁰¹²³⁴⁵⁶⁷⁸⁹";
        var s = e.ToString(CultureInfo.InvariantCulture);
        return string.Concat(s.Select(c => c == '-' ? '⁻' : digits[c - '0']));
    }
}
