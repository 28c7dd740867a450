using System.Globalization;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Plot;

/// <summary>
/// The printed size of a figure in inches. Fonts are set in points at this size, so a <c>column</c> figure placed at
/// 3.3 in keeps 7–9 pt text; PNGs are rendered at <see cref="PngDpi"/>.
/// </summary>
public sealed record FigureSize(double WidthIn, double HeightIn)
{
    public const int PngDpi = 300;

    /// <summary>One column of a two-column paper (IEEE/ACM: 3.3–3.5 in).</summary>
    public static FigureSize Column { get; } = new(3.3, 2.5);

    /// <summary>The full text width of a two-column paper (about 7 in).</summary>
    public static FigureSize Page { get; } = new(6.9, 3.6);

    /// <summary>Width and height in points (1/72 in): the units fonts and line widths are given in.</summary>
    public (int w, int h) Points => ((int)Math.Round(WidthIn * 72), (int)Math.Round(HeightIn * 72));

    public bool Narrow => WidthIn < 5;

    /// <summary>Parses <c>column</c>, <c>page</c> or <c>WxH</c> in inches (e.g. <c>5x3.2</c>).</summary>
    public static FigureSize Parse(string text)
    {
        switch (text.Trim().ToLowerInvariant())
        {
            case "column": return Column;
            case "page": return Page;
        }
        var parts = text.Trim().TrimEnd('n', 'i').Split('x', 'X');
        if (parts.Length == 2
            && double.TryParse(parts[0], NumberStyles.Float, CultureInfo.InvariantCulture, out double w)
            && double.TryParse(parts[1], NumberStyles.Float, CultureInfo.InvariantCulture, out double h)
            && w is >= 2 and <= 20 && h is >= 1.5 and <= 20)
            return new FigureSize(w, h);
        throw new UsageException($"option --size expects column, page or WxH in inches between 2x1.5 and 20x20 (e.g. 5x3.2); got '{text}'");
    }
}

/// <summary>Which image files a figure is written as.</summary>
[Flags]
public enum ImageFormats
{
    None = 0,
    Png = 1,
    Svg = 2,
}

/// <summary>Parses <c>--format png,svg</c>.</summary>
public static class ImageFormatList
{
    public static ImageFormats Parse(string text, params string[] alsoAllowed)
    {
        var f = ImageFormats.None;
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            f |= part.ToLowerInvariant() switch
            {
                "png" => ImageFormats.Png,
                "svg" => ImageFormats.Svg,
                var p when alsoAllowed.Contains(p) => ImageFormats.None,
                _ => throw new UsageException($"option --format expects a comma-separated list of png, svg{string.Concat(alsoAllowed.Select(a => ", " + a))}; got '{part}'"),
            };
        return f;
    }
}
