using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>Global factors on the primitive library: one on area, one on energy per cycle.</summary>
/// <remarks>Fitted once over the PE-scope calibration points, never per kind or per paper (two parameters). They are
/// reported, not applied to <c>mantissa cost</c>: a global factor moves every design alike, so the comparisons between PE
/// kinds that <c>cost</c> and <c>sweep</c> make do not depend on it, and the library stays the one basis (docs/cost.md).</remarks>
public sealed record CalibrationFactors(double Area, double Energy);

/// <summary>One published PE synthesis point: the PE, its node and supply, and its published area and/or energy.</summary>
/// <param name="Rows">PEs of a column in the published array that share per-column units (1: the PE was synthesized alone).</param>
/// <param name="InFit">False when the published figure covers more than a PE (a whole engine, a die share, extra control): the
/// point is reported against the fitted model but takes no part in the fit or the headline medians.</param>
/// <param name="KnownGap">Why the model cannot reach the point (a scope or data difference), or empty.</param>
public sealed record CalibrationPoint(string Name, PeSpec Pe, double NodeNm, double Vdd, double? AreaUm2, double? EnergyPj,
    string Source, string Assumptions, string KnownGap, int Rows = 1, bool InFit = true);

/// <summary>What is compared: area per PE or energy per active cycle.</summary>
public enum CalibrationMetric { Area, Energy }

/// <summary>One row of the calibration table: the published value, the fitted model's value, its error, and the error
/// with the point left out of the fit.</summary>
/// <param name="Library">The primitive library's value without the fitted factors (what the model gave before calibration).</param>
/// <param name="InFit">Whether the point is one of the fitted PE-scope points (see <see cref="CalibrationPoint.InFit"/>).</param>
public sealed record CalibrationRow(string Point, CalibrationMetric Metric, double Published, double Library, double Model, double Error,
    double LeaveOneOutError, string Source, string Assumptions, string KnownGap, bool InFit = true);

/// <summary>The fitted factors and the per-point table.</summary>
public sealed record CalibrationReport(CalibrationFactors Factors, IReadOnlyList<CalibrationRow> Rows)
{
    /// <summary>The rows of the fitted PE-scope points.</summary>
    public IEnumerable<CalibrationRow> FittedRows => Rows.Where(r => r.InFit);

    /// <summary>Median |leave-one-out error| over the fitted rows.</summary>
    public double MedianLeaveOneOutError => Median(FittedRows.Select(r => Math.Abs(r.LeaveOneOutError)));

    /// <summary>Largest |leave-one-out error| over the fitted rows.</summary>
    public double MaxLeaveOneOutError => FittedRows.Select(r => Math.Abs(r.LeaveOneOutError)).DefaultIfEmpty().Max();

    /// <summary>Median |error| of the uncalibrated primitive library over the fitted rows.</summary>
    public double MedianLibraryError => Median(FittedRows.Select(r => Math.Abs(r.Library / r.Published - 1)));

    /// <summary>Median |error| of the full fit over the fitted rows.</summary>
    public double MedianError => Median(FittedRows.Select(r => Math.Abs(r.Error)));

    /// <summary>Median |error| of the full fit over every row, the out-of-scope points included.</summary>
    public double MedianErrorAllRows => Median(Rows.Select(r => Math.Abs(r.Error)));

