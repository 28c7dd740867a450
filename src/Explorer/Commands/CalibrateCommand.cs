using System.Globalization;
using System.Text;
using System.Text.Json;
using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa calibrate</c>: the PE cost model against published synthesis points, with leave-one-out errors.</summary>
public sealed class CalibrateCommand : ICommand
{
    public CommandSpec Spec { get; } = new("calibrate",
        "Fit the PE cost model's global factors to published PE synthesis points; print each point's error and leave-one-out error.",
        "mantissa calibrate [--chips] [--points FILE] [--json] [--write-factors FILE]",
        new[]
        {
            new OptionSpec("--chips", null, "Fit the chip-level logic and SRAM factors to published whole-chip areas instead (chip_calibration.csv)."),
            new OptionSpec("--points", "FILE", "Fit to the points in FILE (the columns of src/Arch/Data/pe_calibration.csv) instead of the bundled set."),
            new OptionSpec("--json", null, "Print one JSON object instead of the table."),
            new OptionSpec("--write-factors", "FILE", "Also write the fitted factors as the data file `mantissa cost` applies (src/Arch/Data/pe_calibration_factors.csv)."),
        },
        "Points: src/Arch/Data/pe_calibration.csv (one published PE per row, with its source; a ratio row divides its PE by a\n" +
        "baseline PE, per MAC). Every PE is composed from the same primitive library; four global factors (logic and storage\n" +
        "area, logic and storage energy per cycle) are fitted to the PE-scope points (fit = yes).\n" +
        "'library' is the uncalibrated primitive library; 'fitted' applies the factors (what `mantissa cost` uses, from\n" +
        "src/Arch/Data/pe_calibration_factors.csv, which --write-factors rewrites); 'loo' is the\n" +
        "fitted error with the point left out of the fit. Rows with fit = no cover more than the PE they describe (a whole engine,\n" +
        "a die share); they are reported, not fitted. Rows beyond 35% carry the reason the model misses them.\n" +
        "--chips: src/Arch/Data/chip_calibration.csv (published die, floor-plan block and configuration areas, each with its\n" +
        "design under arch-configs/reproductions/); two global factors (logic, SRAM) fitted once, with each point's leave-one-out\n" +
        "and leave-chip-out error. `mantissa cost` applies them as chip_fit.* rows to every design with a chip: section (chip.fitted_area: false turns them off).");

