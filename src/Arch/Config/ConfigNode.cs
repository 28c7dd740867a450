namespace Mantissa.Arch.Config;

/// <summary>Where a node came from: file (or <c>--set PATH</c>), 1-based line and column (0 when unknown).</summary>
internal readonly record struct Origin(string File, int Line, int Column);

/// <summary>A YAML node that remembers its origin; a tree may mix nodes from a file, its bases and <c>--set</c> values.</summary>
internal abstract class ConfigNode
{
    protected ConfigNode(Origin origin) => Origin = origin;
    public Origin Origin { get; }
    /// <summary>
    /// Whether the node is shared by the designs a resolved base builds and is never changed again: a node of the base tree
    /// (<see cref="BindMemo"/>) or of a memoised <c>--set</c> value (<see cref="SetValueMemo"/>). A set that goes into a
    /// frozen mapping or list copies it first, and a frozen section's binding is reused by reference. A flag on the node,
    /// not a set of nodes: asking a set about a node made for one design point hashes the new object, per point.
    /// </summary>
    public bool Frozen { get; private set; }
    /// <summary>Marks the node as <see cref="Frozen"/> (before any design can see it).</summary>
    public void Freeze() => Frozen = true;
    /// <summary>How the node is described after "got" in messages: "a mapping", "a list", or the scalar's text.</summary>
    public abstract string KindName { get; }
    public abstract ConfigNode Clone();
}

/// <summary>A scalar as written; <see cref="Quoted"/> scalars are always strings.</summary>
internal sealed class ConfigScalar : ConfigNode
{
    public ConfigScalar(string text, bool quoted, Origin origin) : base(origin) { Text = text; Quoted = quoted; }
    public string Text { get; }
    public bool Quoted { get; }
    /// <summary>YAML core-schema null (empty, <c>~</c>, <c>null</c>), which removes a key inherited from a base.</summary>
    public bool IsNull => !Quoted && Text is "" or "~" or "null" or "Null" or "NULL";
    public override string KindName => IsNull ? "null" : Quoted ? $"the string \"{MessageText.Clip(Text)}\"" : $"'{MessageText.Clip(Text)}'";
    public override ConfigNode Clone() => new ConfigScalar(Text, Quoted, Origin);
}

/// <summary>
/// A key of a mapping with the position of the key itself. Immutable, so a copied mapping shares its entries with the
/// original (<see cref="ConfigMap.Set"/> replaces the entry whose value changes).
/// </summary>
internal sealed class ConfigEntry
{
    public ConfigEntry(string key, Origin keyOrigin, ConfigNode value) { Key = key; KeyOrigin = keyOrigin; Value = value; }
    public string Key { get; }
    public Origin KeyOrigin { get; }
    public ConfigNode Value { get; }
}

/// <summary>A mapping with its keys in file order.</summary>
internal sealed class ConfigMap : ConfigNode
{
    public ConfigMap(Origin origin, List<ConfigEntry>? entries = null) : base(origin) => Entries = entries ?? new();
    public List<ConfigEntry> Entries { get; }
    public override string KindName => "a mapping";
    public ConfigEntry? Find(string key)
    {
        // over the list's span, not its enumerator: a sweep looks keys up on every design point (tens per point)
        foreach (var e in System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Entries))
            if (string.Equals(e.Key, key)) return e;
        return null;
    }
    public ConfigNode? Get(string key) => Find(key)?.Value;
    /// <summary>Gives <paramref name="entry"/>, one of this mapping's, the value <paramref name="value"/> (a new entry in its place: entries may be shared with a copy); returns <paramref name="value"/>.</summary>
    public ConfigNode Set(ConfigEntry entry, ConfigNode value)
    {
        // by reference, over the span (List.IndexOf calls Equals per entry): a sweep's sets replace entries on every point
        var entries = System.Runtime.InteropServices.CollectionsMarshal.AsSpan(Entries);
        int i = 0;
        while (i < entries.Length && !ReferenceEquals(entries[i], entry)) i++;
        if (i == entries.Length) throw new ArgumentException($"'{entry.Key}' is not an entry of this mapping", nameof(entry));
        Entries[i] = new ConfigEntry(entry.Key, entry.KeyOrigin, value);
        return value;
    }
    public override ConfigNode Clone() =>
        new ConfigMap(Origin, Entries.Select(e => new ConfigEntry(e.Key, e.KeyOrigin, e.Value.Clone())).ToList());
}

/// <summary>A sequence.</summary>
internal sealed class ConfigSeq : ConfigNode
{
    public ConfigSeq(Origin origin, List<ConfigNode>? items = null) : base(origin) => Items = items ?? new();
    public List<ConfigNode> Items { get; }
    public override string KindName => "a list";
    public override ConfigNode Clone() => new ConfigSeq(Origin, Items.Select(i => i.Clone()).ToList());
}
