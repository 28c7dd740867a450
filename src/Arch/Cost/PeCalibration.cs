using Mantissa.Arch.Config;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>Global factors on the primitive library, one per metric and datapath part: logic and storage (registers) area,
/// logic and storage energy per cycle.</summary>
/// <remarks>Fitted once over the PE-scope calibration points, never per kind or per paper (four parameters). Registers get
/// their own factor because the library prices a register bit as one bare flip-flop, while a synthesized PE's registers
/// carry clock gating, enables and hold muxes that a logic factor does not describe; splitting lowers the median
/// leave-one-out error from 22.1% to 13.6% on the same points (measured before the two int64-accumulator rows; 13.7% with
/// them, docs/cost.md).</remarks>
public sealed record CalibrationFactors(double AreaLogic, double AreaStorage, double EnergyLogic, double EnergyStorage)
{
    /// <summary>The file <c>mantissa cost</c> reads the applied factors from (embedded; written by <c>mantissa calibrate --write-factors</c>).</summary>
    public const string FileName = "pe_calibration_factors.csv";

    private static readonly Lazy<CalibrationFactors> _applied = new(() => Load(CsvTable.LoadEmbedded(FileName)));

    /// <summary>The factors <c>mantissa cost</c> applies to every PE datapath component (from <see cref="FileName"/>).</summary>
    public static CalibrationFactors Applied => _applied.Value;

    /// <summary>Where the applied factors come from, as <c>mantissa cost</c> cites them.</summary>
    public const string Source = "global factors fitted by mantissa calibrate, src/Arch/Data/" + FileName;

    internal static CalibrationFactors Load(CsvTable t)
    {
        var v = new Dictionary<(string, string), double>();
        foreach (var r in t.Rows)
        {
            var key = (r.Text("metric"), r.Text("part"));
            if (key.Item1 is not ("area" or "energy") || key.Item2 is not ("logic" or "storage"))
                throw new InvalidDataException($"{t.Name}, line {r.Line}: expected metric area|energy and part logic|storage, got '{key.Item1}', '{key.Item2}'");
            double f = r.Number("factor");
            if (!(f > 0)) throw new InvalidDataException($"{t.Name}, line {r.Line}, column factor: expected a positive number, got {f}");
            if (!v.TryAdd(key, f)) throw new InvalidDataException($"{t.Name}, line {r.Line}: {key.Item1} {key.Item2} given twice");
        }
        double Get(string m, string p) => v.TryGetValue((m, p), out double f) ? f : throw new InvalidDataException($"{t.Name}: no row for {m} {p}");
        return new CalibrationFactors(Get("area", "logic"), Get("area", "storage"), Get("energy", "logic"), Get("energy", "storage"));
    }

    /// <summary>The factors as the data file <c>mantissa cost</c> reads, with the fit they came from.</summary>
    public static string ToCsv(CalibrationReport r)
    {
        var f = r.Factors;
        string src = $"\"mantissa calibrate: fitted to {r.FittedRows.Count()} published PE values in pe_calibration.csv; median leave-one-out error {r.MedianLeaveOneOutError * 100:0.0}%\"";
        static string N(double x) => x.ToString("0.######", System.Globalization.CultureInfo.InvariantCulture);
        return "# Global PE calibration factors applied by `mantissa cost` to every PE datapath component (logic = combinational\n" +
               "# primitives, storage = registers). Written by `mantissa calibrate --write-factors src/Arch/Data/" + FileName + "`;\n" +
               "# not edited by hand: tests/Arch.Tests/Cost/PeCalibrationTests.cs checks it equals a fresh fit.\n" +
               "metric,part,factor,source\n" +
               $"area,logic,{N(f.AreaLogic)},{src}\narea,storage,{N(f.AreaStorage)},{src}\n" +
               $"energy,logic,{N(f.EnergyLogic)},{src}\nenergy,storage,{N(f.EnergyStorage)},{src}\n";
    }

    /// <summary>The factor on <paramref name="part"/> of <paramref name="metric"/>.</summary>
    public double Of(CalibrationMetric metric, DatapathPart part) => (metric, part) switch
    {
        (CalibrationMetric.Area, DatapathPart.Logic) => AreaLogic,
        (CalibrationMetric.Area, _) => AreaStorage,
        (_, DatapathPart.Logic) => EnergyLogic,
        _ => EnergyStorage,
    };
}

