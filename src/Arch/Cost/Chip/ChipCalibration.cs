using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost.Chip;

/// <summary>The two chip-level factors: composed logic area and on-chip SRAM area, each times its factor, give laid-out
/// (or published) area. PHY and controller rows are not scaled.</summary>
public sealed record ChipFactors(double Logic, double Sram);

/// <summary>One published whole-chip area (a die, a floor-plan block, a configuration's total) and the design that prices it.</summary>
/// <param name="Design">Path of the design under <c>arch-configs/reproductions/</c>.</param>
/// <param name="Components">The area rows the figure covers: empty for all, else names (a trailing * is a prefix).</param>
/// <param name="KnownGap">Why the model may miss the point, or empty.</param>
/// <param name="Fitted">Whether the point is in the fit; a check point (false) is priced and shown with its error but does not
/// set the factors, because its composed content is known to leave out what the published block holds.</param>
public sealed record ChipPoint(string Name, string Chip, string Design, IReadOnlyList<string> Components, double PublishedMm2, string Source, int Line,
    string KnownGap = "", bool Fitted = true)
{
    /// <summary>Whether the figure covers <paramref name="a"/>.</summary>
    public bool Covers(AreaItem a) => Components.Count == 0 || Components.Any(c => c.EndsWith('*')
        ? a.Component.StartsWith(c[..^1], StringComparison.Ordinal) : a.Component == c);
}

/// <summary>One row of the chip calibration: the design's composed logic, SRAM and fixed area for the point, the fitted
/// area, its error, the error with the point left out of the fit and with its whole chip left out.</summary>
public sealed record ChipCalibrationRow(ChipPoint Point, double Logic, double Sram, double Fixed, double Fitted, double Error,
    double LeaveOneOutError, double LeaveChipOutError)
{
    /// <summary>The composed area without the factors (what <c>mantissa cost</c> gave before the fit).</summary>
    public double Unfitted => Logic + Sram + Fixed;
}

/// <summary>The fitted factors and the per-point table (fitted points and check points).</summary>
public sealed record ChipCalibrationReport(ChipFactors Factors, IReadOnlyList<ChipCalibrationRow> Rows)
{
    /// <summary>The rows of the points in the fit.</summary>
    public IEnumerable<ChipCalibrationRow> FittedRows => Rows.Where(r => r.Point.Fitted);

    /// <summary>Largest |error| over the fitted rows.</summary>
    public double MaxError => FittedRows.Max(r => Math.Abs(r.Error));

    /// <summary>Largest |leave-one-out error| over the fitted rows.</summary>
    public double MaxLeaveOneOutError => FittedRows.Max(r => Math.Abs(r.LeaveOneOutError));

    /// <summary>Largest |leave-chip-out error| over the fitted rows.</summary>
    public double MaxLeaveChipOutError => FittedRows.Max(r => Math.Abs(r.LeaveChipOutError));

    /// <summary>Median |leave-one-out error| over the fitted rows.</summary>
    public double MedianLeaveOneOutError
    {
        get
        {
            var v = FittedRows.Select(r => Math.Abs(r.LeaveOneOutError)).Order().ToList();
            return v.Count % 2 == 1 ? v[v.Count / 2] : (v[v.Count / 2 - 1] + v[v.Count / 2]) / 2;
        }
    }
}

/// <summary>
/// Fits the chip-level factors to published whole-chip areas (src/Arch/Data/chip_calibration.csv). Every point is priced by
/// <c>mantissa cost</c>'s own model; its covered rows are split into logic, SRAM and fixed area, and the two factors minimise
/// Σ ((f_logic·logic + f_sram·sram + fixed) / published − 1)² over the points marked fitted (weighted linear least squares,
/// closed form). Check points (column fitted = no) are priced with the same factors and shown, never fitted.
/// </summary>
public static class ChipCalibration
{
    private const string File = "chip_calibration.csv";

    /// <summary>The embedded points.</summary>
    public static IReadOnlyList<ChipPoint> Points => Load(CsvTable.LoadEmbedded(File));

