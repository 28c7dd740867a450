using System.Text.RegularExpressions;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>Validates the <c>memory:</c> list (DRAM first, then inward) and builds <see cref="MemoryLevelSpec"/>s.</summary>
internal static partial class MemoryBinder
{
    /// <summary>A capacity key and its unit.</summary>
    private sealed record CapacityUnit(string Key, double Bytes, string Unit);

    private static readonly CapacityUnit[] CapacityKeys =
    [
        new("capacity_bytes", 1, "B"), new("capacity_kib", 1024, "KiB"), new("capacity_mib", 1024.0 * 1024, "MiB"), new("capacity_gib", 1024.0 * 1024 * 1024, "GiB"),
    ];

    private static readonly (string, MemoryKind)[] Kinds =
        [("dram", MemoryKind.Dram), ("sram", MemoryKind.Sram), ("regfile", MemoryKind.RegFile)];

    private static readonly (string, SramCell)[] Cells =
        [("lop", SramCell.Lop), ("lstp", SramCell.Lstp), ("hp", SramCell.Hp)];

    private static readonly (string, TensorSet)[] Tensors =
        [("weights", TensorSet.Weights), ("inputs", TensorSet.Inputs), ("outputs", TensorSet.Outputs)];

    /// <summary>The list path segment for a level: its name when it has a usable one, else its index.</summary>
    public static string ItemPath(ConfigNode item, int index) =>
        item is ConfigMap m && m.Get("name") is ConfigScalar { IsNull: false, Quoted: false } s && NamedPath(s.Text) is { } named
            ? named : "memory." + index;

    // "memory." + name for a usable level name, else null; remembered per name (a sweep binds its DRAM level on every point)
    private static readonly BoundedMemo<string, string?> NamedPaths = new(1024);

    private static string? NamedPath(string name)
    {
        if (NamedPaths.TryGetValue(name, out var known)) return known;
        string? path = NamePattern().IsMatch(name) ? "memory." + name : null;
        NamedPaths.Add(name, path);
        return path;
    }

    /// <param name="memo">Levels of a base tree bound before, to reuse (<see cref="ResolvedArchitecture"/>), or null.</param>
    public static IReadOnlyList<MemoryLevelSpec>? Bind(ConfigSeq seq, double? clockMhz, DiagnosticBag bag, BindMemo? memo = null)
    {
        int errorsBefore = bag.Count;
        if (seq.Items.Count == 0)
        {
            bag.Add(seq.Origin, "memory", "expected at least one level (the DRAM level first)");
            return null;
        }
        var levels = new List<MemoryLevelSpec>();
        var seen = new Dictionary<string, Origin>();
        var held = TensorSet.None;
        for (int i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            if (item is not ConfigMap map)
            {
                bag.Add(item.Origin, ItemPath(item, i), $"expected a mapping with name, kind, capacity, width_bits, ..., got {item.KindName}");
                continue;
            }
            // (no closure and no path for a level the memo knows: a sweep binds the levels on every design point)
            if (memo is null || !memo.TryLevel(map, i, clockMhz, seen, out var level) && !memo.Bandwidths.TryLevel(map, i, clockMhz, seen, out level))
            {
                int before = bag.Count;
                level = BindLevel(new SectionReader(map, ItemPath(item, i), ConfigSchema.MemoryLevel, bag), i, clockMhz, seen, bag);
                memo?.KeepLevel(map, i, clockMhz, level, bag.Count == before);
                memo?.Bandwidths.Keep(map, i, level, bag.Count == before);
            }
            if (level is not null)
            {
                levels.Add(level);
                held |= level.Holds;
            }
        }
        if (bag.Count > errorsBefore) return null;
        foreach (var (name, t) in Tensors)
            if ((held & t) == 0) bag.Add(seq.Origin, "memory", $"no level holds {name}; list it under 'holds' of at least one level");
        return bag.Count > errorsBefore ? null : levels;
    }