/// <summary>One published PE synthesis point: the PE, its node and supply, and its published area and/or energy, or (with a
/// <see cref="Baseline"/>) only their ratios to a baseline PE of the same paper.</summary>
/// <param name="Rows">PEs of a column in the published array that share per-column units (1: the PE was synthesized alone).</param>
/// <param name="InFit">False when the published figure covers more than a PE (a whole engine, a die share, extra control): the
/// point is reported against the fitted model but takes no part in the fit or the headline medians.</param>
/// <param name="KnownGap">Why the model cannot reach the point (a scope or data difference), or empty.</param>
/// <param name="Baseline">The PE a ratio point is divided by (same node, supply and rows), or null for an absolute point.</param>
/// <param name="AreaRatio">Published area per MAC per cycle of <paramref name="Pe"/> over <paramref name="Baseline"/>'s.</param>
/// <param name="EnergyRatio">Published energy per MAC of <paramref name="Pe"/> over <paramref name="Baseline"/>'s.</param>
/// <param name="AreaHigh">When the paper publishes the area (or area ratio) as a range: its upper end, the area value being
/// the lower end; null for a single value.</param>
/// <param name="EnergyHigh">The same for the energy (or energy ratio).</param>
public sealed record CalibrationPoint(string Name, PeSpec Pe, double NodeNm, double Vdd, double? AreaUm2, double? EnergyPj,
    string Source, string Assumptions, string KnownGap, int Rows = 1, bool InFit = true,
    PeSpec? Baseline = null, double? AreaRatio = null, double? EnergyRatio = null, double? AreaHigh = null, double? EnergyHigh = null);

/// <summary>What is compared: area per PE or energy per active cycle.</summary>
public enum CalibrationMetric { Area, Energy }

/// <summary>One row of the calibration table: the published value, the fitted model's value, its error, and the error
/// with the point left out of the fit.</summary>
/// <param name="Library">The primitive library's value without the fitted factors (what the model gave before calibration).</param>
/// <param name="InFit">Whether the point is one of the fitted PE-scope points (see <see cref="CalibrationPoint.InFit"/>).</param>
/// <param name="IsRatio">Whether the values are ratios to the point's baseline PE (per MAC) rather than µm² or pJ per cycle.</param>
/// <param name="PublishedHigh">The upper end of a published range (<paramref name="Published"/> is then its lower end); equal
/// to <paramref name="Published"/> for a single value.</param>
public sealed record CalibrationRow(string Point, CalibrationMetric Metric, double Published, double Library, double Model, double Error,
    double LeaveOneOutError, string Source, string Assumptions, string KnownGap, bool InFit = true, bool IsRatio = false,
    double? PublishedHigh = null)
{
    /// <summary>Whether the paper publishes a range rather than one value.</summary>
    public bool IsRange => PublishedHigh is { } h && h != Published;

    /// <summary>The uncalibrated library's error, scored like <see cref="Error"/>.</summary>
    public double LibraryError => PeCalibration.RelativeError(Library, Published, PublishedHigh ?? Published);
}

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
    public double MedianLibraryError => Median(FittedRows.Select(r => Math.Abs(r.LibraryError)));

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
/// metric minimises the summed squared relative error. A ratio point (a PE over a baseline PE of the same paper) is compared
/// as a ratio: its relative error counts like any other point's, and a global factor on a metric cancels in it. A value
/// published as a range (<c>lo..hi</c>) is scored by its distance to the nearer end, zero inside (<see cref="RelativeError"/>),
/// in the table and in the fit alike.
/// </summary>
public static class PeCalibration
{
    private static readonly Lazy<CalibrationReport> _default = new(() => Run(Load(CsvTable.LoadEmbedded("pe_calibration.csv"))));

    /// <summary>The calibration of the embedded data set (fitted on first use).</summary>
    public static CalibrationReport Default => _default.Value;

    /// <summary>Calibration points read from <paramref name="text"/>, a file with the columns of <c>Data/pe_calibration.csv</c>
    /// (what-ifs: another point set fitted the same way).</summary>
    public static IReadOnlyList<CalibrationPoint> Parse(string name, string text) => Load(CsvTable.Parse(name, text));

    /// <summary>The embedded calibration points.</summary>
    public static IReadOnlyList<CalibrationPoint> Points => Load(CsvTable.LoadEmbedded("pe_calibration.csv"));

