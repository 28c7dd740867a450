using System.Collections.Concurrent;

namespace Mantissa.Arch.Config;

/// <summary>
/// The YAML values of <c>--set</c> overrides (flow collections and quoted scalars) parsed once per resolved base
/// (<see cref="ResolvedArchitecture"/>) and shared by every design that sets the same text at the same path: a sweep
/// parameter whose values are mappings is otherwise re-parsed on every point. A shared value is never changed:
/// <see cref="SetPathApplier.Apply"/> copies a shared mapping or list before a later set goes into it
/// (<see cref="IsShared"/>). Only values that parsed without any diagnostic are kept, so a bad value is parsed and
/// reported afresh every time. Thread-safe.
/// </summary>
internal sealed class SetValueMemo
{
    // distinct (path, text) values kept; past it a value is parsed per design as before (never cleared: a design being
    // built may hold shared nodes, and IsShared must keep knowing them)
    private const int Capacity = 4096;
    private int _count;
    // path -> value text -> the parsed node (its origins name the path, so the path is part of the key)
    private readonly ConcurrentDictionary<string, ConcurrentDictionary<string, ConfigNode>> _values = new();

    /// <summary>The value parsed before for <paramref name="text"/> at <paramref name="path"/>, if any.</summary>
    public ConfigNode? Get(string path, string text) =>
        _values.TryGetValue(path, out var byText) && byText.TryGetValue(text, out var node) ? node : null;

    /// <summary>Keeps <paramref name="node"/>, parsed without diagnostics, for <paramref name="text"/> at <paramref name="path"/>;
    /// returns the node to use (one kept before by another thread wins).</summary>
    public ConfigNode Add(string path, string text, ConfigNode node)
    {
        if (Volatile.Read(ref _count) >= Capacity) return node;
        Collect(node); // known as shared before any design can see it
        var byText = _values.GetOrAdd(path, _ => new ConcurrentDictionary<string, ConfigNode>());
        if (!byText.TryAdd(text, node)) return byText[text];
        Interlocked.Increment(ref _count);
        return node;
    }

    /// <summary>Whether <paramref name="node"/> is part of a kept value or of the base tree (<see cref="ConfigNode.Frozen"/>), and so must be copied before it is changed.</summary>
    public bool IsShared(ConfigNode node) => node.Frozen;

    // frozen before the value is published (ConcurrentDictionary.TryAdd is a full fence), so no design sees it unfrozen
    private static void Collect(ConfigNode node)
    {
        node.Freeze();
        if (node is ConfigMap m) foreach (var e in m.Entries) Collect(e.Value);
        else if (node is ConfigSeq s) foreach (var i in s.Items) Collect(i);
    }
}
