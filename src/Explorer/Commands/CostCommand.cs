using System.Globalization;
using System.Text;
using System.Text.Json;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Explorer.Cli;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa cost ARCH.yaml</c>: area, per-action energies, peak throughput and efficiency (ASIC) or FPGA fit.</summary>
public sealed class CostCommand : ICommand
{
    public CommandSpec Spec { get; } = new("cost",
        "Cost an architecture: area, per-action energy table, peak TOPS per format, TOPS/W and TOPS/mm² (ASIC) or FPGA resources.",
        "mantissa cost ARCH.yaml [--set KEY=VALUE]... [--calibrated] [--json]",
        new[]
        {
            new OptionSpec("--set", "KEY=VALUE", "Override one architecture key before costing (e.g. --set array.rows=64).", Repeatable: true),
            new OptionSpec("--calibrated", null, "ASIC: multiply the PE datapath's logic and register rows by the global factors `mantissa calibrate` fits (src/Arch/Data/pe_calibration_factors.csv)."),
            new OptionSpec("--json", null, "Print one JSON object instead of tables."),
        },
        "Energies are per action at the target node and supply (ASIC) or the device's node times the FPGA/ASIC power gap (FPGA).\n" +
        "Every row names its source; 'override:' marks a figure pinned in the file's overrides: section. Without --calibrated\n" +
        "the PE rows are the primitive library's, as the simulator uses them (docs/cost.md, \"PE calibration\").");

    public int Run(ParsedArgs args, CommandIO io)
    {
        string path = args.Positional(0, "architecture file (ARCH.yaml)");
        if (args.Positionals.Count > 1) throw new UsageException($"unexpected argument '{args.Positionals[1]}'");
        var sets = args.GetAll("--set").Select(s =>
        {
            int eq = s.IndexOf('=');
            if (eq <= 0) throw new UsageException($"--set expects KEY=VALUE, got '{s}'");
            return new KeyValuePair<string, string>(s[..eq], s[(eq + 1)..]);
        }).ToList();
        var arch = ArchitectureLoader.Load(path, sets);
        bool calibrated = args.Has("--calibrated");
        var report = calibrated && arch.Target == Target.Asic ? AsicCostModel.Report(arch, CalibrationFactors.Applied) : CostModel.Report(arch);
        io.Out.Write(args.Has("--json") ? Json(arch, report) : Text(arch, report, calibrated));
        return 0;
    }

