namespace Mantissa.Explorer.Plot;

/// <summary>
/// Categorical colours safe for the common colour-vision deficiencies: the Okabe–Ito palette (M. Okabe and K. Ito,
/// "Color Universal Design", 2008), ordered so the first few also differ in lightness; cycled for more categories.
/// </summary>
public static class Palette
{
    private static readonly string[] Colors =
        { "#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442", "#000000" };

    public static string Color(int i) => Colors[((i % Colors.Length) + Colors.Length) % Colors.Length];

    /// <summary>The ScottPlot colour of category <paramref name="i"/>.</summary>
    public static ScottPlot.Color Of(int i) => ScottPlot.Color.FromHex(Color(i));

    /// <summary>Muted grey for dominated designs and secondary lines.</summary>
    public static ScottPlot.Color Muted => ScottPlot.Color.FromHex("#9a9a9a");
}