    internal static IReadOnlyList<CalibrationPoint> Load(CsvTable t) => t.Rows.Select(r =>
    {
        string name = r.Text("point");
        PeSpec Bind(string column)
        {
            var keys = r.Text(column).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(kv =>
            {
                int eq = kv.IndexOf('=');
                if (eq <= 0) throw new InvalidDataException($"{t.Name}, line {r.Line}, column {column}: expected key=value, got '{kv}'");
                return (kv[..eq], kv[(eq + 1)..]);
            });
            try { return PeOptions.Bind(keys, $"{t.Name}, line {r.Line} ({name}, column {column})"); }
            catch (ConfigException e) { throw new InvalidDataException(e.Message); }
        }
        var pe = Bind("pe");
        double rows = r.Number("rows");
        if (rows < 1 || rows != Math.Floor(rows)) throw new InvalidDataException($"{t.Name}, line {r.Line}, column rows: expected a whole number >= 1, got {rows}");
        string fit = r.Text("fit");
        if (fit is not ("yes" or "no")) throw new InvalidDataException($"{t.Name}, line {r.Line}, column fit: expected yes or no, got '{fit}'");
        string gap = r.Text("known_gap");
        if (fit == "no" && gap.Length == 0) throw new InvalidDataException($"{t.Name}, line {r.Line}, column known_gap: a point left out of the fit (fit=no) must say why");
        // A value is one positive number or a published range lo..hi (0 < lo < hi).
        (double? Low, double? High) Opt(string column)
        {
            if (!r.Has(column)) return (null, null);
            string text = r.Text(column);
            int dots = text.IndexOf("..", StringComparison.Ordinal);
            double lo = Positive(dots < 0 ? text : text[..dots]), hi = dots < 0 ? lo : Positive(text[(dots + 2)..]);
            if (dots >= 0 && hi <= lo) throw new InvalidDataException($"{t.Name}, line {r.Line}, column {column}: a range lo..hi needs lo < hi, got '{text}'");
            return (lo, dots < 0 ? null : hi);
            double Positive(string x) =>
                double.TryParse(x, System.Globalization.NumberStyles.Float, System.Globalization.CultureInfo.InvariantCulture, out double v) && v > 0
                    ? v : throw new InvalidDataException($"{t.Name}, line {r.Line}, column {column}: expected a positive number or a range lo..hi, got '{text}'");
        }
        PeSpec? baseline = r.Has("baseline") ? Bind("baseline") : null;
        var (area, areaHi) = Opt("area_um2");
        var (energy, energyHi) = Opt("energy_pj");
        var (areaRatio, areaRatioHi) = Opt("area_ratio");
        var (energyRatio, energyRatioHi) = Opt("energy_ratio");
        if (baseline is null && (areaRatio ?? energyRatio) is not null)
            throw new InvalidDataException($"{t.Name}, line {r.Line}, column baseline: a ratio point needs the baseline PE it is divided by");
        if (baseline is not null && (area ?? energy) is not null)
            throw new InvalidDataException($"{t.Name}, line {r.Line}, columns area_um2/energy_pj: a ratio point (with a baseline) publishes area_ratio/energy_ratio, not absolute values");
        if ((area ?? energy ?? areaRatio ?? energyRatio) is null)
            throw new InvalidDataException($"{t.Name}, line {r.Line}: no published value (area_um2, energy_pj, area_ratio or energy_ratio)");
        return new CalibrationPoint(name, pe, r.Number("node_nm"), r.Number("vdd"), area, energy,
            r.Text("source"), r.Text("assumptions"), gap, (int)rows, fit == "yes", baseline, areaRatio, energyRatio,
            areaHi ?? areaRatioHi, energyHi ?? energyRatioHi);
    }).ToList();

