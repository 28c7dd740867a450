using System.Globalization;
using System.Security;
using System.Text;

namespace Mantissa.Explorer.Plot;

/// <summary>An x–y chart written as standalone SVG: scatter series, lines, axes with ticks and units, legend.</summary>
public sealed class SvgPlot
{
    private const double Left = 78, Right = 170, Top = 40, Bottom = 56;
    private readonly List<string> _body = new();
    private readonly List<(string label, string color, bool line)> _legend = new();
    // Markers per whole-pixel position, across all series: later ones at the same spot move onto a ring around it
    private readonly Dictionary<(long x, long y), (double px, double py, double radius, int count)> _stacks = new();

    public SvgPlot(string title, string xLabel, string yLabel, Axis x, Axis y, int width = 760, int height = 480)
    {
        Title = title;
        XLabel = xLabel;
        YLabel = yLabel;
        X = x;
        Y = y;
        Width = width;
        Height = height;
    }

    public string Title { get; }
    public string XLabel { get; }
    public string YLabel { get; }
    public Axis X { get; }
    public Axis Y { get; }
    public int Width { get; }
    public int Height { get; }

    /// <summary>Number of markers drawn (for tests and summaries).</summary>
    public int PointCount { get; private set; }

    private double Px(double v) => Left + X.Fraction(v) * (Width - Left - Right);
    private double Py(double v) => Height - Bottom - Y.Fraction(v) * (Height - Top - Bottom);

    /// <summary>Adds markers; <paramref name="tooltips"/> (optional) gives each a hover text.</summary>
    public void Scatter(IReadOnlyList<(double x, double y)> points, string color, string legend, IReadOnlyList<string>? tooltips = null, double radius = 3.5)
    {
        var sb = new StringBuilder();
        sb.Append($"<g class=\"series\" fill=\"{color}\" fill-opacity=\"0.75\" stroke=\"#333\" stroke-width=\"0.4\">");
        for (int i = 0; i < points.Count; i++)
        {
            var (x, y) = points[i];
            if (!Plottable(x, X) || !Plottable(y, Y)) continue;
            var (cx, cy) = Place(Px(x), Py(y), radius);
            sb.Append($"<circle class=\"pt\" cx=\"{F(cx)}\" cy=\"{F(cy)}\" r=\"{F(radius)}\"");
            if (tooltips is not null) sb.Append($"><title>{Esc(tooltips[i])}</title></circle>");
            else sb.Append("/>");
            PointCount++;
        }
        sb.Append("</g>");
        _body.Add(sb.ToString());
        if (legend.Length > 0) _legend.Add((legend, color, false));
    }

    /// <summary>Number of pixel positions holding more than one marker (each drawn with a "×n" count).</summary>
    public int StackCount => _stacks.Values.Count(v => v.count > 1);

    /// <summary>
    /// Where the next marker at pixel (<paramref name="px"/>, <paramref name="py"/>) goes: the first at the spot itself,
    /// later ones on rings of six around it, so designs with identical metrics stay visible and countable.
    /// </summary>
    private (double x, double y) Place(double px, double py, double radius)
    {
        var key = ((long)Math.Round(px), (long)Math.Round(py));
        int k = _stacks.TryGetValue(key, out var s) ? s.count : 0;
        _stacks[key] = k == 0 ? (px, py, radius, 1) : (s.px, s.py, Math.Max(s.radius, radius), k + 1);
        if (k == 0) return (px, py);
        double ring = 1 + (k - 1) / 6, angle = (k - 1) % 6 * Math.PI / 3 + (ring - 1) * Math.PI / 6;
        double d = ring * 1.9 * Math.Max(s.radius, radius);
        return (s.px + d * Math.Cos(angle), s.py - d * Math.Sin(angle));
    }

