using Mantissa.Arch.Model;


namespace Mantissa.Arch.Config;

/// <summary>Validates <c>overrides:</c> — derived costs pinned to published figures, each with a required source.</summary>
internal static class OverrideBinder
{
    /// <summary>FPGA resource counts; an ASIC has none to pin.</summary>
    private static readonly string[] FpgaOnly = ["lut", "ff", "dsp", "bram36", "uram"];

    public static IReadOnlyList<CostOverride> Bind(ConfigMap map, IReadOnlyList<string> levelNames, Target? target, DiagnosticBag bag)
    {
        var result = new List<CostOverride>();
        var r = new SectionReader(map, "overrides", ConfigSchema.Overrides, bag);
        foreach (var key in new[] { "area_mm2", "leakage_mw" })
            if (r.SubMap(key, false, "{value: <number>, source: <citation>}") is { } m)
                Entry(m, r.KeyPath(key), key, result, bag);
        if (r.SubMap("pe", false, "a mapping of PE costs (area_um2, energy_pj_per_cycle, ...)") is { } pe)
            Group(new SectionReader(pe, "overrides.pe", ConfigSchema.PeOverrides, bag), ConfigSchema.PeOverrides, "pe", target, result, bag);
        if (r.SubMap("memory", false, "a mapping from memory level name to its costs") is { } mem)
        {
            foreach (var e in mem.Entries)
            {
                var path = "overrides.memory." + e.Key;
                if (!levelNames.Contains(e.Key))
                {
                    bag.Add(e.KeyOrigin, path, $"no memory level named '{e.Key}'{NameSuggester.Hint(e.Key, levelNames)}" +
                                               $" (levels: {string.Join(", ", levelNames)})");
                    continue;
                }
                if (e.Value is not ConfigMap lm)
                {
                    bag.Add(e.Value.Origin, path, $"expected a mapping of level costs (read_pj, write_pj, ...), got {e.Value.KindName}");
                    continue;
                }
                Group(new SectionReader(lm, path, ConfigSchema.MemoryOverrides, bag), ConfigSchema.MemoryOverrides, "memory." + e.Key, target, result, bag);
            }
        }
        // Sorted so that two files differing only in key order give equal specs.
        return result.OrderBy(o => o.Path, StringComparer.Ordinal).ToList();
    }

    private static void Group(SectionReader r, SchemaMap schema, string costPrefix, Target? target, List<CostOverride> result, DiagnosticBag bag)
    {
        foreach (var e in r.Map.Entries)
        {
            if (schema.Get(e.Key) is null) continue;
            if (target == Target.Asic && FpgaOnly.Contains(e.Key))
            {
                r.KeyError(e.Key, $"'{e.Key}' is an FPGA resource count; it applies only to target: fpga");
                continue;
            }
            if (r.SubMap(e.Key, false, "{value: <number>, source: <citation>}") is { } m)
                Entry(m, r.KeyPath(e.Key), costPrefix + "." + e.Key, result, bag);
        }
    }

    private static void Entry(ConfigMap m, string path, string costPath, List<CostOverride> result, DiagnosticBag bag)
    {
        var r = new SectionReader(m, path, ConfigSchema.OverrideEntry, bag, m.Origin);
        var value = r.Number("value", true, 0, Limits.MaxOverrideValue, allowEqual: true);
        var source = r.Text("source", true, "a citation of the published figure (paper, table, node)");
        if (value is not null && source is not null) result.Add(new CostOverride(costPath, value.Value, source));
    }
}
