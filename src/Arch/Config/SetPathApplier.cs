namespace Mantissa.Arch.Config;

/// <summary>Applies <c>--set PATH=VALUE</c> overrides to a merged tree, checking each path against the schema.</summary>
/// <remarks>
/// PATH is dotted; in a list a segment is a 0-based index or the <c>name:</c> of an item (<c>memory.sram.banks</c>).
/// VALUE is a YAML scalar, or a flow collection when it starts with <c>{</c> or <c>[</c>; <c>~</c> removes the key or list item.
/// </remarks>
internal static class SetPathApplier
{
    /// <summary>
    /// Applies <paramref name="sets"/> to <paramref name="root"/> in order. With <paramref name="memo"/>, a YAML value is
    /// parsed once and shared between designs: it goes into the tree as it is, and is copied along the way of a later set
    /// that goes into it.
    /// </summary>
    public static void Apply(ConfigMap root, IReadOnlyList<KeyValuePair<string, string>> sets, DiagnosticBag bag, SetValueMemo? memo = null)
    {
        foreach (var (rawPath, rawValue) in sets) ApplyOne(root, PathOf(rawPath), rawValue ?? "", bag, memo);
    }

    /// <summary>A set's path as applied: trimmed, split at its dots, and the origin its values are reported at.</summary>
    private sealed record SetPath(string Path, string[] Segments, Origin Source);

    // A sweep sets the same few paths on every design point: each is trimmed, split and named once (never changed after).
    private static readonly BoundedMemo<string, SetPath> Paths = new(1024);

    private static SetPath PathOf(string rawPath)
    {
        if (Paths.TryGetValue(rawPath, out var known)) return known;
        string path = rawPath.Trim();
        var parsed = new SetPath(path, path.Split('.'), new Origin(SourceName(path), 0, 0));
        Paths.Add(rawPath, parsed);
        return parsed;
    }

    /// <summary>
    /// A copy of <paramref name="root"/> that <see cref="Apply"/> may change for <paramref name="sets"/>: the mappings and
    /// lists along each set's path are copied (their entries and items still point at the original children); everything
    /// else is shared with <paramref name="root"/>, which stays as it was.
    /// </summary>
    public static ConfigMap CopyPaths(ConfigMap root, IReadOnlyList<KeyValuePair<string, string>> sets)
    {
        var copies = new List<ConfigNode>(); // the few nodes along the paths
        var copy = (ConfigMap)Copy(root, copies);
        foreach (var (rawPath, _) in sets)
        {
            ConfigNode current = copy;
            foreach (var seg in PathOf(rawPath).Segments)
            {
                switch (current)
                {
                    case ConfigMap map when map.Find(seg) is { } entry && entry.Value is ConfigMap or ConfigSeq:
                        current = map.Set(entry, Copy(entry.Value, copies));
                        continue;
                    case ConfigSeq seq when FindItem(seq, seg) is var i and >= 0 && seq.Items[i] is ConfigMap or ConfigSeq:
                        current = seq.Items[i] = Copy(seq.Items[i], copies);
                        continue;
                }
                break; // the rest of the path is new or wrong: Apply creates the nodes or reports it
            }
        }
        return copy;
    }

    // One level deep; a node copied already (two sets share a path) is its own copy.
    private static ConfigNode Copy(ConfigNode node, List<ConfigNode> copies)
    {
        foreach (var c in copies) if (ReferenceEquals(c, node)) return node;
        var copy = CopyOne(node);
        copies.Add(copy);
        return copy;
    }

    // A mapping or list with its own list of entries or items, which still point at the original children (entries are
    // immutable, so shared: ConfigMap.Set replaces the one a set changes).
    private static ConfigNode CopyOne(ConfigNode node)
    {
        switch (node)
        {
            case ConfigMap m:
                return new ConfigMap(m.Origin, new List<ConfigEntry>(m.Entries));
            case ConfigSeq s:
                return new ConfigSeq(s.Origin, new List<ConfigNode>(s.Items));
            default:
                return node;
        }
    }

    // The child a set goes into: a node of a memoised value is shared with other designs, so it is copied first.
    // (A frozen node: also one of the base tree's, which CopyPaths copies before a set can reach it.)
    private static ConfigNode Own(ConfigNode child) => child is ConfigMap or ConfigSeq && child.Frozen ? CopyOne(child) : child;

    /// <summary>The diagnostic file name used for everything a set contributes.</summary>
    public static string SourceName(string path) => "--set " + path;

