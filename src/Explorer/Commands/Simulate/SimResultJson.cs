using System.Text;
using System.Text.Json;
using Mantissa.Explorer.Cli;
using Mantissa.Sim.Results;

namespace Mantissa.Explorer.Commands.Simulate;

/// <summary>Writes a <see cref="SimResult"/> as one deterministic JSON object (fixed key order, round-trip numbers).</summary>
public static class SimResultJson
{
    /// <param name="extra">Writes further members (e.g. the serving figures) before the object closes.</param>
    public static string Write(SimResult r, IReadOnlyDictionary<string, string>? context = null, Action<Utf8JsonWriter>? extra = null)
    {
        using var ms = new MemoryStream();
        using (var w = new Utf8JsonWriter(ms, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteNumber(OutputSchema.Key, OutputSchema.Version);
            if (context is not null)
                foreach (var (k, v) in context) w.WriteString(k, v);
            w.WriteString("architecture", r.Arch.Name);
            foreach (var (info, v) in r.Metrics().Reported().OrderBy(x => x.Info.Name, StringComparer.Ordinal)) w.WriteNumber(info.Name, v);
            w.WriteNumber("layers", r.Layers.Count);
            w.WriteStartObject("memory");
            foreach (var t in r.Traffic)
            {
                w.WriteStartObject(t.Level);
                w.WriteNumber("reads", t.Reads);
                w.WriteNumber("writes", t.Writes);
                w.WriteNumber("read_bytes", t.ReadBytes);
                w.WriteNumber("write_bytes", t.WriteBytes);
                w.WriteEndObject();
            }
            w.WriteEndObject();
            w.WriteStartObject("energy_breakdown_pj");
            w.WriteNumber("compute", r.Energy.ComputePj);
            foreach (var (level, pj) in r.Energy.Levels) w.WriteNumber(level, pj);
            w.WriteNumber("leakage", r.Energy.LeakagePj);
            w.WriteEndObject();
            if (r.Fusion is { } f) WriteFusion(w, f);
            extra?.Invoke(w);
            w.WriteEndObject();
        }
        return Encoding.UTF8.GetString(ms.ToArray()) + "\n";
    }

    private static void WriteFusion(Utf8JsonWriter w, FusionSchedule f)
    {
        w.WriteStartObject("fusion");
        w.WriteBoolean("enabled", f.Enabled);
        if (f.Level is not null) w.WriteString("level", f.Level); else w.WriteNull("level");
        w.WriteNumber("dram_bytes", f.DramBytes);
        w.WriteNumber("dram_bytes_unfused", f.UnfusedDramBytes);
        w.WriteNumber("dram_bytes_saved", f.SavedBytes);
        w.WriteStartArray("groups");
        foreach (var g in f.Groups)
        {
            w.WriteStartObject();
            w.WriteNumber("group", g.Index);
            w.WriteNumber("operators", g.Operators.Count);
            w.WriteBoolean("tiled_attention", g.TiledAttention);
            w.WriteString("first", g.Operators[0]);
            w.WriteString("last", g.Operators[^1]);
            w.WriteNumber("tensors_on_chip", g.ResidentTensors.Count);
            w.WriteNumber("bytes_on_chip", g.ResidentBytes);
            w.WriteNumber("peak_bytes_on_chip", g.PeakResidentBytes);
            w.WriteNumber("dram_bytes", g.DramBytes);
            w.WriteNumber("dram_bytes_unfused", g.UnfusedDramBytes);
            w.WriteNumber("dram_bytes_saved", g.SavedBytes);
            w.WriteNumber("compulsory_dram_bytes", g.CompulsoryDramBytes);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }
}
