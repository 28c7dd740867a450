using System.Collections.Concurrent;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>
/// Sections of a resolved base tree (<see cref="ResolvedArchitecture"/>) bound once and reused by every design built from
/// it. A design's tree shares the base's nodes wherever its sets did not reach (only the nodes along a set's path are
/// copied), so a PE section or memory level that is still the base's own node binds as it did the first time. A node of
/// a <c>--set</c> value shared by the designs that set the same text (<see cref="SetValueMemo"/>, such as a sweep's
/// <c>pe:</c> mapping) is never changed either, so it is reused the same way. Only bindings that reported nothing are
/// kept, so a design with a problem still hears about it. Thread-safe.
/// </summary>
internal sealed class BindMemo
{
    // levels are bound at a clock (bandwidth in GB/s becomes bytes per cycle): kept per clock, up to this many
    private const int Capacity = 4096;
    // sections bound from a node alone (PE, technology, array, sim), each node to the one type it binds to
    private readonly BoundedMemo<ConfigNode, object> _sections = new(Capacity, ReferenceEqualityComparer.Instance);
    private readonly BoundedMemo<LevelKey, MemoryLevelSpec> _levels = new(Capacity);

    /// <summary>Levels that differ from one bound before only in their bandwidth (a bandwidth sweep's DRAM level, whose node is a copy).</summary>
    public LevelBandwidthMemo Bandwidths { get; } = new();

    /// <param name="baseTree">The resolved base tree: its nodes are frozen (<see cref="ConfigNode.Frozen"/>), and so are those of the shared <c>--set</c> values (<see cref="SetValueMemo"/>).</param>
    public BindMemo(ConfigMap baseTree) => Freeze(baseTree);

    // A node no design changes: the base's own, or part of a shared set value.
    private static bool Stable(ConfigNode node) => node.Frozen;

    /// <summary>
    /// The section <paramref name="map"/> as it was bound before, if the memo has it (a stable node bound to a
    /// <typeparamref name="T"/>); else false: bind it, then <see cref="KeepSection"/>. The lookup allocates nothing, so a
    /// design point whose sections are the base's builds no closure to bind them.
    /// </summary>
    public bool TrySection<T>(ConfigMap map, out T? section) where T : class
    {
        section = null;
        if (!Stable(map) || !_sections.TryGetValue(map, out var hit) || hit is not T typed) return false;
        section = typed;
        return true;
    }

    /// <summary>Keeps <paramref name="section"/>, bound from <paramref name="map"/>, when the node is stable and its binding reported nothing (<paramref name="clean"/>).</summary>
    public void KeepSection(ConfigMap map, object? section, bool clean)
    {
        if (section is null || !clean || !Stable(map)) return;
        _sections.Add(map, section);
    }

    /// <summary>
    /// Memory level <paramref name="index"/> as it was bound before at this clock, if the memo has it; a reused level's name
    /// is registered in <paramref name="seen"/> as its binding would. False (bind it, then <see cref="KeepLevel"/>) when the
    /// memo does not have it or its name is taken (binding afresh reports the duplicate).
    /// </summary>
    public bool TryLevel(ConfigMap map, int index, double? clockMhz, Dictionary<string, Origin> seen, out MemoryLevelSpec? level)
    {
        level = null;
        if (!Stable(map) || !_levels.TryGetValue(new LevelKey(map, index, clockMhz), out var hit) || seen.ContainsKey(hit.Name)) return false;
        seen[hit.Name] = map.Get("name")!.Origin;
        level = hit;
        return true;
    }

    /// <summary>Keeps <paramref name="level"/>, level <paramref name="index"/> bound from <paramref name="map"/> at this clock, when the node is stable and its binding reported nothing (<paramref name="clean"/>).</summary>
    public void KeepLevel(ConfigMap map, int index, double? clockMhz, MemoryLevelSpec? level, bool clean)
    {
        if (level is null || !clean || !Stable(map)) return;
        _levels.Add(new LevelKey(map, index, clockMhz), level);
    }

    private static void Freeze(ConfigNode node)
    {
        node.Freeze();
        if (node is ConfigMap m) foreach (var e in m.Entries) Freeze(e.Value);
        else if (node is ConfigSeq s) foreach (var i in s.Items) Freeze(i);
    }

    // The level node by reference, its index and clock by value. A class, not a tuple: a dictionary keyed on a reference
    // type runs the shared precompiled (ReadyToRun) code, one keyed on a new value type is JIT-compiled at start-up.
    private sealed class LevelKey(ConfigNode level, int index, double? clockMhz) : IEquatable<LevelKey>
    {
        private readonly ConfigNode _level = level;
        private readonly int _index = index;
        private readonly double? _clockMhz = clockMhz;

        public bool Equals(LevelKey? o) => o is not null && ReferenceEquals(_level, o._level) && _index == o._index && Nullable.Equals(_clockMhz, o._clockMhz);

        public override bool Equals(object? obj) => Equals(obj as LevelKey);

        public override int GetHashCode() => HashCode.Combine(ReferenceEqualityComparer.Instance.GetHashCode(_level), _index, _clockMhz);
    }
}