    private static void ApplyOne(ConfigMap root, SetPath set, string rawValue, DiagnosticBag bag, SetValueMemo? memo)
    {
        string path = set.Path;
        var src = set.Source;
        var segments = set.Segments; // shared: read, never changed
        if (path.Length == 0 || Array.IndexOf(segments, "") >= 0)
        {
            bag.Add(src, path, "expected a dotted key path such as array.rows or memory.1.capacity_kib", DiagnosticKind.BadPath);
            return;
        }
        if (segments[0] == "base")
        {
            bag.Add(src, path, "'base' cannot be set; pass the derived file itself instead", DiagnosticKind.BadPath);
            return;
        }
        var value = ParseValue(rawValue, path, src, bag, memo);
        if (value is null) return;

        // the path before segment i, and through it: spelled only for a message
        string Walked(int i) => string.Join('.', segments, 0, i);
        string Here(int i) => string.Join('.', segments, 0, i + 1);
        ConfigNode current = root;
        SchemaNode schema = ConfigSchema.Root;
        for (int i = 0; i < segments.Length; i++)
        {
            var seg = segments[i];
            bool last = i == segments.Length - 1;
            switch (current)
            {
                case ConfigMap map:
                {
                    SchemaNode? childSchema = schema switch
                    {
                        SchemaMap sm => sm.Get(seg),
                        SchemaNamedMap nm => nm.Value,
                        _ => null,
                    };
                    if (childSchema is null)
                    {
                        var names = schema is SchemaMap sm2 ? sm2.Names : [];
                        var where = i == 0 ? "at the top level" : $"in '{Walked(i)}'";
                        bag.Add(src, path, $"no key '{seg}' {where}{NameSuggester.Hint(seg, names)}" +
                                           $" (valid keys: {string.Join(", ", names)})", DiagnosticKind.BadPath);
                        return;
                    }
                    var entry = map.Find(seg);
                    if (last)
                    {
                        if (value is ConfigScalar { IsNull: true }) { if (entry is not null) map.Entries.Remove(entry); }
                        else if (entry is null) map.Entries.Add(new ConfigEntry(seg, src, value));
                        else map.Set(entry, value);
                        return;
                    }
                    if (entry is null || entry.Value is ConfigScalar { IsNull: true })
                    {
                        if (childSchema is SchemaList)
                        {
                            bag.Add(src, path, $"'{Here(i)}' is empty, so it has no item '{segments[i + 1]}'; set the whole list with {Here(i)}=[...]", DiagnosticKind.BadPath);
                            return;
                        }
                        var created = new ConfigMap(src);
                        if (entry is null) map.Entries.Add(new ConfigEntry(seg, src, created)); else map.Set(entry, created);
                        current = created;
                    }
                    else if (Own(entry.Value) is var child && !ReferenceEquals(child, entry.Value)) current = map.Set(entry, child);
                    else current = entry.Value;
                    schema = childSchema;
                    break;
                }
                case ConfigSeq seq when schema is SchemaList list:
                {
                    int index = FindItem(seq, seg);
                    if (index < 0)
                    {
                        var items = string.Join(", ", seq.Items.Select((it, k) => ItemName(it) is { } n ? $"{k} ({n})" : k.ToString()));
                        var hint = NameSuggester.Hint(seg, seq.Items.Select(ItemName).OfType<string>());
                        bag.Add(src, path, $"'{Walked(i)}' has no item '{seg}'{hint} (items: {(items.Length > 0 ? items : "none")})", DiagnosticKind.BadPath);
                        return;
                    }
                    if (last)
                    {
                        if (value is ConfigScalar { IsNull: true }) seq.Items.RemoveAt(index);
                        else seq.Items[index] = value;
                        return;
                    }
                    current = seq.Items[index];
                    if (Own(current) is var copy && !ReferenceEquals(copy, current)) current = seq.Items[index] = copy;
                    schema = list.Item;
                    break;
                }
                default:
                    var what = current is ConfigScalar cs ? $"holds the value {cs.KindName}" : $"is {current.KindName}";
                    bag.Add(src, path, $"cannot go into '{seg}': '{(i > 0 ? Walked(i) : path)}' {what}, not a mapping or list", DiagnosticKind.BadPath);
                    return;
            }
        }
    }

    private static int FindItem(ConfigSeq seq, string seg)
    {
        if (int.TryParse(seg, out var i)) return i >= 0 && i < seq.Items.Count ? i : -1;
        for (int k = 0; k < seq.Items.Count; k++) if (ItemName(seq.Items[k]) == seg) return k;
        return -1;
    }

    private static string? ItemName(ConfigNode item) =>
        item is ConfigMap m && m.Get("name") is ConfigScalar { IsNull: false } s ? s.Text : null;

    private static ConfigNode? ParseValue(string raw, string path, Origin src, DiagnosticBag bag, SetValueMemo? memo)
    {
        var text = raw.Trim();
        if (text.Length == 0)
        {
            bag.Add(src, path, "expected a value after '=' (use ~ to remove the key)", DiagnosticKind.BadPath);
            return null;
        }
        if (text[0] is not ('{' or '[' or '"' or '\'')) return new ConfigScalar(text, false, src);
        if (memo?.Get(path, text) is { } known) return known;
        var own = new DiagnosticBag();
        var node = YamlTreeReader.Parse(text, src.File, own);
        // A set value is one line: an error the parser places past its end (unclosed '{') is reported at its end.
        foreach (var d in own.Sorted())
            bag.Add(d.Line > 1 ? new Origin(d.File, 1, text.Length + 1) : new Origin(d.File, d.Line, d.Column), path, d.Message);
        if (own.HasErrors) return null;
        ConfigNode? value = node switch
        {
            null => null,
            ConfigScalar s => new ConfigScalar(s.Text, s.Quoted, src),
            _ => node,
        };
        // kept only when the parse said nothing, so every diagnostic is reported again by the next design
        return value is not null && memo is not null && own.Count == 0 ? memo.Add(path, text, value) : value;
    }
}