    internal static string Text(ArchitectureSpec arch, CostReport r, bool calibrated = false)
    {
        var sb = new StringBuilder();
        var sources = new List<string>();
        string Ref(string source)
        {
            int i = sources.IndexOf(source);
            if (i < 0) { sources.Add(source); i = sources.Count - 1; }
            return $"[{i + 1}]";
        }
        var pe = arch.Pe;
        string where = r.Target == Target.Asic
            ? $"ASIC {F(r.NodeNm!.Value, "0.##")} nm, {F(r.Vdd!.Value, "0.00")} V"
            : $"FPGA {r.Fpga!.Device.Name} ({r.Fpga.Device.Part})";
        sb.AppendLine($"{arch.Name}: {where}, {F(arch.ClockMhz, "0.#")} MHz, {arch.Array.Rows}x{arch.Array.Cols} PEs " +
                      $"({pe.Kind.Name} {pe.WeightFormat.Name} x {pe.ActivationFormat.Name} -> {pe.Accumulator.Name}, dot width {pe.DotWidth}, " +
                      $"{arch.Array.DataflowText}{(arch.Array.Open != DataflowSet.None ? $", priced as {ArraySpec.Name(CostModel.PricedDataflow(arch))}" : "")})");

        if (r.Fpga is { } f)
        {
            sb.AppendLine();
            sb.AppendLine("FPGA resources");
            var t = new TextTable("resource", "used", "available", "util %");
            foreach (var u in f.Utilization)
                t.Row(u.Resource, F(u.Used, "#,0.#"), F(u.Available, "#,0"), double.IsInfinity(u.Percent) ? "n/a" : F(u.Percent, "0.0"));
            t.WriteTo(sb);
            sb.AppendLine($"  fits: {(f.Fits ? "yes" : "NO (utilization above 100%)")}");
            sb.AppendLine($"  clock: {F(arch.ClockMhz, "0.#")} MHz requested, {F(f.EstimatedClockMhz, "0.#")} MHz estimated achievable " +
                          $"({(f.ClockMet ? "met" : "NOT met")})");
            sb.AppendLine($"  off-chip bandwidth: {F(f.DramGBps, "0.##")} GB/s configured, device {f.Device.MemoryType} " +
                          $"{F(f.Device.MemoryGBps, "0.##")} GB/s" + (f.DramGBps > f.Device.MemoryGBps ? " (EXCEEDS the device)" : ""));
            sb.AppendLine();
            sb.AppendLine("Resource breakdown");
            var b = new TextTable("component", "LUT", "FF", "DSP", "BRAM36", "URAM", "source");
            foreach (var i in f.Breakdown)
                b.Row(i.Component, F(i.Used.Luts, "#,0"), F(i.Used.Ffs, "#,0"), F(i.Used.Dsps, "#,0"), F(i.Used.Bram36, "#,0.#"), F(i.Used.Uram, "#,0"), Ref(i.Source));
            b.WriteTo(sb);
        }
        else
        {
            sb.AppendLine();
            sb.AppendLine($"Area ({F(r.Cost.AreaMm2, "0.####")} mm², PE {F(r.PeAreaUm2, "0.#")} um²)");
            var t = new TextTable("component", "count", "mm²", "share %", "source");
            foreach (var a in r.Cost.AreaBreakdown)
                t.Row(a.Component, a.Count.ToString(CultureInfo.InvariantCulture), F(a.AreaMm2, "0.######"),
                    F(r.Cost.AreaMm2 > 0 ? 100 * a.AreaMm2 / r.Cost.AreaMm2 : 0, "0.0"), Ref(a.Source));
            t.WriteTo(sb);
        }

        sb.AppendLine();
        sb.AppendLine("Energy per action (pJ)");
        var e = new TextTable("component", "action", "pJ", "source");
        foreach (var x in r.Cost.EnergyTable) e.Row(x.Component, x.Action, F(x.EnergyPj, "0.#####"), Ref(x.Source));
        e.WriteTo(sb);

        sb.AppendLine();
        sb.AppendLine("Memory levels");
        var m = new TextTable("level", "read pJ/word", "write pJ/word", "leakage mW", "area mm²");
        foreach (var l in r.Cost.Levels)
            m.Row(l.Name, F(l.ReadEnergyPjPerWord, "0.####"), F(l.WriteEnergyPjPerWord, "0.####"), F(l.LeakageMw, "0.###"), F(l.AreaMm2, "0.####"));
        m.WriteTo(sb);

        sb.AppendLine();
        sb.AppendLine($"Peak throughput at {F(arch.ClockMhz, "0.#")} MHz (one MAC = 2 ops)");
        var p = new TextTable("weights", "activations", "MACs/cycle/PE", "ops/cycle", "TOPS", "TOPS/W");
        foreach (var x in r.Peak)
            p.Row(x.Weight, x.Activation, F(x.MacsPerCyclePerPe, "0.###"), F(2 * x.MacsPerCycle, "#,0.#"), F(x.Tops, "0.####"), F(x.TopsPerWatt, "0.###"));
        p.WriteTo(sb);

        sb.AppendLine();
        sb.AppendLine($"PE energy: {F(r.Cost.PeEnergyPerActiveCyclePj, "0.####")} pJ/active cycle, {F(r.Cost.PeEnergyPerIdleCyclePj, "0.#####")} pJ/idle cycle");
        if (r.Target == Target.Asic && calibrated)
        {
            var k = CalibrationFactors.Applied;
            sb.AppendLine($"PE calibration: pe.* rows are the primitive library x global factors (area: logic {F(k.AreaLogic, "0.###")}, registers {F(k.AreaStorage, "0.###")}; " +
                          $"energy: logic {F(k.EnergyLogic, "0.###")}, registers {F(k.EnergyStorage, "0.###")}) fitted by `mantissa calibrate` (src/Arch/Data/{CalibrationFactors.FileName})");
        }
        sb.AppendLine($"Leakage: {F(r.Cost.LeakageMw, "0.###")} mW" + (r.Target == Target.Asic && arch.Memory.Any(l => l.Kind == MemoryKind.Sram)
            ? $" (SRAM cells: {string.Join(", ", arch.Memory.Where(l => l.Kind == MemoryKind.Sram).Select(l => l.Cell.ToString().ToLowerInvariant()).Distinct())};" +
              " set a level's cell: lop|lstp|hp, or pin it with overrides.memory.<level>.leakage_mw)" : ""));
        if (r.Target == Target.Asic && r.ChipNotModelled.Count > 0)
            sb.AppendLine(arch.Chip is null
                ? "Whole chip: array and memories only; declare control, DMA, post-processing, PHYs, interconnect and clock tree in chip: (docs/architecture.md)"
                : $"Whole chip: not declared in chip:, so not priced: {string.Join(", ", r.ChipNotModelled)}");
        if (r.Cost.AlwaysOnMw > 0) sb.AppendLine($"Always on ({AlwaysOnParts(arch.Chip, r.Cost)}): {F(r.Cost.AlwaysOnMw, "0.###")} mW every cycle");
        sb.AppendLine($"Peak power (all PEs active + leakage{(r.Cost.AlwaysOnMw > 0 ? " + always on" : "")}, memory traffic excluded): {F(r.PeakPowerMw, "0.###")} mW");
        sb.Append($"Efficiency: {F(r.TopsPerWatt, "0.###")} TOPS/W");
        sb.AppendLine(r.Target == Target.Asic ? $", {F(r.TopsPerMm2, "0.###")} TOPS/mm²" : "");
        if (r.AppliedOverrides.Count > 0)
        {
            sb.AppendLine();
            sb.AppendLine("Overrides applied");
            var o = new TextTable("path", "value", "source");
            foreach (var x in r.AppliedOverrides) o.Row(x.Path, F(x.Value, "0.######"), x.Source);
            o.WriteTo(sb);
        }
        sb.AppendLine();
        sb.AppendLine("Sources");
        for (int i = 0; i < sources.Count; i++) sb.AppendLine($"  [{i + 1}] {sources[i]}");
        return sb.ToString();
    }

    internal static string Json(ArchitectureSpec arch, CostReport r)
    {
        static double? N(double v) => double.IsFinite(v) ? v : null;
        var f = r.Fpga;
        var obj = new
        {
            schema_version = OutputSchema.Version,
            name = arch.Name,
            target = r.Target.ToString().ToLowerInvariant(),
            node_nm = r.NodeNm,
            vdd = r.Vdd,
            clock_mhz = arch.ClockMhz,
            pe_count = arch.PeCount,
            pe_area_um2 = r.PeAreaUm2,
            area_mm2 = r.Cost.AreaMm2,
            leakage_mw = r.Cost.LeakageMw,
            always_on_mw = r.Cost.AlwaysOnMw,
            chip_not_modelled = r.ChipNotModelled,
            pe_energy_pj_per_active_cycle = r.Cost.PeEnergyPerActiveCyclePj,
            pe_energy_pj_per_idle_cycle = r.Cost.PeEnergyPerIdleCyclePj,
            peak_power_mw = r.PeakPowerMw,
            tops_per_watt = N(r.TopsPerWatt),
            tops_per_mm2 = N(r.TopsPerMm2),
            peak = r.Peak.Select(p => new { weights = p.Weight, activations = p.Activation, macs_per_cycle_per_pe = p.MacsPerCyclePerPe,
                macs_per_cycle = p.MacsPerCycle, tops = p.Tops, tops_per_watt = N(p.TopsPerWatt) }),
            levels = r.Cost.Levels.Select(l => new { name = l.Name, read_pj_per_word = l.ReadEnergyPjPerWord,
                write_pj_per_word = l.WriteEnergyPjPerWord, leakage_mw = l.LeakageMw, area_mm2 = l.AreaMm2 }),
            energy_table = r.Cost.EnergyTable.Select(x => new { component = x.Component, action = x.Action, energy_pj = x.EnergyPj, source = x.Source }),
            area_breakdown = r.Cost.AreaBreakdown.Select(x => new { component = x.Component, count = x.Count, area_mm2 = x.AreaMm2, source = x.Source }),
            overrides = r.AppliedOverrides.Select(o => new { path = o.Path, value = o.Value, source = o.Source }),
            fpga = f is null ? null : new
            {
                device = f.Device.Name,
                part = f.Device.Part,
                fits = f.Fits,
                estimated_clock_mhz = f.EstimatedClockMhz,
                clock_met = f.ClockMet,
                dram_gbps = f.DramGBps,
                device_dram_gbps = f.Device.MemoryGBps,
                utilization = f.Utilization.Select(u => new { resource = u.Resource, used = u.Used, available = u.Available, percent = N(u.Percent) }),
                breakdown = f.Breakdown.Select(b => new { component = b.Component, lut = b.Used.Luts, ff = b.Used.Ffs, dsp = b.Used.Dsps,
                    bram36 = b.Used.Bram36, uram = b.Used.Uram, source = b.Source }),
            },
        };
        return JsonSerializer.Serialize(obj, new JsonSerializerOptions { WriteIndented = true }) + "\n";
    }


    // What draws power every cycle, busy or idle: the parts of chip: that the cost model charges always on.
    private static string AlwaysOnParts(ChipSpec? chip, ArchCost cost) => string.Join(", ", new[]
    {
        chip is { ClockTree: true } ? "clock tree and its buffers" : null,
        chip is { PcieLanes: > 0 } ? "PCIe transmitters" : null,
        cost.EnergyTable.Any(e => e.Action == "static_cycle") ? "DRAM PHYs' static power" : null,
        cost.EnergyTable.Any(e => e.Action == "standby_cycle") ? "DRAM devices' standby and refresh" : null,
    }.OfType<string>());

    private static string F(double v, string fmt) => v.ToString(fmt, CultureInfo.InvariantCulture);

    /// <summary>Plain left-aligned text columns (the last column is not padded, so long sources do not widen the table).</summary>
    private sealed class TextTable(params string[] header)
    {
        private readonly List<string[]> _rows = new() { header };

        public void Row(params string[] cells) => _rows.Add(cells);

        public void WriteTo(StringBuilder sb)
        {
            int n = _rows[0].Length;
            var w = Enumerable.Range(0, n).Select(i => _rows.Max(r => r[i].Length)).ToArray();
            foreach (var r in _rows)
                sb.AppendLine(("  " + string.Join("  ", r.Select((c, i) => i == n - 1 ? c : c.PadRight(w[i])))).TrimEnd());
        }
    }
}
