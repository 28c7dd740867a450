using System.Globalization;

using Mantissa.Sim.Results;
using Mantissa.Workloads;

namespace Mantissa.Explorer.Commands.Simulate;

/// <summary>The human-readable report of a simulation: summary, traffic per level, energy split and the top layers by time.</summary>
public static class SimResultText
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static void Write(TextWriter o, string what, SimResult r, int top)
    {
        var a = r.Arch;
        var m = r.Metrics();
        o.WriteLine($"{what} on {a.Name} ({a.Array.Rows}x{a.Array.Cols} {a.Pe.Kind} {a.Array.DataflowText}, " +
                    $"{a.ClockMhz.ToString("0.###", Inv)} MHz)");
        o.WriteLine();
        Row(o, "cycles", $"{N(r.Cycles)}  (compute {N(r.ComputeCycles)}, stalls {N(r.StallCycles)})");
        Row(o, "latency", Time(r.LatencySeconds));
        Row(o, "utilization", Pct(r.Utilization));
        Row(o, "energy", $"{Energy(r.EnergyPj)}  (power {m[Metric.PowerW].ToString("0.###", Inv)} W)");
        Row(o, "throughput", $"{m[Metric.TopsEffective].ToString("0.####", Inv)} TOPS effective ({N(r.Macs)} MACs)");
        if (m.Has(Metric.TokensPerS))
            Row(o, "tokens", $"{m[Metric.TokensPerS].ToString("0.##", Inv)} tokens/s, {m[Metric.TokensPerJ].ToString("0.##", Inv)} tokens/J");
        if (m.Has(Metric.FramesPerS)) Row(o, "frames", $"{m[Metric.FramesPerS].ToString("0.##", Inv)} frames/s");
        Row(o, "area", $"{r.Cost.AreaMm2.ToString("0.###", Inv)} mm²");
        Row(o, "edp", $"{m[Metric.Edp].ToString("0.###e+0", Inv)} J·s");
        if (r.FormatFallbacks > 0)
        {
            // repeated blocks give the same note: show each pattern once
            var notes = r.Layers.Where(l => l.FormatNote is not null).Select(l => Pattern(l.FormatNote!)).Distinct().ToList();
            Row(o, "formats", $"{r.FormatFallbacks} layer(s) ran at the PE's formats instead of the workload's:");
            foreach (var n in notes.Take(5)) o.WriteLine($"    {n}");
            if (notes.Count > 5) o.WriteLine($"    ... and {notes.Count - 5} more");
        }

        o.WriteLine();
        o.WriteLine("Energy by component:");
        void Part(string name, double pj) => o.WriteLine($"  {name,-16} {Energy(pj),12}  {Pct(r.EnergyPj > 0 ? pj / r.EnergyPj : 0),7}");
        Part("compute (PEs)", r.Energy.ComputePj);
        for (int i = 0; i < r.Energy.Levels.Count; i++) Part(r.Energy.Levels[i].Level, r.Energy.Levels[i].Pj);
        Part("leakage", r.Energy.LeakagePj);

        o.WriteLine();
        o.WriteLine("Traffic per memory level (words of the level; bandwidth in bytes/cycle, demanded vs available read/write):");
        o.WriteLine($"  {"level",-16} {"reads",16} {"writes",16} {"demanded",10} {"available",14}");
        for (int i = 0; i < r.Traffic.Count; i++)
        {
            var t = r.Traffic[i];
            var spec = a.Memory[i];
            double copies = spec.PerPe ? a.PeCount : 1;
            double demand = r.Cycles > 0 ? (t.ReadBytes + t.WriteBytes) / r.Cycles / copies : 0;
            // DRAM reads and writes share one bus (as the timing model has it): one figure when the rates agree
            string avail = spec.Kind == Arch.Model.MemoryKind.Dram && spec.ReadBytesPerCycle == spec.WriteBytesPerCycle
                ? spec.ReadBytesPerCycle.ToString("0.##", Inv)
                : spec.ReadBytesPerCycle.ToString("0.##", Inv) + "/" + spec.WriteBytesPerCycle.ToString("0.##", Inv);
            o.WriteLine($"  {t.Level,-16} {N(t.Reads),16} {N(t.Writes),16} {demand.ToString("0.##", Inv),10} {avail,14}" +
                        (spec.PerPe ? " per PE" : spec.Kind == Arch.Model.MemoryKind.Dram ? " shared" : ""));
        }

        if (r.Fusion is { } fusion) WriteFusion(o, fusion, top);

        o.WriteLine();
        // identical layers of repeated blocks (model.layers.0..31.mlp.up_proj) are one row with a count
        var groups = LayerGroups(r.Layers);
        var ranked = groups.Take(Math.Max(0, top)).ToList();
        o.WriteLine($"Top {ranked.Count} of {groups.Count} layer groups by time ({r.Layers.Count} layers):");
        o.WriteLine($"  {"layer",-34} {"count",5} {"kind",-12} {"shape (BxMxKxN)",-20} {"cycles",14} {"time",7} {"util",7} {"bound",-7} {"energy",10}");
        foreach (var g in ranked)
        {
            double peak = a.PeCount * (g.PeakMacs ?? r.PeakMacsPerCycle / a.PeCount);
            string util = g.IsGemm && g.Cycles > 0 ? Pct(g.Macs / (g.Cycles * peak)) : "-";
            o.WriteLine($"  {Trim(g.Name, 34),-34} {g.Count,5} {g.Kind,-12} {Trim(g.Shape, 20),-20} {N(g.Cycles),14} " +
                        $"{Pct(r.Cycles > 0 ? g.Cycles / r.Cycles : 0),7} {util,7} {g.Bound.ToString().ToLowerInvariant(),-7} {Energy(g.Energy),10}");
        }
    }

    /// <summary>One row of the top-layers table: the layers sharing a name pattern, kind and shape.</summary>
    private sealed class LayerGroup(LayerResult first, int index, string pattern, string kind, string shape)
    {
        public string Name => Count > 1 ? Pattern : first.Name;
        public string Pattern { get; } = pattern;
        public string Kind { get; } = kind;
        public string Shape { get; } = shape;
        public int Count { get; set; }
        public double Cycles { get; set; }
        public double Macs { get; set; }
        public double Energy { get; set; }
        public Bound Bound => first.Bound;
        public bool IsGemm => first.Gemm is not null;
        public double? PeakMacs => first.Gemm?.Pe?.MacsPerCycle;
        public int First { get; } = index;
    }

    // a dictionary and loops over a class, not GroupBy/OrderBy over value tuples: each LINQ instantiation over a value type
    // is JIT-compiled at every start-up (ReadyToRun cannot precompile it), ~90 methods for this one table
    private static List<LayerGroup> LayerGroups(IReadOnlyList<LayerResult> layers)
    {
        var byKey = new Dictionary<string, LayerGroup>(StringComparer.Ordinal);
        var groups = new List<LayerGroup>();
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            string pattern = Pattern(l.Name), kind = l.Kind.Name(), shape = Shape(l);
            string key = pattern + "\0" + kind + "\0" + shape;
            if (!byKey.TryGetValue(key, out var g))
            {
                byKey[key] = g = new LayerGroup(l, i, pattern, kind, shape);
                groups.Add(g);
            }
            g.Count++;
            g.Cycles += l.Cycles;
            g.Macs += (double)l.Macs;
            g.Energy += l.Energy.TotalPj;
        }
        // by time, ties in layer order (First is unique, so the order is total and the sort need not be stable)
        groups.Sort((x, y) => x.Cycles != y.Cycles ? y.Cycles.CompareTo(x.Cycles) : x.First.CompareTo(y.First));
        return groups;
    }

    private static void WriteFusion(TextWriter o, FusionSchedule f, int top)
    {
        o.WriteLine();
        if (!f.Enabled)
        {
            o.WriteLine($"Layer fusion: off (layer by layer: every activation goes to DRAM and back); DRAM {Bytes(f.DramBytes)}");
            return;
        }
        if (f.Level is null || f.Groups.Count == 0)
        {
            o.WriteLine("Layer fusion: on, but no activation fits on chip with its consumers" +
                        (f.Level is null ? " (no on-chip level holds both inputs and outputs)" : $" in {f.Level}") + $"; DRAM {Bytes(f.DramBytes)}");
            return;
        }
        string cap = f.LevelCapacityBytes > 0 ? $", {Capacity(f.LevelCapacityBytes)}" : "";
        o.WriteLine($"Layer fusion: on (activations kept in {f.Level}{cap}): DRAM {Bytes(f.DramBytes)} fused vs {Bytes(f.UnfusedDramBytes)} " +
                    $"layer by layer, {Bytes(f.SavedBytes)} saved ({Pct(f.UnfusedDramBytes > 0 ? f.SavedBytes / f.UnfusedDramBytes : 0)})");
        var ranked = f.Groups.OrderByDescending(g => g.SavedBytes).ThenBy(g => g.Index).Take(Math.Max(0, top)).ToList();
        o.WriteLine($"Top {ranked.Count} of {f.Groups.Count} fused groups by DRAM bytes saved:");
        o.WriteLine($"  {"group",5} {"ops",4} {"kind",-9} {"first -> last",-50} {"kept",9} {"peak",9} {"DRAM unfused",12} {"fused",9} {"saved",9}");
        foreach (var g in ranked)
            o.WriteLine($"  {g.Index,5} {g.Operators.Count,4} {(g.TiledAttention ? "attention" : "layers"),-9} " +
                        $"{Trim(g.Operators[0] + " -> " + g.Operators[^1], 50),-50} {Bytes(g.ResidentBytes),9} " +
                        $"{Bytes(g.PeakResidentBytes),9} {Bytes(g.UnfusedDramBytes),12} {Bytes(g.DramBytes),9} {Bytes(g.SavedBytes),9}");
        int tiled = f.Groups.Count(g => g.TiledAttention);
        if (tiled > 0)
            o.WriteLine($"  {tiled} attention group(s) tiled FlashAttention-style: the score matrix stays on chip one tile at a time (peak = one tile)");
    }

    private static string Capacity(long b) => b % (1 << 20) == 0 ? $"{b >> 20} MiB" : b % 1024 == 0 ? $"{b >> 10} KiB" : $"{b} B";

    internal static string Bytes(double b) => b switch
    {
        >= 1e9 => (b / 1e9).ToString("0.##", Inv) + " GB",
        >= 1e6 => (b / 1e6).ToString("0.##", Inv) + " MB",
        >= 1e3 => (b / 1e3).ToString("0.##", Inv) + " kB",
        _ => b.ToString("0", Inv) + " B",
    };

    private static string Shape(LayerResult l) => l.Gemm is { } g ? $"{(g.Batch > 1 ? g.Batch + "x" : "")}{g.M}x{g.K}x{g.N}" : "-";

    // "model.layers.12.mlp.up_proj" → "model.layers.*.mlp.up_proj"
    private static string Pattern(string name)
    {
        var parts = name.Split('.');
        for (int i = 0; i < parts.Length; i++)
            if (parts[i].Length > 0 && parts[i].All(char.IsAsciiDigit)) parts[i] = "*";
        return string.Join('.', parts);
    }

    private static void Row(TextWriter o, string key, string value) => o.WriteLine($"  {key,-12} {value}");

    private static string N(double v) => Math.Round(v).ToString("#,0", Inv);
    private static string Pct(double f) => (f * 100).ToString("0.0", Inv) + " %";
    private static string Trim(string s, int n) => s.Length <= n ? s : s[..(n - 1)] + "…";

    internal static string Time(double s) => s switch
    {
        >= 1 => s.ToString("0.###", Inv) + " s",
        >= 1e-3 => (s * 1e3).ToString("0.###", Inv) + " ms",
        _ => (s * 1e6).ToString("0.###", Inv) + " µs",
    };

    private static string Energy(double pj) => pj switch
    {
        >= 1e12 => (pj / 1e12).ToString("0.###", Inv) + " J",
        >= 1e9 => (pj / 1e9).ToString("0.###", Inv) + " mJ",
        >= 1e6 => (pj / 1e6).ToString("0.###", Inv) + " µJ",
        >= 1e3 => (pj / 1e3).ToString("0.###", Inv) + " nJ",
        _ => pj.ToString("0.###", Inv) + " pJ",
    };
}
