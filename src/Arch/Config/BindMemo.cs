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
    private readonly HashSet<ConfigNode> _base = new(ReferenceEqualityComparer.Instance);
    // sections bound from a node alone (PE, technology, array, sim), each node to the one type it binds to
    private readonly ConcurrentDictionary<ConfigNode, object> _sections = new(ReferenceEqualityComparer.Instance);
    private readonly ConcurrentDictionary<LevelKey, MemoryLevelSpec> _levels = new();

    private readonly SetValueMemo? _values;

    /// <param name="values">The shared <c>--set</c> values whose nodes are reused like the base's, or null.</param>
    public BindMemo(ConfigMap baseTree, SetValueMemo? values = null)
    {
        _values = values;
        Collect(baseTree);
    }

    // A node no design changes: the base's own, or part of a shared set value.
    private bool Stable(ConfigNode node) => _base.Contains(node) || _values is not null && _values.IsShared(node);

    /// <summary>The section <paramref name="map"/> bound by <paramref name="bind"/> (which reads nothing but the section), or as it was bound before.</summary>
    public T? Section<T>(ConfigMap map, DiagnosticBag bag, Func<T?> bind) where T : class => (T?)Bound<ConfigNode, object>(_sections, map, map, bag, bind);

    /// <summary>Memory level <paramref name="index"/> bound by <paramref name="bind"/>, or as it was bound before at this clock;
    /// a reused level's name is registered in <paramref name="seen"/> as its binding would (a duplicate name binds afresh to report it).</summary>
    public MemoryLevelSpec? Level(ConfigMap map, int index, double? clockMhz, Dictionary<string, Origin> seen, DiagnosticBag bag, Func<MemoryLevelSpec?> bind)
    {
        var key = new LevelKey(map, index, clockMhz);
        if (Stable(map) && _levels.TryGetValue(key, out var level))
        {
            if (seen.ContainsKey(level.Name)) return bind(); // reports the duplicate
            seen[level.Name] = map.Get("name")!.Origin;
            return level;
        }
        return Bound(_levels, key, map, bag, bind);
    }

    private T? Bound<TKey, T>(ConcurrentDictionary<TKey, T> memo, TKey key, ConfigNode node, DiagnosticBag bag, Func<T?> bind)
        where TKey : notnull where T : class
    {
        if (!Stable(node)) return bind();
        if (memo.TryGetValue(key, out var hit)) return hit;
        int before = bag.Count;
        var bound = bind();
        if (bound is not null && bag.Count == before)
        {
            if (memo.Count >= Capacity) memo.Clear();
            memo.TryAdd(key, bound);
        }
        return bound;
    }

    private void Collect(ConfigNode node)
    {
        _base.Add(node);
        if (node is ConfigMap m) foreach (var e in m.Entries) Collect(e.Value);
        else if (node is ConfigSeq s) foreach (var i in s.Items) Collect(i);
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
