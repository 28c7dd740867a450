using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>
/// A mapping YAML (<c>simulate --mapping FILE</c>): mapping constraints per memory level, by level name, that fix part
/// or all of the mapping of every GEMM the run maps. Applied on top of the architecture's own <c>mapping:</c> entries.
/// <code>
/// mapping:
///   dram: {order: [n, k, m]}
///   unified_buffer: {tile: {m: 256, k: 1024, n: 256}, order: [m, n, k]}
/// </code>
/// </summary>
public static class MappingFile
{
    private static readonly SchemaMap Root = new([new KeyValuePair<string, SchemaNode>("mapping", new SchemaNamedMap(ConfigSchema.LevelMapping))]);

    /// <summary><paramref name="arch"/> with the constraints of the file at <paramref name="path"/>; throws <see cref="ConfigException"/> listing every problem.</summary>
    public static ArchitectureSpec Apply(ArchitectureSpec arch, string path)
    {
        var bag = new DiagnosticBag();
        string text;
        try { text = InputFile.ReadText(path, "mapping file", InputFile.MaxConfigBytes); }
        catch (MantissaException ex) { throw new ConfigException(path, [new ConfigDiagnostic(path, 0, 0, "", ex.Message)], "mapping file"); }
        var tree = YamlTreeReader.Parse(text, path, bag);
        var levels = new Dictionary<string, LevelMappingSpec>();
        if (tree is ConfigMap root)
        {
            var r = new SectionReader(root, "", Root, bag);
            if (r.SubMap("mapping", true, "a mapping from memory level names to {order, tile}") is { } byLevel)
                foreach (var e in byLevel.Entries)
                    Bind(arch, e, levels, bag);
        }
        else if (!bag.HasErrors)
            bag.Add(tree?.Origin ?? new Origin(path, 1, 1), "", $"expected a mapping with the key 'mapping', got {tree?.KindName ?? "an empty file"}");
        bag.ThrowIfErrors(path, "mapping file");
        var memory = arch.Memory.Select(m => levels.TryGetValue(m.Name, out var c) ? m with { Mapping = m.Mapping?.Merge(c) ?? c } : m).ToArray();
        return arch with { Memory = memory };
    }

    private static void Bind(ArchitectureSpec arch, ConfigEntry e, Dictionary<string, LevelMappingSpec> into, DiagnosticBag bag)
    {
        string path = "mapping." + e.Key;
        var level = arch.Memory.FirstOrDefault(m => m.Name == e.Key);
        if (level is null)
        {
            var names = arch.Memory.Select(m => m.Name).ToList();
            bag.Add(e.KeyOrigin, path, $"unknown memory level '{MessageText.Clip(e.Key)}'{NameSuggester.Hint(e.Key, names)} " +
                                       $"(levels of '{arch.Name}': {string.Join(", ", names)})", DiagnosticKind.UnknownKey);
            return;
        }
        if (e.Value is not ConfigMap m)
        {
            bag.Add(e.Value.Origin, path, $"expected a mapping with order and/or tile, got {e.Value.KindName}");
            return;
        }
        var spec = LevelMappingBinder.Bind(new SectionReader(m, path, ConfigSchema.LevelMapping, bag, e.KeyOrigin), e.KeyOrigin,
            level.Kind == MemoryKind.Dram, level.PerPe);
        if (spec is not null) into[e.Key] = spec;
    }
}
