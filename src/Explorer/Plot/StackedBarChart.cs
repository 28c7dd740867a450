using System.Text;
using static Mantissa.Explorer.Plot.SvgPlot;

namespace Mantissa.Explorer.Plot;

/// <summary>Vertical bars, one per category, each stacked from named series; written as standalone SVG.</summary>
public sealed class StackedBarChart
{
    private const double Left = 78, Right = 170, Top = 40, Bottom = 90;
    private readonly string _title, _yLabel;
    private readonly IReadOnlyList<string> _categories;
    private readonly List<(string name, double[] values)> _series = new();

    public StackedBarChart(string title, string yLabel, IReadOnlyList<string> categories)
    {
        _title = title;
        _yLabel = yLabel;
        _categories = categories;
    }

    /// <summary>Adds one stack layer; <paramref name="values"/> has one entry per category.</summary>
    public void Series(string name, double[] values) => _series.Add((name, values));

    /// <summary>Number of bar segments drawn.</summary>
    public int SegmentCount { get; private set; }

    public string ToSvg(int width = 760, int height = 440)
    {
        var totals = _categories.Select((_, c) => _series.Sum(s => Math.Max(0, s.values[c]))).ToArray();
        var axis = Axis.Fit(totals.Append(0), allowLog: false);
        double plotW = width - Left - Right, plotH = height - Top - Bottom;
        double slot = plotW / Math.Max(1, _categories.Count), bar = Math.Min(60, slot * 0.7);
        double Py(double v) => height - Bottom - axis.Fraction(v) * plotH;
        var sb = new StringBuilder();
        sb.Append($"<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{width}\" height=\"{height}\" viewBox=\"0 0 {width} {height}\" font-family=\"Helvetica, Arial, sans-serif\">\n");
        sb.Append($"<rect width=\"{width}\" height=\"{height}\" fill=\"white\"/>\n");
        sb.Append($"<text x=\"{F(width / 2.0)}\" y=\"22\" font-size=\"{(_title.Length > 64 ? 12 : 15)}\" text-anchor=\"middle\" font-weight=\"bold\">{Esc(_title)}</text>\n");
        foreach (var t in axis.Ticks())
        {
            sb.Append($"<line x1=\"{F(Left)}\" y1=\"{F(Py(t))}\" x2=\"{F(Left + plotW)}\" y2=\"{F(Py(t))}\" stroke=\"#eee\"/>");
            sb.Append($"<text x=\"{F(Left - 6)}\" y=\"{F(Py(t) + 4)}\" font-size=\"11\" text-anchor=\"end\">{Esc(Axis.Label(t))}</text>\n");
        }
        sb.Append($"<text transform=\"translate(18,{F(Top + plotH / 2)}) rotate(-90)\" font-size=\"13\" text-anchor=\"middle\">{Esc(_yLabel)}</text>\n");
        SegmentCount = 0;
        for (int c = 0; c < _categories.Count; c++)
        {
            double x = Left + slot * c + (slot - bar) / 2, acc = 0;
            for (int s = 0; s < _series.Count; s++)
            {
                double v = Math.Max(0, _series[s].values[c]);
                if (v <= 0) continue;
                double y0 = Py(acc), y1 = Py(acc + v);
                sb.Append($"<rect class=\"seg\" x=\"{F(x)}\" y=\"{F(y1)}\" width=\"{F(bar)}\" height=\"{F(Math.Max(0, y0 - y1))}\" fill=\"{Palette.Color(s)}\"><title>{Esc($"{_categories[c]} / {_series[s].name}: {Axis.Label(v)}")}</title></rect>");
                acc += v;
                SegmentCount++;
            }
            double cx = x + bar / 2, cy = height - Bottom + 12;
            sb.Append($"<text transform=\"translate({F(cx)},{F(cy)}) rotate(35)\" font-size=\"10\">{Esc(_categories[c].Length > 18 ? _categories[c][..17] + "…" : _categories[c])}</text>\n");
        }
        sb.Append($"<line x1=\"{F(Left)}\" y1=\"{F(Py(axis.Min))}\" x2=\"{F(Left + plotW)}\" y2=\"{F(Py(axis.Min))}\" stroke=\"#666\"/>\n");
        double ly = Top + 8;
        for (int s = 0; s < _series.Count; s++)
        {
            double lx = width - Right + 14;
            sb.Append($"<rect x=\"{F(lx)}\" y=\"{F(ly - 6)}\" width=\"12\" height=\"12\" fill=\"{Palette.Color(s)}\"/><text x=\"{F(lx + 18)}\" y=\"{F(ly + 4)}\" font-size=\"11\">{Esc(_series[s].name)}</text>\n");
            ly += 18;
        }
        sb.Append("</svg>\n");
        return sb.ToString();
    }
}