    private static double Median(IEnumerable<double> xs)
    {
        var v = xs.OrderBy(x => x).ToArray();
        return v.Length == 0 ? 0 : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

/// <summary>
/// Fits the global <see cref="CalibrationFactors"/> to the published PE-scope points in <c>Data/pe_calibration.csv</c>: each point's
/// PE is composed from the primitive library (uncalibrated) and scaled to the point's node and supply, and one factor per
/// metric minimises the summed squared relative error.
/// </summary>
public static class PeCalibration
{
    private static readonly Lazy<CalibrationReport> _default = new(() => Run(Load(CsvTable.LoadEmbedded("pe_calibration.csv"))));

    /// <summary>The calibration of the embedded data set (fitted on first use).</summary>
    public static CalibrationReport Default => _default.Value;

    /// <summary>The embedded calibration points.</summary>
    public static IReadOnlyList<CalibrationPoint> Points => Load(CsvTable.LoadEmbedded("pe_calibration.csv"));

    internal static IReadOnlyList<CalibrationPoint> Load(CsvTable t) => t.Rows.Select(r =>
    {
        string name = r.Text("point");
        var keys = r.Text("pe").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(kv =>
        {
            int eq = kv.IndexOf('=');
            if (eq <= 0) throw new InvalidDataException($"{t.Name}, line {r.Line}, column pe: expected key=value, got '{kv}'");
            return (kv[..eq], kv[(eq + 1)..]);
        });
        PeSpec pe;
        try { pe = PeOptions.Bind(keys, $"{t.Name}, line {r.Line} ({name})"); }
        catch (ConfigException e) { throw new InvalidDataException(e.Message); }
        double rows = r.Number("rows");
        if (rows < 1 || rows != Math.Floor(rows)) throw new InvalidDataException($"{t.Name}, line {r.Line}, column rows: expected a whole number >= 1, got {rows}");
        string fit = r.Text("fit");
        if (fit is not ("yes" or "no")) throw new InvalidDataException($"{t.Name}, line {r.Line}, column fit: expected yes or no, got '{fit}'");
        string gap = r.Text("known_gap");
        if (fit == "no" && gap.Length == 0) throw new InvalidDataException($"{t.Name}, line {r.Line}, column known_gap: a point left out of the fit (fit=no) must say why");
        return new CalibrationPoint(name, pe, r.Number("node_nm"), r.Number("vdd"),
            r.Has("area_um2") ? r.Number("area_um2") : null, r.Has("energy_pj") ? r.Number("energy_pj") : null,
            r.Text("source"), r.Text("assumptions"), gap, (int)rows, fit == "yes");
    }).ToList();

    /// <summary>Fits the factors to <paramref name="points"/> and reports every point's error and leave-one-out error.</summary>
    public static CalibrationReport Run(IReadOnlyList<CalibrationPoint> points)
    {
        var area = points.Where(p => p.AreaUm2 is not null).Select(p => Features(p, CalibrationMetric.Area)).ToList();
        var energy = points.Where(p => p.EnergyPj is not null).Select(p => Features(p, CalibrationMetric.Energy)).ToList();
        double ka = Fit(area.Where(f => f.Point.InFit).ToList());
        double ke = Fit(energy.Where(f => f.Point.InFit).ToList());
        var rows = new List<CalibrationRow>();
        foreach (var (list, fit) in new[] { (area, ka), (energy, ke) })
            for (int i = 0; i < list.Count; i++)
            {
                var f = list[i];
                // A point outside the fit is predicted by the full fit, which never saw it: its loo error is its error.
                double loo = f.Point.InFit ? Fit(list.Where((g, j) => j != i && g.Point.InFit).ToList()) : fit;
                double model = fit * f.Library, looModel = loo * f.Library;
                rows.Add(new CalibrationRow(f.Point.Name, f.Metric, f.Published, f.Library, model, model / f.Published - 1,
                    looModel / f.Published - 1, f.Point.Source, f.Point.Assumptions, f.Point.KnownGap, f.Point.InFit));
            }
        return new CalibrationReport(new CalibrationFactors(ka, ke), rows);
    }

    private sealed record Feature(CalibrationPoint Point, CalibrationMetric Metric, double Library, double Published);

    /// <summary>The primitive library's (uncalibrated) area or energy per active cycle of the point's PE at its node and
    /// supply: weight-stationary, per-column units shared by the published array's rows.</summary>
    internal static double LibraryValue(CalibrationPoint p, CalibrationMetric m)
    {
        var dp = new PeDatapathBuilder(p.Pe, Dataflow.WS, p.Rows, ComponentLibrary.Default).Build();
        var s = CostData.Scaling;
        return m == CalibrationMetric.Area
            ? dp.AreaUm2 * s.AreaScale(ComponentLibrary.ReferenceNodeNm, p.NodeNm)
            : dp.EnergyPj * s.EnergyScale(ComponentLibrary.ReferenceNodeNm, ComponentLibrary.ReferenceVdd, p.NodeNm, p.Vdd);
    }

    private static Feature Features(CalibrationPoint p, CalibrationMetric m) =>
        new(p, m, LibraryValue(p, m), m == CalibrationMetric.Area ? p.AreaUm2!.Value : p.EnergyPj!.Value);

    // Minimises Σ (k·library/published − 1)²: k = Σx / Σx² with x = library/published.
    private static double Fit(IReadOnlyList<Feature> fs)
    {
        double sx = 0, sxx = 0;
        foreach (var f in fs)
        {
            double x = f.Library / f.Published;
            sx += x; sxx += x * x;
        }
        return sxx > 0 ? sx / sxx : 1;
    }
}