    private static MemoryLevelSpec? BindLevel(SectionReader r, int index, double? clockMhz, Dictionary<string, Origin> seen, DiagnosticBag bag)
    {
        int errorsBefore = bag.Count;
        var name = r.Text("name", true, "a level name such as dram, global_buffer or pe_regs");
        if (name is not null)
        {
            if (!NamePattern().IsMatch(name))
                r.ValueError("name", $"expected a name that starts with a letter and has only letters, digits, '_' or '-', got '{name}'");
            else if (seen.TryGetValue(name, out var first))
                r.ValueError("name", $"duplicate level name '{name}' (first used at line {first.Line})");
            else seen[name] = r.Entry("name")!.Value.Origin;
        }
        var kind = r.Choice("kind", true, Kinds);
        if (kind == MemoryKind.Dram && index != 0)
            r.ValueError("kind", $"only memory.0 may be dram (levels run from DRAM inward), but this is level {index}");
        if (kind is MemoryKind.Sram or MemoryKind.RegFile && index == 0)
            r.ValueError("kind", "memory.0 must be the dram level (levels run from DRAM inward)");
        bool dram = kind == MemoryKind.Dram;

        string? dramType = null;
        if (dram) dramType = r.Name("type", true, DramTypes.Names);
        else if (r.Has("type")) r.KeyError("type", "'type' applies only to dram levels");

        long capacity = ReadCapacity(r, required: kind is not null && !dram);
        int? width = (int?)r.Integer("width_bits", kind is not null && !dram, 1, 1 << 16);
        if (width is null && dramType is not null) width = DramTypes.ChannelBits(dramType);
        int banks = (int)(r.Integer("banks", false, 1, 1 << 16) ?? 1);

        if (capacity > 0 && width is { } wb)
        {
            double word = wb / 8.0;
            if (capacity < word)
                r.ValueError(CapacityKey(r)!, $"capacity {Bytes(capacity)} is smaller than one {wb}-bit word ({SectionReader.Fmt(word)} B)");
            else if (capacity < word * banks)
                r.ValueError(CapacityKey(r)!, $"capacity {Bytes(capacity)} cannot hold one {wb}-bit word in each of {banks} banks ({SectionReader.Fmt(word * banks)} B)");
        }

        var (read, write) = ReadBandwidth(r, dram, width, banks, clockMhz);

        var holds = ReadHolds(r, "holds", required: kind is not null && !dram) ?? TensorSet.All;
        bool doubleBuffered = r.Bool("double_buffered") ?? false;
        bool perPe = r.Bool("per_pe") ?? false;
        if (dram && perPe) r.ValueError("per_pe", "a dram level cannot be per-PE");
        SramCell? cell = null;
        if (kind == MemoryKind.Sram) cell = r.Choice("cell", false, Cells);
        else if (r.Has("cell")) r.KeyError("cell", "'cell' applies only to sram levels");

        var mayBypass = TensorSet.None;
        if (r.Has("may_bypass"))
        {
            if (dram || perPe) r.KeyError("may_bypass", "'may_bypass' applies only to shared on-chip levels (not the dram level or a per_pe level)");
            else if (ReadHolds(r, "may_bypass", required: false) is { } bypass)
            {
                if ((bypass & ~holds) != 0)
                    r.ValueError("may_bypass", $"this level does not hold {string.Join(", ", Tensors.Where(t => (bypass & ~holds & t.Item2) != 0).Select(t => t.Item1))}: " +
                        "list only tensors named under 'holds'");
                else mayBypass = bypass; // all of holds: the mapper may leave the level unused
            }
        }

        LevelMappingSpec? mapping = null;
        if (r.SubMap("mapping", false, "a mapping with order and/or tile") is { } m)
            mapping = LevelMappingBinder.Bind(new SectionReader(m, r.KeyPath("mapping"), ConfigSchema.LevelMapping, bag, r.KeyOrigin("mapping")),
                r.KeyOrigin("mapping")!.Value, dram, perPe);

        if (bag.Count > errorsBefore || name is null || kind is null || width is null || read is null || write is null) return null;
        return new MemoryLevelSpec(name, kind.Value, dramType, capacity, width.Value, banks, read.Value, write.Value, holds, doubleBuffered, perPe)
            { Cell = cell ?? SramCell.Lop, Mapping = mapping, MayBypass = mayBypass };
    }

    private static string? CapacityKey(SectionReader r) => FirstCapacityKey(r) is var i and >= 0 ? CapacityKeys[i].Key : null;

    // The index in CapacityKeys of the first capacity key the level gives, or -1 (loops: read per design point).
    private static int FirstCapacityKey(SectionReader r, int from = 0)
    {
        for (int i = from; i < CapacityKeys.Length; i++) if (r.Has(CapacityKeys[i].Key)) return i;
        return -1;
    }