    /// <summary>Fits the factors to <paramref name="points"/> and reports every point's error and leave-one-out error.</summary>
    public static CalibrationReport Run(IReadOnlyList<CalibrationPoint> points)
    {
        var area = points.SelectMany(p => Features(p, CalibrationMetric.Area)).ToList();
        var energy = points.SelectMany(p => Features(p, CalibrationMetric.Energy)).ToList();
        var ka = Fit(area.Where(f => f.Point.InFit).ToList());
        var ke = Fit(energy.Where(f => f.Point.InFit).ToList());
        var rows = new List<CalibrationRow>();
        foreach (var (list, fit) in new[] { (area, ka), (energy, ke) })
            for (int i = 0; i < list.Count; i++)
            {
                var f = list[i];
                // A point outside the fit is predicted by the full fit, which never saw it: its loo error is its error.
                var loo = f.Point.InFit ? Fit(list.Where((g, j) => j != i && g.Point.InFit).ToList()) : fit;
                double model = f.Model(fit), looModel = f.Model(loo);
                rows.Add(new CalibrationRow(f.Point.Name, f.Metric, f.Published, f.Library, model, f.ErrorOf(model),
                    f.ErrorOf(looModel), f.Point.Source, f.Point.Assumptions, f.Point.KnownGap, f.Point.InFit, f.IsRatio, f.High));
            }
        return new CalibrationReport(new CalibrationFactors(ka.Logic, ka.Storage, ke.Logic, ke.Storage), rows);
    }

    /// <summary>A PE's library value split into logic and storage, at the point's node and supply.</summary>
    private readonly record struct Parts(double Logic, double Storage)
    {
        public double Total => Logic + Storage;
        public double With(Factor k) => k.Logic * Logic + k.Storage * Storage;
        public Parts PerMac(double macs) => new(Logic / macs, Storage / macs);
    }

    /// <summary>The two factors of one metric.</summary>
    private readonly record struct Factor(double Logic, double Storage);

    /// <summary>
    /// Relative error of <paramref name="model"/> against a published value, or against a published range [low, high]: the
    /// distance to the nearer end relative to that end, zero inside (the usual comparison with an interval). For a single
    /// value (low = high) it is model/published − 1.
    /// </summary>
    public static double RelativeError(double model, double low, double high) =>
        model < low ? model / low - 1 : model > high ? model / high - 1 : 0;

    /// <summary>One compared value: the point's PE (or the PE over its baseline, for a ratio) in library parts; a published
    /// range runs from <see cref="Published"/> to <see cref="High"/>.</summary>
    private sealed record Feature(CalibrationPoint Point, CalibrationMetric Metric, Parts Value, Parts? Baseline, double Published, double High)
    {
        public bool IsRatio => Baseline is not null;

        public bool IsRange => High != Published;

        public double ErrorOf(double model) => RelativeError(model, Published, High);

        /// <summary>The uncalibrated library's value (all factors 1).</summary>
        public double Library => Model(new Factor(1, 1));

        /// <summary>The model with factors <paramref name="k"/>; in a ratio only the logic/storage balance matters.</summary>
        public double Model(Factor k) => Baseline is { } b ? Value.With(k) / b.With(k) : Value.With(k);
    }

    /// <summary>The primitive library's (uncalibrated) area or energy per active cycle of the point's PE at its node and
    /// supply: weight-stationary, per-column units shared by the published array's rows.</summary>
    internal static double LibraryValue(CalibrationPoint p, CalibrationMetric m) => Split(p.Pe, p, m).Total;

    /// <summary>The library's ratio of the point's PE to its baseline, per MAC: area per MAC per cycle, energy per MAC.</summary>
    internal static double LibraryRatio(CalibrationPoint p, CalibrationMetric m)
    {
        var b = p.Baseline ?? throw new InvalidOperationException($"{p.Name} has no baseline");
        return PerMac(p.Pe, p, m).Total / PerMac(b, p, m).Total;
    }

    private static Parts PerMac(PeSpec pe, CalibrationPoint p, CalibrationMetric m) =>
        Split(pe, p, m).PerMac(new PeDatapathBuilder(pe, Dataflow.WS, p.Rows, ComponentLibrary.Default).Build().MacsPerCycle);

    private static Parts Split(PeSpec pe, CalibrationPoint p, CalibrationMetric m)
    {
        var dp = new PeDatapathBuilder(pe, Dataflow.WS, p.Rows, ComponentLibrary.Default).Build();
        var s = CostData.Scaling;
        double scale = m == CalibrationMetric.Area
            ? s.AreaScale(ComponentLibrary.ReferenceNodeNm, p.NodeNm)
            : s.EnergyScale(ComponentLibrary.ReferenceNodeNm, ComponentLibrary.ReferenceVdd, p.NodeNm, p.Vdd);
        double Sum(DatapathPart part) => scale * dp.Components.Where(c => c.Part == part).Sum(c => m == CalibrationMetric.Area ? c.AreaUm2 : c.EnergyPj);
        return new Parts(Sum(DatapathPart.Logic), Sum(DatapathPart.Storage));
    }