    public int Run(ParsedArgs args, CommandIO io)
    {
        if (args.Positionals.Count > 0) throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        if (args.Has("--chips"))
        {
            var chips = Mantissa.Arch.Cost.Chip.ChipCalibration.Run(Mantissa.Explorer.Reproduce.ExperimentCatalog.Root());
            io.Out.Write(args.Has("--json") ? ChipCalibrationText.Json(chips) : ChipCalibrationText.Text(chips));
            return 0;
        }
        var r = PeCalibration.Default;
        if (args.Get("--points") is { } points)
        {
            string text;
            try { text = File.ReadAllText(points); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MantissaException($"--points: cannot read '{points}': {e.Message}"); }
            try { r = PeCalibration.Run(PeCalibration.Parse(Path.GetFileName(points), text)); }
            catch (InvalidDataException e) { throw new MantissaException(e.Message); }
        }
        if (args.Get("--write-factors") is { } file)
        {
            try { File.WriteAllText(file, CalibrationFactors.ToCsv(r)); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { throw new MantissaException($"--write-factors: cannot write '{file}': {e.Message}"); }
        }
        io.Out.Write(args.Has("--json") ? Json(r) : Text(r));
        return 0;
    }

    private static string P(double v) => (v >= 0 ? "+" : "") + (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    private static string F(double v) => v.ToString(v >= 100 ? "0" : v >= 1 ? "0.##" : "0.####", CultureInfo.InvariantCulture);

    internal static string Text(CalibrationReport r)
    {
        var sb = new StringBuilder();
        var f = r.Factors;
        sb.AppendLine("Fitted global factors (x primitive library at 45 nm; logic / storage = registers):");
        sb.AppendLine($"  area {f.AreaLogic:0.###} / {f.AreaStorage:0.###}, energy per cycle {f.EnergyLogic:0.###} / {f.EnergyStorage:0.###} (fitted on the rows marked fit; others are reported against it)");
        sb.AppendLine();
        var rows = new List<string[]> { new[] { "point", "metric", "fit", "published", "library", "fitted", "error", "loo" } };
        foreach (var row in r.Rows)
            rows.Add(new[] { row.Point, Metric(row), row.InFit ? "yes" : "no", Published(row), F(row.Library), F(row.Model), P(row.Error), P(row.LeaveOneOutError) });
        var w = Enumerable.Range(0, 8).Select(i => rows.Max(x => x[i].Length)).ToArray();
        foreach (var x in rows)
            sb.AppendLine("  " + string.Join("  ", x.Select((c, i) => i < 3 ? c.PadRight(w[i]) : c.PadLeft(w[i]))).TrimEnd());
        if (r.Rows.Any(x => x.IsRange))
            sb.AppendLine("  (published lo-hi: a range; its error is the distance to the nearer end, 0 inside, in the table and in the fit)");
        sb.AppendLine();
        int fitted = r.FittedRows.Count();
        sb.AppendLine($"{fitted} fitted rows of {r.Rows.Count}; library median |error| {r.MedianLibraryError * 100:0.0}%; fitted median |error| {r.MedianError * 100:0.0}%, " +
                      $"median |loo| {r.MedianLeaveOneOutError * 100:0.0}%, max |loo| {r.MaxLeaveOneOutError * 100:0.0}%; all {r.Rows.Count} rows: median |error| {r.MedianErrorAllRows * 100:0.0}%");
        sb.AppendLine();
        sb.AppendLine("Why points beyond 35% are missed:");
        foreach (var g in r.Rows.Where(x => Math.Max(Math.Abs(x.LeaveOneOutError), Math.Abs(x.LibraryError)) > 0.35).GroupBy(x => x.Point))
            sb.AppendLine($"  {g.Key}: " + (g.First().KnownGap.Length > 0 ? g.First().KnownGap : "no known scope difference: a model error"));
        sb.AppendLine();
        sb.AppendLine("Sources and assumptions:");
        foreach (var g in r.Rows.GroupBy(x => x.Point))
            sb.AppendLine($"  {g.Key}: {g.First().Source}" + (g.First().Assumptions.Length > 0 ? $" ({g.First().Assumptions})" : ""));
        return sb.ToString();
    }

    private static string Published(CalibrationRow row) => row.IsRange ? F(row.Published) + "-" + F(row.PublishedHigh!.Value) : F(row.Published);

    private static string Metric(CalibrationRow row) => (row.Metric, row.IsRatio) switch
    {
        (CalibrationMetric.Area, false) => "area um2",
        (CalibrationMetric.Energy, false) => "energy pJ/cycle",
        (CalibrationMetric.Area, true) => "area/MAC ratio",
        _ => "energy/MAC ratio",
    };

    private static string Json(CalibrationReport r) => JsonSerializer.Serialize(new
    {
        factors = new { area_logic = r.Factors.AreaLogic, area_storage = r.Factors.AreaStorage, energy_logic = r.Factors.EnergyLogic, energy_storage = r.Factors.EnergyStorage },
        median_abs_error = r.MedianError,
        median_abs_loo_error = r.MedianLeaveOneOutError,
        max_abs_loo_error = r.MaxLeaveOneOutError,
        median_abs_error_all_rows = r.MedianErrorAllRows,
        rows = r.Rows.Select(x => new
        {
            point = x.Point, metric = x.Metric == CalibrationMetric.Area ? (x.IsRatio ? "area_per_mac_ratio" : "area_um2") : (x.IsRatio ? "energy_per_mac_ratio" : "energy_pj_per_cycle"),
            published = x.Published, published_high = x.PublishedHigh ?? x.Published, library = x.Library, model = x.Model, error = x.Error, loo_error = x.LeaveOneOutError, fit = x.InFit, source = x.Source, assumptions = x.Assumptions, known_gap = x.KnownGap,
        }),
    }, new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
