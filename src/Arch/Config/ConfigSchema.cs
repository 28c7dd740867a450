using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>Shape of an architecture file: which keys exist where. Drives unknown-key errors and <c>--set</c> paths.</summary>
internal abstract record SchemaNode;

/// <summary>A leaf value, described for messages (e.g. "an integer ≥ 1").</summary>
internal sealed record SchemaScalar(string Expected) : SchemaNode;

/// <summary>A mapping with a fixed set of keys, in documentation order.</summary>
internal sealed record SchemaMap(IReadOnlyList<KeyValuePair<string, SchemaNode>> Keys) : SchemaNode
{
    // the keys in an array: checked per key per design point, and through the list interface each step was an interface call
    private readonly KeyValuePair<string, SchemaNode>[] _keys = ToArray(Keys);

    public SchemaNode? Get(string key)
    {
        foreach (var k in _keys) if (string.Equals(k.Key, key)) return k.Value;
        return null;
    }

    public IEnumerable<string> Names
    {
        get
        {
            var names = new string[_keys.Length];
            for (int i = 0; i < names.Length; i++) names[i] = _keys[i].Key;
            return names;
        }
    }

    // (loops, not LINQ: LINQ over key-value pairs is generic code compiled at run time, on every start-up)
    private static KeyValuePair<string, SchemaNode>[] ToArray(IReadOnlyList<KeyValuePair<string, SchemaNode>> keys)
    {
        if (keys is KeyValuePair<string, SchemaNode>[] array) return array;
        var copy = new KeyValuePair<string, SchemaNode>[keys.Count];
        for (int i = 0; i < copy.Length; i++) copy[i] = keys[i];
        return copy;
    }
}

/// <summary>A list whose items all have one shape.</summary>
internal sealed record SchemaList(SchemaNode Item) : SchemaNode;

/// <summary>A mapping keyed by user names (e.g. memory level names under <c>overrides.memory</c>).</summary>
internal sealed record SchemaNamedMap(SchemaNode Value) : SchemaNode;

/// <summary>The architecture-file schema.</summary>
internal static class ConfigSchema
{
    private static SchemaMap Map(params (string Key, SchemaNode Node)[] keys) => MapWith(keys, []);

    // the keys, then the PE kinds' own keys (loops, not LINQ over tuples and pairs: this runs at every start-up)
    private static SchemaMap MapWith((string Key, SchemaNode Node)[] keys, IReadOnlyList<PeKey> kindKeys)
    {
        var all = new KeyValuePair<string, SchemaNode>[keys.Length + kindKeys.Count];
        for (int i = 0; i < keys.Length; i++) all[i] = new(keys[i].Key, keys[i].Node);
        for (int i = 0; i < kindKeys.Count; i++) all[keys.Length + i] = new(kindKeys[i].Name, S(kindKeys[i].Expected));
        return new(all);
    }

    private static SchemaScalar S(string expected) => new(expected);

    /// <summary>One pinned cost: the published value and where it comes from.</summary>
    public static readonly SchemaMap OverrideEntry = Map(("value", S("a number ≥ 0")), ("source", S("a citation string")));

    /// <summary>Cost names that <c>overrides.pe</c> may pin.</summary>
    public static readonly SchemaMap PeOverrides = Map(
        ("area_um2", OverrideEntry), ("energy_pj_per_cycle", OverrideEntry), ("idle_energy_pj_per_cycle", OverrideEntry),
        ("leakage_mw", OverrideEntry), ("lut", OverrideEntry), ("ff", OverrideEntry), ("dsp", OverrideEntry));

    /// <summary>Cost names that <c>overrides.memory.&lt;level&gt;</c> may pin.</summary>
    public static readonly SchemaMap MemoryOverrides = Map(
        ("read_pj", OverrideEntry), ("write_pj", OverrideEntry), ("leakage_mw", OverrideEntry), ("area_mm2", OverrideEntry),
        ("bram36", OverrideEntry), ("uram", OverrideEntry));

    public static readonly SchemaMap Overrides = Map(
        ("pe", PeOverrides), ("memory", new SchemaNamedMap(MemoryOverrides)),
        ("area_mm2", OverrideEntry), ("leakage_mw", OverrideEntry));

    public static readonly SchemaMap Technology = Map(("node_nm", S("a process node in nm")), ("vdd", S("a supply voltage in V")));

    public static readonly SchemaMap Fpga = Map(("device", S("an FPGA device name")));

    /// <summary>The <c>pe:</c> keys: those every kind reads, then each kind's own keys as its descriptor declares them
    /// (<see cref="PeKind.Keys"/>), so a new kind's keys need no line here.</summary>
    public static readonly SchemaMap Pe = MapWith(
        [("kind", S("a PE kind")), ("weights", S("a number format")), ("activations", S("a number format")),
         ("accumulator", S("an accumulator format")), ("dot_width", S("an integer ≥ 1")), ("pipeline_depth", S("an integer ≥ 1"))],
        PeKind.AllKeys);

    public static readonly SchemaMap Array = Map(("rows", S("an integer ≥ 1")), ("cols", S("an integer ≥ 1")), ("dataflow", S("ws, os, is, search or a list of them")),
        ("weight_preload", S("serial or overlapped")), ("vector_lanes", S("an integer ≥ 1")));

    /// <summary>Mapping constraints at one level: loop order and tile extents (also the shape of a <c>--mapping</c> file's entries).</summary>
    public static readonly SchemaMap LevelMapping = Map(
        ("order", new SchemaList(S("m, k or n"))),
        ("tile", Map(("m", S("an integer ≥ 1")), ("k", S("an integer ≥ 1")), ("n", S("an integer ≥ 1")))));

    public static readonly SchemaMap MemoryLevel = Map(
        ("name", S("a level name")), ("kind", S("dram, sram or regfile")), ("type", S("a DRAM type")),
        ("capacity_bytes", S("a size")), ("capacity_kib", S("a size")), ("capacity_mib", S("a size")), ("capacity_gib", S("a size")),
        ("width_bits", S("an integer ≥ 1")), ("banks", S("an integer ≥ 1")),
        ("bandwidth_gbps", S("GB/s > 0")), ("read_bw", S("bytes per cycle > 0")), ("write_bw", S("bytes per cycle > 0")),
        ("holds", new SchemaList(S("weights, inputs or outputs"))), ("may_bypass", new SchemaList(S("weights, inputs or outputs"))), ("double_buffered", S("true or false")), ("per_pe", S("true or false")),
        ("cell", S("lop, lstp or hp")), ("mapping", LevelMapping));

    public static readonly SchemaMap Sim = Map(("charge_all_pes_every_cycle", S("true or false")), ("model_fill", S("true or false")));

    public static readonly SchemaMap Chip = Map(
        ("control", S("true or false")), ("dma_engines", S("an integer 0..64")), ("post_processing_lanes", S("an integer 0..65536")),
        ("pcie_lanes", S("0, 1, 2, 4, 8, 16 or 32")), ("pcie_gen", S("3, 4 or 5")), ("dram_phy", S("true or false")),
        ("interconnect", S("true or false")), ("clock_tree", S("true or false")), ("fitted_area", S("true or false")));

    public static readonly SchemaMap Root = Map(
        ("base", S("a path to another architecture file")), ("name", S("a name")), ("target", S("asic or fpga")),
        ("technology", Technology), ("fpga", Fpga), ("clock_mhz", S("a clock frequency in MHz")),
        ("pe", Pe), ("array", Array), ("memory", new SchemaList(MemoryLevel)), ("overrides", Overrides), ("sim", Sim),
        ("chip", Chip));
}