    private static IEnumerable<Feature> Features(CalibrationPoint p, CalibrationMetric m)
    {
        double? abs = m == CalibrationMetric.Area ? p.AreaUm2 : p.EnergyPj;
        double? ratio = m == CalibrationMetric.Area ? p.AreaRatio : p.EnergyRatio;
        double? high = m == CalibrationMetric.Area ? p.AreaHigh : p.EnergyHigh;
        if (abs is { } a) yield return new Feature(p, m, Split(p.Pe, p, m), null, a, high ?? a);
        if (ratio is { } r) yield return new Feature(p, m, PerMac(p.Pe, p, m), PerMac(p.Baseline!, p, m), r, high ?? r);
    }

    /// <summary>
    /// Minimises Σ error² (<see cref="RelativeError"/>) over logic factor s and storage factor s·t: for a fixed balance t the
    /// best s is closed-form over the absolute points (s = Σx / Σx², x = library(1, t)/published) and a ratio depends on t
    /// alone, so t is searched on a log grid over 1/20..20 and refined by golden section around the best grid point. With an
    /// absolute point published as a range, the error in s is still convex but piecewise, so s is found by golden section.
    /// </summary>
    private static Factor Fit(IReadOnlyList<Feature> fs)
    {
        var absolute = fs.Where(f => !f.IsRatio).ToList();
        bool absoluteRange = absolute.Any(f => f.IsRange);
        double Objective(Factor k, double scale)
        {
            double obj = 0;
            foreach (var f in fs)
            {
                double e = f.ErrorOf(f.IsRatio ? f.Model(k) : scale * f.Model(k));
                obj += e * e;
            }
            return obj;
        }
        (double Objective, double Scale) Eval(double lnT)
        {
            var k = new Factor(1, Math.Exp(lnT));
            double scale;
            if (absoluteRange) scale = BestScale(absolute, k);
            else
            {
                double sx = 0, sxx = 0;
                foreach (var f in absolute)
                {
                    double x = f.Model(k) / f.Published;
                    sx += x; sxx += x * x;
                }
                scale = sxx > 0 ? sx / sxx : 1;
            }
            return (Objective(k, scale), scale);
        }
        const double Lo = -3, Hi = 3, Step = 0.05;
        double best = 0, bestObj = double.MaxValue;
        for (double x = Lo; x <= Hi + 1e-9; x += Step)
            if (Eval(x).Objective < bestObj) { bestObj = Eval(x).Objective; best = x; }
        double a = Math.Max(Lo, best - Step), b = Math.Min(Hi, best + Step);
        double g = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < 60; i++)
        {
            double c = b - g * (b - a), d = a + g * (b - a);
            if (Eval(c).Objective <= Eval(d).Objective) b = d; else a = c;
        }
        double t = (a + b) / 2;
        double s = Eval(t).Scale;
        return new Factor(s, s * Math.Exp(t));
    }

    /// <summary>The scale minimising the absolute points' summed squared error at balance <paramref name="k"/>, by golden
    /// section in log scale between the smallest and largest scale that puts one point on one of its ends.</summary>
    private static double BestScale(IReadOnlyList<Feature> absolute, Factor k)
    {
        if (absolute.Count == 0) return 1;
        double lo = double.MaxValue, hi = double.MinValue;
        foreach (var f in absolute)
        {
            double m = f.Model(k);
            lo = Math.Min(lo, Math.Log(f.Published / m));
            hi = Math.Max(hi, Math.Log(f.High / m));
        }
        double Obj(double lnS)
        {
            double s = Math.Exp(lnS), obj = 0;
            foreach (var f in absolute) { double e = f.ErrorOf(s * f.Model(k)); obj += e * e; }
            return obj;
        }
        double g = (Math.Sqrt(5) - 1) / 2;
        for (int i = 0; i < 80; i++)
        {
            double c = hi - g * (hi - lo), d = lo + g * (hi - lo);
            if (Obj(c) <= Obj(d)) hi = d; else lo = c;
        }
        return Math.Exp((lo + hi) / 2);
    }
}
