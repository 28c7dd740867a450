using System.Globalization;
using System.Text;
using System.Text.Json;
using Mantissa.Arch.Cost;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa calibrate</c>: the PE cost model against published synthesis points, with leave-one-out errors.</summary>
public sealed class CalibrateCommand : ICommand
{
    public CommandSpec Spec { get; } = new("calibrate",
        "Fit the PE cost model's global factors to published PE synthesis points; print each point's error and leave-one-out error.",
        "mantissa calibrate [--json]",
        new[] { new OptionSpec("--json", null, "Print one JSON object instead of the table.") },
        "Points: src/Arch/Data/pe_calibration.csv (one published PE per row, with its source). Every PE is composed from the\n" +
        "same primitive library; four global factors (logic and storage, area and energy) are fitted to all points at once.\n" +
        "'library' is the uncalibrated primitive library (what `mantissa cost` uses); 'fitted' applies the factors; 'loo' is the\n" +
        "fitted error with the point left out of the fit. Rows beyond 35% carry the reason the model misses them.");

    public int Run(ParsedArgs args, CommandIO io)
    {
        if (args.Positionals.Count > 0) throw new UsageException($"unexpected argument '{args.Positionals[0]}'");
        var r = PeCalibration.Default;
        io.Out.Write(args.Has("--json") ? Json(r) : Text(r));
        return 0;
    }

    private static string P(double v) => (v >= 0 ? "+" : "") + (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    private static string F(double v) => v.ToString(v >= 100 ? "0" : v >= 1 ? "0.##" : "0.####", CultureInfo.InvariantCulture);

    internal static string Text(CalibrationReport r)
    {
        var sb = new StringBuilder();
        var f = r.Factors;
        sb.AppendLine("Fitted global factors (x primitive library at 45 nm):");
        sb.AppendLine($"  logic area {f.LogicArea:0.###}, storage area {f.StorageArea:0.###}, logic energy {f.LogicEnergy:0.###}, storage energy {f.StorageEnergy:0.###}");
        sb.AppendLine();
        var rows = new List<string[]> { new[] { "point", "metric", "published", "library", "fitted", "error", "loo" } };
        foreach (var row in r.Rows)
            rows.Add(new[] { row.Point, row.Metric == CalibrationMetric.Area ? "area um2" : "energy pJ/cycle", F(row.Published), F(row.Library), F(row.Model), P(row.Error), P(row.LeaveOneOutError) });
        var w = Enumerable.Range(0, 7).Select(i => rows.Max(x => x[i].Length)).ToArray();
        foreach (var x in rows)
            sb.AppendLine("  " + string.Join("  ", x.Select((c, i) => i < 2 ? c.PadRight(w[i]) : c.PadLeft(w[i]))).TrimEnd());
        sb.AppendLine();
        sb.AppendLine($"{r.Rows.Count} rows; library median |error| {r.MedianLibraryError * 100:0.0}%; fitted median |error| {r.MedianError * 100:0.0}%, median |loo| {r.MedianLeaveOneOutError * 100:0.0}%, " +
                      $"max |loo| {r.Rows.Max(x => Math.Abs(x.LeaveOneOutError)) * 100:0.0}%");
        sb.AppendLine();
        sb.AppendLine("Why points beyond 35% are missed:");
        foreach (var g in r.Rows.Where(x => Math.Max(Math.Abs(x.LeaveOneOutError), Math.Abs(x.Library / x.Published - 1)) > 0.35).GroupBy(x => x.Point))
            sb.AppendLine($"  {g.Key}: " + (g.First().KnownGap.Length > 0 ? g.First().KnownGap : "no known scope difference: a model error"));
        sb.AppendLine();
        sb.AppendLine("Sources and assumptions:");
        foreach (var g in r.Rows.GroupBy(x => x.Point))
            sb.AppendLine($"  {g.Key}: {g.First().Source}" + (g.First().Assumptions.Length > 0 ? $" ({g.First().Assumptions})" : ""));
        return sb.ToString();
    }

    private static string Json(CalibrationReport r) => JsonSerializer.Serialize(new
    {
        factors = new { logic_area = r.Factors.LogicArea, storage_area = r.Factors.StorageArea, logic_energy = r.Factors.LogicEnergy, storage_energy = r.Factors.StorageEnergy },
        median_abs_error = r.MedianError,
        median_abs_loo_error = r.MedianLeaveOneOutError,
        rows = r.Rows.Select(x => new
        {
            point = x.Point, metric = x.Metric == CalibrationMetric.Area ? "area_um2" : "energy_pj_per_cycle",
            published = x.Published, library = x.Library, model = x.Model, error = x.Error, loo_error = x.LeaveOneOutError, source = x.Source, assumptions = x.Assumptions, known_gap = x.KnownGap,
        }),
    }, new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