    /// <summary>Capacity in bytes; 0 when absent (unbounded DRAM) or invalid.</summary>
    private static long ReadCapacity(SectionReader r, bool required)
    {
        int first = FirstCapacityKey(r);
        if (first < 0)
        {
            if (required) r.Missing("capacity_kib", "a capacity: one of capacity_bytes, capacity_kib, capacity_mib or capacity_gib");
            return 0;
        }
        for (int extra = FirstCapacityKey(r, first + 1); extra >= 0; extra = FirstCapacityKey(r, extra + 1))
            r.KeyError(CapacityKeys[extra].Key, $"give the capacity once; '{CapacityKeys[first].Key}' is already set");
        var (key, unitBytes, unit) = CapacityKeys[first];
        if (r.Number(key, true, 0, unit: unit) is not { } v) return 0;
        double bytes = v * unitBytes;
        if (bytes > Limits.MaxCapacityBytes)
        {
            r.ValueError(key, $"capacity {SectionReader.Fmt(v)} {unit} is more than the {Limits.MaxCapacityBytes >> 40} TiB a memory level may hold");
            return 0;
        }
        if (bytes < 1)
        {
            r.ValueError(key, $"capacity {SectionReader.Fmt(v)} {unit} is less than one byte");
            return 0;
        }
        if (Math.Abs(bytes - Math.Round(bytes)) > 1e-9)
        {
            r.ValueError(key, $"expected a whole number of bytes, got {SectionReader.Fmt(v)} {unit} = {SectionReader.Fmt(bytes)} B");
            return 0;
        }
        return (long)Math.Round(bytes);
    }

    /// <summary>A level's read and write bandwidth in bytes per cycle (null: missing or invalid).</summary>
    /// <remarks>A record struct, not a tuple: a tuple of these types is generic framework code compiled at every start-up.</remarks>
    private readonly record struct Bandwidth(double? Read, double? Write);

    private static Bandwidth ReadBandwidth(SectionReader r, bool dram, int? width, int banks, double? clockMhz)
    {
        bool gbps = r.Has("bandwidth_gbps"), perCycle = r.Has("read_bw") || r.Has("write_bw");
        if (gbps && perCycle)
        {
            r.KeyError(r.Has("read_bw") ? "read_bw" : "write_bw", "give bandwidth either as bandwidth_gbps or as read_bw/write_bw, not both");
            return new(null, null);
        }
        if (gbps)
        {
            var v = r.Number("bandwidth_gbps", true, Limits.MinBandwidthGbps, Limits.MaxBandwidthGbps, allowEqual: true, unit: "GB/s");
            if (v is null || clockMhz is null) return new(null, null);
            double bpc = v.Value * 1000.0 / clockMhz.Value; // GB/s ÷ (cycles/s) = bytes per cycle
            return new(bpc, bpc);
        }
        if (perCycle)
        {
            var read = r.Number("read_bw", false, Limits.MinBytesPerCycle, Limits.MaxBytesPerCycle, allowEqual: true, unit: "bytes/cycle");
            var write = r.Number("write_bw", false, Limits.MinBytesPerCycle, Limits.MaxBytesPerCycle, allowEqual: true, unit: "bytes/cycle");
            // A single figure describes a shared port: the missing direction gets the same bandwidth.
            return new(read ?? write, write ?? read);
        }
        if (dram)
        {
            r.Missing("bandwidth_gbps", "the DRAM bandwidth in GB/s (or read_bw/write_bw in bytes per cycle)");
            return new(null, null);
        }
        if (width is null) return new(null, null);
        double port = width.Value / 8.0 * banks;
        return new(port, port);
    }

    private static TensorSet? ReadHolds(SectionReader r, string key, bool required)
    {
        var seq = r.SubList(key, required, "a list of weights, inputs, outputs");
        if (seq is null) return null;
        if (seq.Items.Count == 0) { r.ValueError(key, "expected at least one of weights, inputs, outputs"); return null; }
        var set = TensorSet.None;
        bool ok = true;
        for (int i = 0; i < seq.Items.Count; i++)
        {
            var item = seq.Items[i];
            string Path() => r.KeyPath(key) + "." + i; // for a message only
            var text = (item as ConfigScalar)?.Text.Trim().ToLowerInvariant();
            int index = SectionReader.OptionIndex(Tensors, text);
            if (text is null || index < 0)
            {
                var got = item is ConfigScalar s ? $"'{s.Text}'{NameSuggester.Hint(s.Text, SectionReader.OptionNames(Tensors))}" : item.KindName;
                Report(r, item.Origin, Path(), $"expected one of weights, inputs, outputs, got {got}");
                ok = false;
                continue;
            }
            var match = Tensors[index];
            if ((set & match.Item2) != 0) { Report(r, item.Origin, Path(), $"'{text}' is listed twice"); ok = false; }
            set |= match.Item2;
        }
        return ok ? set : null;
    }

    private static void Report(SectionReader r, Origin at, string path, string message) => r.Bag.Add(at, path, message);

    private static string Bytes(long b) =>
        b % (1L << 30) == 0 ? $"{b >> 30} GiB" : b % (1L << 20) == 0 ? $"{b >> 20} MiB" : b % 1024 == 0 ? $"{b >> 10} KiB" : $"{b} B";

    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9_\-]*$")] private static partial Regex NamePattern();
}
