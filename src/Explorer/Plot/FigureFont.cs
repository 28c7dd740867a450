using System.Reflection;
using SkiaSharp;

namespace Mantissa.Explorer.Plot;

/// <summary>
/// The one typeface every figure uses: DejaVu Sans, embedded in the assembly (Bitstream Vera licence, Plot/Fonts), so a
/// machine without system fonts draws the same figure and PNG/SVG bytes do not depend on what is installed.
/// </summary>
public sealed class FigureFont : ScottPlot.IFontResolver
{
    public const string Family = "DejaVu Sans";
    private static readonly object Gate = new();
    private static bool _registered;
    private readonly SKTypeface _regular = Load("DejaVuSans.ttf");
    private readonly SKTypeface _bold = Load("DejaVuSans-Bold.ttf");

    /// <summary>Makes ScottPlot resolve every font name to the embedded typeface (idempotent, thread-safe).</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_registered) return;
            ScottPlot.Fonts.FontResolvers.Insert(0, new FigureFont());
            ScottPlot.Fonts.Default = Family;
            ScottPlot.Fonts.Sans = Family;
            _registered = true;
        }
    }

    // any requested family maps to DejaVu Sans: a fallback to a system font would make output machine-dependent
    public SKTypeface? CreateTypeface(string fontName, ScottPlot.FontWeight weight, ScottPlot.FontSlant slant, ScottPlot.FontSpacing spacing) =>
        weight >= ScottPlot.FontWeight.SemiBold ? _bold : _regular;

    public SKTypeface? CreateTypeface(string fontName, bool bold, bool italic) => bold ? _bold : _regular;

    private static SKTypeface Load(string file)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Mantissa.Explorer.Plot.Fonts." + file)
                           ?? throw new InvalidOperationException($"embedded font {file} is missing from the build");
        return SKTypeface.FromStream(stream) ?? throw new InvalidOperationException($"embedded font {file} cannot be read");
    }
}