    internal static IReadOnlyList<ChipPoint> Load(CsvTable t) => t.Rows.Select(r =>
    {
        string comps = r.Text("components");
        var list = comps == "all" ? [] : comps.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).ToList();
        if (comps != "all" && list.Count == 0)
            throw new InvalidDataException($"{t.Name}, line {r.Line}, column components: expected 'all' or component names separated by ';'");
        double p = r.Number("published_mm2");
        if (!(p > 0)) throw new InvalidDataException($"{t.Name}, line {r.Line}, column published_mm2: expected a positive area, got {p}");
        string fitted = r.Text("fitted");
        if (fitted is not ("yes" or "no"))
            throw new InvalidDataException($"{t.Name}, line {r.Line}, column fitted: expected yes or no, got '{fitted}'");
        return new ChipPoint(r.Text("point"), r.Text("chip"), r.Text("design"), list, p, r.Text("source"), r.Line, r.Text("known_gap"),
            fitted == "yes");
    }).ToList();

    /// <summary>Prices every point's design from <paramref name="reproductionsDir"/>, fits the factors and reports each point.</summary>
    public static ChipCalibrationReport Run(string reproductionsDir) => Run(Points, reproductionsDir);

    /// <summary>As <see cref="Run(string)"/> for the given points.</summary>
    public static ChipCalibrationReport Run(IReadOnlyList<ChipPoint> points, string reproductionsDir)
    {
        var designs = new Dictionary<string, (ArchitectureSpec Arch, ArchCost Cost)>(StringComparer.Ordinal);
        var x = new List<(double L, double S, double F, double P)>();
        foreach (var p in points)
        {
            if (!designs.TryGetValue(p.Design, out var d))
            {
                string path = Path.Combine(reproductionsDir, p.Design);
                if (!System.IO.File.Exists(path))
                    throw new MantissaException($"{File}, line {p.Line}, column design: no file {path} (a path under arch-configs/reproductions/)");
                var arch = ArchitectureLoader.Load(path);
                designs[p.Design] = d = (arch, CostModel.Evaluate(arch));
            }
            var rows = d.Cost.AreaBreakdown.Where(p.Covers).ToList();
            if (rows.Count == 0)
                throw new MantissaException($"{File}, line {p.Line}, column components: no area row of {p.Design} matches '{string.Join(';', p.Components)}'");
            var (l, s, f) = ChipAreaClasses.Split(rows, d.Arch);
            x.Add((l, s, f, p.PublishedMm2));
        }

        List<(double L, double S, double F, double P)> FitSet(Func<int, bool> keep) =>
            x.Where((_, j) => points[j].Fitted && keep(j)).ToList();
        var all = Fit(FitSet(_ => true));
        var result = new List<ChipCalibrationRow>();
        for (int i = 0; i < points.Count; i++)
        {
            int self = i;
            var loo = Fit(FitSet(j => j != self));
            var lco = Fit(FitSet(j => points[j].Chip != points[self].Chip));
            var (l, s, f, pub) = x[i];
            double Predict(ChipFactors k) => k.Logic * l + k.Sram * s + f;
            result.Add(new ChipCalibrationRow(points[i], l, s, f, Predict(all), Predict(all) / pub - 1, Predict(loo) / pub - 1, Predict(lco) / pub - 1));
        }
        return new ChipCalibrationReport(all, result);
    }

    // Minimises Σ ((a·l + b·s + f)/p − 1)²: the 2×2 normal equations in x1 = l/p, x2 = s/p, y = 1 − f/p.
    internal static ChipFactors Fit(IReadOnlyList<(double L, double S, double F, double P)> pts)
    {
        double a11 = 0, a12 = 0, a22 = 0, b1 = 0, b2 = 0;
        foreach (var (l, s, f, p) in pts)
        {
            double x1 = l / p, x2 = s / p, y = 1 - f / p;
            a11 += x1 * x1; a12 += x1 * x2; a22 += x2 * x2; b1 += x1 * y; b2 += x2 * y;
        }
        double det = a11 * a22 - a12 * a12;
        if (!(Math.Abs(det) > 1e-12 * Math.Max(1, a11 * a22)))
            throw new MantissaException($"{File}: the points left in the fit do not separate logic from SRAM area (need points with different logic/SRAM mixes)");
        return new ChipFactors((b1 * a22 - b2 * a12) / det, (a11 * b2 - a12 * b1) / det);
    }
}
