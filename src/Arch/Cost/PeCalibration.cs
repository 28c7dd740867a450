using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>Global factors on the primitive library: one for logic and one for storage, in area and in energy.</summary>
/// <remarks>Fitted once over every calibration point, never per kind or per paper. They are reported, not applied to
/// <c>mantissa cost</c>: over the current points the fit does not lower the library's median error (docs/cost.md), so the
/// misses are not a uniform overhead a global factor could absorb.</remarks>
public sealed record CalibrationFactors(double LogicArea, double StorageArea, double LogicEnergy, double StorageEnergy)
{
    public double Area(DatapathPart p) => p == DatapathPart.Logic ? LogicArea : StorageArea;
    public double Energy(DatapathPart p) => p == DatapathPart.Logic ? LogicEnergy : StorageEnergy;
}

/// <summary>One published PE synthesis point: the PE, its node and supply, and its published area and/or energy.</summary>
/// <param name="KnownGap">Why the model cannot reach the point (a scope or data difference), or empty.</param>
public sealed record CalibrationPoint(string Name, PeSpec Pe, double NodeNm, double Vdd, double? AreaUm2, double? EnergyPj,
    string Source, string Assumptions, string KnownGap);

/// <summary>What is compared: area per PE or energy per active cycle.</summary>
public enum CalibrationMetric { Area, Energy }

/// <summary>One row of the calibration table: the published value, the fitted model's value, its error, and the error
/// with the point left out of the fit.</summary>
/// <param name="Library">The primitive library's value without the fitted factors (what the model gave before calibration).</param>
public sealed record CalibrationRow(string Point, CalibrationMetric Metric, double Published, double Library, double Model, double Error,
    double LeaveOneOutError, string Source, string Assumptions, string KnownGap);

/// <summary>The fitted factors and the per-point table.</summary>
public sealed record CalibrationReport(CalibrationFactors Factors, IReadOnlyList<CalibrationRow> Rows)
{
    /// <summary>Median |leave-one-out error| over all rows.</summary>
    public double MedianLeaveOneOutError => Median(Rows.Select(r => Math.Abs(r.LeaveOneOutError)));

    /// <summary>Median |error| of the uncalibrated primitive library over all rows.</summary>
    public double MedianLibraryError => Median(Rows.Select(r => Math.Abs(r.Library / r.Published - 1)));

    /// <summary>Median |error| of the full fit over all rows.</summary>
    public double MedianError => Median(Rows.Select(r => Math.Abs(r.Error)));

    private static double Median(IEnumerable<double> xs)
    {
        var v = xs.OrderBy(x => x).ToArray();
        return v.Length == 0 ? 0 : v.Length % 2 == 1 ? v[v.Length / 2] : (v[v.Length / 2 - 1] + v[v.Length / 2]) / 2;
    }
}

/// <summary>
/// Fits the global <see cref="CalibrationFactors"/> to the published PE points in <c>Data/pe_calibration.csv</c>: each point's
/// PE is composed from the primitive library (uncalibrated), split into logic and storage, scaled to the point's node and
/// supply, and the two factors per metric minimise the summed squared relative error (non-negative least squares).
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
        return new CalibrationPoint(name, pe, r.Number("node_nm"), r.Number("vdd"),
            r.Has("area_um2") ? r.Number("area_um2") : null, r.Has("energy_pj") ? r.Number("energy_pj") : null,
            r.Text("source"), r.Text("assumptions"), r.Text("known_gap"));
    }).ToList();

    /// <summary>Fits the factors to <paramref name="points"/> and reports every point's error and leave-one-out error.</summary>
    public static CalibrationReport Run(IReadOnlyList<CalibrationPoint> points)
    {
        var area = points.Where(p => p.AreaUm2 is not null).Select(p => Features(p, CalibrationMetric.Area)).ToList();
        var energy = points.Where(p => p.EnergyPj is not null).Select(p => Features(p, CalibrationMetric.Energy)).ToList();
        var (la, sa) = Fit(area);
        var (le, se) = Fit(energy);
        var rows = new List<CalibrationRow>();
        foreach (var (list, fit) in new[] { (area, (la, sa)), (energy, (le, se)) })
            for (int i = 0; i < list.Count; i++)
            {
                var f = list[i];
                var loo = Fit(list.Where((_, j) => j != i).ToList());
                double model = Predict(f, fit), looModel = Predict(f, loo);
                rows.Add(new CalibrationRow(f.Point.Name, f.Metric, f.Published, f.Logic + f.Storage, model, model / f.Published - 1,
                    looModel / f.Published - 1, f.Point.Source, f.Point.Assumptions, f.Point.KnownGap));
            }
        return new CalibrationReport(new CalibrationFactors(la, sa, le, se), rows);
    }

    private sealed record Feature(CalibrationPoint Point, CalibrationMetric Metric, double Logic, double Storage, double Published);

    // Uncalibrated logic and storage cost of the point's PE at its node (one PE synthesized alone: weight-stationary, one row).
    private static Feature Features(CalibrationPoint p, CalibrationMetric m)
    {
        var dp = new PeDatapathBuilder(p.Pe, Dataflow.WS, 1, ComponentLibrary.Default).Build();
        var s = CostData.Scaling;
        double scale = m == CalibrationMetric.Area
            ? s.AreaScale(ComponentLibrary.ReferenceNodeNm, p.NodeNm)
            : s.EnergyScale(ComponentLibrary.ReferenceNodeNm, ComponentLibrary.ReferenceVdd, p.NodeNm, p.Vdd);
        double Sum(DatapathPart part) => dp.Components.Where(c => c.Part == part)
            .Sum(c => m == CalibrationMetric.Area ? c.AreaUm2 : c.EnergyPj) * scale;
        return new Feature(p, m, Sum(DatapathPart.Logic), Sum(DatapathPart.Storage),
            m == CalibrationMetric.Area ? p.AreaUm2!.Value : p.EnergyPj!.Value);
    }

    private static double Predict(Feature f, (double Logic, double Storage) k) => k.Logic * f.Logic + k.Storage * f.Storage;

    // Minimises Σ (model/published − 1)² over non-negative (logic, storage) factors: the 2×2 normal equations, or the best
    // single-factor fit when the unconstrained optimum has a negative factor.
    private static (double Logic, double Storage) Fit(IReadOnlyList<Feature> fs)
    {
        if (fs.Count == 0) return (1, 1);
        double xx = 0, xy = 0, yy = 0, x1 = 0, y1 = 0;
        foreach (var f in fs)
        {
            double x = f.Logic / f.Published, y = f.Storage / f.Published;
            xx += x * x; xy += x * y; yy += y * y; x1 += x; y1 += y;
        }
        double det = xx * yy - xy * xy;
        if (det > 1e-12 * xx * yy)
        {
            double a = (x1 * yy - y1 * xy) / det, b = (y1 * xx - x1 * xy) / det;
            if (a >= 0 && b >= 0) return (a, b);
        }
        double onlyLogic = xx > 0 ? x1 / xx : 0, onlyStorage = yy > 0 ? y1 / yy : 0;
        double Loss((double A, double B) k) => fs.Sum(f => Math.Pow(Predict(f, k) / f.Published - 1, 2));
        return Loss((onlyLogic, 0)) <= Loss((0, onlyStorage)) ? (onlyLogic, 0) : (0, onlyStorage);
    }
}
