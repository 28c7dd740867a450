using System.Globalization;
using System.Text;
using System.Text.Json;
using Mantissa.Arch.Cost.Chip;

namespace Mantissa.Explorer.Commands;

/// <summary>Renders <c>mantissa calibrate --chips</c>: the chip-level factors and every whole-chip point's errors.</summary>
internal static class ChipCalibrationText
{
    private static string P(double v) => (v >= 0 ? "+" : "") + (v * 100).ToString("0.0", CultureInfo.InvariantCulture) + "%";
    private static string F(double v) => v.ToString(v >= 100 ? "0.0" : v >= 1 ? "0.00" : "0.000", CultureInfo.InvariantCulture);

    public static string Text(ChipCalibrationReport r)
    {
        var sb = new StringBuilder();
        sb.AppendLine("Fitted chip factors (x the area mantissa cost composes; PHY and controller rows are die-shot areas, not scaled):");
        sb.AppendLine(FormattableString.Invariant($"  logic {r.Factors.Logic:0.###} (PE array, per-PE levels, control, DMA, post-processing), SRAM {r.Factors.Sram:0.###} (shared on-chip SRAM levels)"));
        sb.AppendLine();
        var rows = new List<string[]> { new[] { "point", "published", "logic", "sram", "fixed", "unfitted", "fitted", "error", "loo", "leave-chip-out", "in fit" } };
        foreach (var x in r.Rows)
            rows.Add(new[] { x.Point.Name, F(x.Point.PublishedMm2), F(x.Logic), F(x.Sram), F(x.Fixed), F(x.Unfitted), F(x.Fitted), P(x.Error), P(x.LeaveOneOutError), P(x.LeaveChipOutError),
                x.Point.Fitted ? "yes" : "check" });
        var w = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(x => x[i].Length)).ToArray();
        sb.AppendLine("  areas in mm²; loo: fitted without the point; leave-chip-out: fitted without every point of the same chip;");
        sb.AppendLine("  check: priced with the factors and shown, not fitted (its composed rows leave out what the published block holds)");
        foreach (var x in rows)
            sb.AppendLine("  " + string.Join("  ", x.Select((c, i) => i == 0 ? c.PadRight(w[i]) : c.PadLeft(w[i]))).TrimEnd());
        sb.AppendLine();
        sb.AppendLine(FormattableString.Invariant(
            $"{r.FittedRows.Count()} fitted points, {r.Rows.Count - r.FittedRows.Count()} checks; over the fitted points max |error| {r.MaxError * 100:0.0}%, median |loo| {r.MedianLeaveOneOutError * 100:0.0}%, max |loo| {r.MaxLeaveOneOutError * 100:0.0}%, max |leave-chip-out| {r.MaxLeaveChipOutError * 100:0.0}%"));
        sb.AppendLine();
        sb.AppendLine("Why points beyond 30% in any column are missed:");
        var missed = r.Rows.Where(x => new[] { x.Error, x.LeaveOneOutError, x.LeaveChipOutError }.Max(Math.Abs) > 0.30).ToList();
        if (missed.Count == 0) sb.AppendLine("  none");
        foreach (var x in missed)
            sb.AppendLine($"  {x.Point.Name}: " + (x.Point.KnownGap.Length > 0 ? x.Point.KnownGap : "no known scope difference: a model error"));
        sb.AppendLine();
        sb.AppendLine("Sources:");
        foreach (var x in r.Rows)
            sb.AppendLine($"  {x.Point.Name}: {x.Point.Source} (design {x.Point.Design}, rows: {(x.Point.Components.Count == 0 ? "all" : string.Join(", ", x.Point.Components))})");
        return sb.ToString();
    }

    public static string Json(ChipCalibrationReport r) => JsonSerializer.Serialize(new
    {
        factors = new { logic = r.Factors.Logic, sram = r.Factors.Sram },
        max_abs_error = r.MaxError,
        median_abs_loo_error = r.MedianLeaveOneOutError,
        max_abs_loo_error = r.MaxLeaveOneOutError,
        max_abs_leave_chip_out_error = r.MaxLeaveChipOutError,
        rows = r.Rows.Select(x => new
        {
            point = x.Point.Name, chip = x.Point.Chip, design = x.Point.Design, published_mm2 = x.Point.PublishedMm2,
            logic_mm2 = x.Logic, sram_mm2 = x.Sram, fixed_mm2 = x.Fixed, unfitted_mm2 = x.Unfitted, fitted_mm2 = x.Fitted,
            error = x.Error, loo_error = x.LeaveOneOutError, leave_chip_out_error = x.LeaveChipOutError, fitted = x.Point.Fitted, source = x.Point.Source,
            known_gap = x.Point.KnownGap,
        }),
    }, new JsonSerializerOptions { WriteIndented = true }) + "\n";
}