    /// <summary>A polyline through <paramref name="points"/> (drawn in order).</summary>
    public void Line(IReadOnlyList<(double x, double y)> points, string color, string legend, double width = 2, bool dashed = false)
    {
        var pts = points.Where(p => Plottable(p.x, X) && Plottable(p.y, Y)).Select(p => $"{F(Px(p.x))},{F(Py(p.y))}");
        _body.Add($"<polyline class=\"line\" fill=\"none\" stroke=\"{color}\" stroke-width=\"{F(width)}\"{(dashed ? " stroke-dasharray=\"6 4\"" : "")} points=\"{string.Join(" ", pts)}\"/>");
        if (legend.Length > 0) _legend.Add((legend, color, true));
    }

    /// <summary>A text note at data coordinates.</summary>
    public void Note(double x, double y, string text, string color = "#333") =>
        _body.Add($"<text x=\"{F(Px(x) + 4)}\" y=\"{F(Py(y) - 4)}\" font-size=\"11\" fill=\"{color}\">{Esc(text)}</text>");

    private static bool Plottable(double v, Axis a) => double.IsFinite(v) && (!a.Log || v > 0);

    public string ToSvg()
    {
        var sb = new StringBuilder();
        double plotW = Width - Left - Right, plotH = Height - Top - Bottom;
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{Width}\" height=\"{Height}\" viewBox=\"0 0 {Width} {Height}\" font-family=\"Helvetica, Arial, sans-serif\">\n");
        sb.Append($"<rect width=\"{Width}\" height=\"{Height}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{F(Width / 2.0)}\" y=\"22\" font-size=\"{(Title.Length > 64 ? 12 : 15)}\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(Title)}</text>\n");
        sb.Append($"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" fill=\"none\" stroke=\"#999\"/>\n");
        foreach (var t in X.Ticks())
        {
            double px = Px(t);
            sb.Append($"<line x1=\"{F(px)}\" y1=\"{F(Top)}\" x2=\"{F(px)}\" y2=\"{F(Top + plotH)}\" stroke=\"#eee\"/>");
            sb.Append($"<text x=\"{F(px)}\" y=\"{F(Top + plotH + 16)}\" font-size=\"11\" text-anchor=\"middle\">{Esc(Axis.Label(t))}</text>\n");
        }
        foreach (var t in Y.Ticks())
        {
            double py = Py(t);
            sb.Append($"<line x1=\"{F(Left)}\" y1=\"{F(py)}\" x2=\"{F(Left + plotW)}\" y2=\"{F(py)}\" stroke=\"#eee\"/>");
            sb.Append($"<text x=\"{F(Left - 6)}\" y=\"{F(py + 4)}\" font-size=\"11\" text-anchor=\"end\">{Esc(Axis.Label(t))}</text>\n");
        }
        string xl = XLabel + (X.Log ? " [log]" : ""), yl = YLabel + (Y.Log ? " [log]" : "");
        sb.Append($"<text x=\"{F(Left + plotW / 2)}\" y=\"{F(Height - 14)}\" font-size=\"13\" text-anchor=\"middle\">{Esc(xl)}</text>\n");
        sb.Append($"<text transform=\"translate(18,{F(Top + plotH / 2)}) rotate(-90)\" font-size=\"13\" text-anchor=\"middle\">{Esc(yl)}</text>\n");
        sb.Append($"<svg x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(plotW)}\" height=\"{F(plotH)}\" viewBox=\"{F(Left)} {F(Top)} {F(plotW)} {F(plotH)}\" overflow=\"hidden\">\n");
        foreach (var b in _body) sb.Append(b).Append('\n');
        foreach (var (px, py, radius, count) in _stacks.Values.Where(v => v.count > 1))
        {
            double off = (1 + (count - 2) / 6) * 1.9 * radius + radius + 2;
            sb.Append($"<text class=\"stack\" x=\"{F(px + off)}\" y=\"{F(py - off)}\" font-size=\"10\" fill=\"#222\">×{count}</text>\n");
        }
        sb.Append("</svg>\n");
        double ly = Top + 8;
        foreach (var (label, color, line) in _legend)
        {
            double lx = Width - Right + 14;
            sb.Append(line
                ? $"<line x1=\"{F(lx)}\" y1=\"{F(ly)}\" x2=\"{F(lx + 16)}\" y2=\"{F(ly)}\" stroke=\"{color}\" stroke-width=\"2\"/>"
                : $"<circle cx=\"{F(lx + 8)}\" cy=\"{F(ly)}\" r=\"4\" fill=\"{color}\" stroke=\"#333\" stroke-width=\"0.4\"/>");
            sb.Append($"<text x=\"{F(lx + 22)}\" y=\"{F(ly + 4)}\" font-size=\"11\">{Esc(Shorten(label, 22))}</text>\n");
            ly += 18;
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }

    private static string Shorten(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    internal static string F(double v) => v.ToString("0.##", CultureInfo.InvariantCulture);

    internal static string Esc(string s) => SecurityElement.Escape(s) ?? "";
}
