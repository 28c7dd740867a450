namespace Mantissa.Arch.Config;

/// <summary>Resolves <c>base:</c> inheritance: loads the chain of base files and deep-merges them.</summary>
/// <remarks>
/// Maps merge key by key; a key set to null (<c>~</c>) in the derived file removes the inherited key;
/// lists and scalars in the derived file replace the inherited value whole (use <c>--set memory.NAME.KEY</c>
/// style paths or a full list to change one memory level).
/// </remarks>
internal static class BaseResolver
{
    /// <summary>Parses <paramref name="text"/> and merges its bases; null when a problem prevents a usable tree.</summary>
    /// <remarks>
    /// Base files are named in messages by <paramref name="displayDirectory"/> joined with the chain of relative
    /// <c>base:</c> paths, so they read like the path the user typed.
    /// </remarks>
    public static ConfigMap? Load(string text, string displayName, string? fullPath, string baseDirectory, string displayDirectory, DiagnosticBag bag)
    {
        var chain = new List<string>();
        if (fullPath is not null) chain.Add(fullPath);
        return LoadChained(text, displayName, baseDirectory, displayDirectory, chain, bag);
    }

    private static ConfigMap? LoadChained(string text, string displayName, string baseDirectory, string displayDirectory,
                                          List<string> chain, DiagnosticBag bag)
    {
        int before = bag.Count;
        var node = YamlTreeReader.Parse(text, displayName, bag);
        if (node is null)
        {
            if (bag.Count == before) bag.Add(new Origin(displayName, 1, 1), "", "the file is empty; expected a mapping with name, target, pe, array and memory");
            return null;
        }
        if (node is not ConfigMap root)
        {
            bag.Add(node.Origin, "", $"expected a mapping at the top level, got {(node is ConfigScalar ? "a single text value (is this an architecture file?)" : node.KindName)}");
            return null;
        }
        if (root.Entries.Count > 0 && root.Entries.All(e => ConfigSchema.Root.Get(e.Key) is null))
        {
            // Not an architecture file at all (e.g. a base: pointing at a system file): one message, without its keys.
            bag.Add(root.Origin, "", $"not an architecture file: none of its top-level keys is one of {string.Join(", ", ConfigSchema.Root.Names)}");
            return null;
        }
        var baseEntry = root.Find("base");
        if (baseEntry is null) return root;
        root.Entries.Remove(baseEntry);
        if (baseEntry.Value is not ConfigScalar { IsNull: false } rel)
        {
            if (baseEntry.Value is ConfigScalar) return root;
            bag.Add(baseEntry.Value.Origin, "base", $"expected a path to another architecture file, got {baseEntry.Value.KindName}");
            return null;
        }
        var full = Path.GetFullPath(Path.Combine(baseDirectory, rel.Text));
        var shown = Path.Combine(displayDirectory, rel.Text);
        if (chain.Contains(full, StringComparer.Ordinal))
        {
            var cycle = string.Join(" -> ", chain.Skip(chain.IndexOf(full)).Select(Path.GetFileName).Append(Path.GetFileName(full)));
            bag.Add(rel.Origin, "base", $"inheritance cycle: {cycle}");
            return null;
        }
        if (!File.Exists(full) && !Directory.Exists(full))
        {
            bag.Add(rel.Origin, "base", $"base file '{rel.Text}' not found (looked for {full})");
            return null;
        }
        chain.Add(full);
        string baseText;
        try
        {
            baseText = InputFile.ReadText(full, "base file", InputFile.MaxConfigBytes);
        }
        catch (MantissaException ex)
        {
            bag.Add(rel.Origin, "base", ex.Message);
            return null;
        }
        var parent = LoadChained(baseText, shown, Path.GetDirectoryName(full)!, Path.GetDirectoryName(shown) ?? "", chain, bag);
        chain.RemoveAt(chain.Count - 1);
        return parent is null ? null : (ConfigMap)Merge(parent, root);
    }

    /// <summary>Deep merge: maps key by key, anything else replaced by the overlay.</summary>
    public static ConfigNode Merge(ConfigNode baseNode, ConfigNode overlay)
    {
        if (baseNode is not ConfigMap b || overlay is not ConfigMap o) return overlay;
        var result = new ConfigMap(o.Origin);
        foreach (var e in b.Entries)
        {
            var over = o.Find(e.Key);
            if (over is null) result.Entries.Add(e);
            else if (over.Value is ConfigScalar { IsNull: true }) continue;
            else result.Entries.Add(new ConfigEntry(e.Key, over.KeyOrigin, Merge(e.Value, over.Value)));
        }
        foreach (var e in o.Entries)
            if (b.Find(e.Key) is null && e.Value is not ConfigScalar { IsNull: true }) result.Entries.Add(e);
        return result;
    }
}
