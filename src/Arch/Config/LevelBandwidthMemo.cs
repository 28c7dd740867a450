using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>
/// Memory levels that differ from a level bound before only in their <c>bandwidth_gbps</c> value (a bandwidth sweep's
/// DRAM level): the level is the earlier one with the new bandwidth, without binding it again. Such a level's tree is a
/// copy of the base's (<see cref="SetPathApplier.CopyPaths"/>) whose every other entry is still the base's own entry
/// object, so the levels are matched by those entries' identity; and <c>bandwidth_gbps</c> is the only key the binding
/// reads that the clock and the bandwidth enter (<see cref="MemoryBinder"/>: bytes per cycle = GB/s × 1000 ÷ MHz).
/// A level is answered only when its bandwidth binds as the binder would accept it (a finite unquoted number in range)
/// and its name is not taken; anything else is bound in full, which reports it. Thread-safe.
/// </summary>
internal sealed class LevelBandwidthMemo
{
    private const string Key = "bandwidth_gbps";
    // level shapes kept before the memo starts over (a sweep has a few: one per level it sets the bandwidth of)
    private const int Capacity = 64;
    private readonly BoundedMemo<Shape, MemoryLevelSpec> _levels = new(Capacity);

    /// <summary>
    /// Level <paramref name="index"/> as its binding at <paramref name="clockMhz"/> would give it, from a level bound before
    /// that had the same entries but for its bandwidth; registers its name in <paramref name="seen"/>. False: bind it
    /// (then <see cref="Keep"/>).
    /// </summary>
    public bool TryLevel(ConfigMap map, int index, double? clockMhz, Dictionary<string, Origin> seen, out MemoryLevelSpec? level)
    {
        level = null;
        if (clockMhz is not { } clock || Shape.Of(map, index) is not { } shape || !_levels.TryGetValue(shape, out var known)) return false;
        // what SectionReader.Number accepts for the key, else the binder reports it
        if (shape.Bandwidth(map).Value is not ConfigScalar { Quoted: false } s || s.IsNull || !SectionReader.TryNumber(s.Text, out double gbps) ||
            gbps < Limits.MinBandwidthGbps || gbps > Limits.MaxBandwidthGbps || seen.ContainsKey(known.Name))
            return false;
        seen[known.Name] = map.Get("name")!.Origin;
        double bpc = gbps * 1000.0 / clock; // as MemoryBinder.ReadBandwidth computes it
        level = known with { ReadBytesPerCycle = bpc, WriteBytesPerCycle = bpc };
        return true;
    }

    /// <summary>Keeps <paramref name="level"/>, bound in full from <paramref name="map"/> with nothing reported (<paramref name="clean"/>), when it has the shape this memo answers.</summary>
    public void Keep(ConfigMap map, int index, MemoryLevelSpec? level, bool clean)
    {
        if (level is null || !clean || Shape.Of(map, index) is not { } shape) return;
        _levels.Add(shape, level);
    }

    // A level's entries but its bandwidth, by identity, and its index. Only a level whose other entries all hold frozen
    // nodes (the base's, never changed: BindMemo) has one, so equal shapes bind alike.
    private sealed class Shape : IEquatable<Shape>
    {
        private readonly ConfigEntry[] _entries;
        private readonly int _bandwidth, _index, _hash;

        private Shape(ConfigEntry[] entries, int bandwidth, int index)
        {
            _entries = entries; _bandwidth = bandwidth; _index = index;
            var h = new HashCode();
            h.Add(index); h.Add(bandwidth);
            for (int i = 0; i < entries.Length; i++)
                if (i != bandwidth) h.Add(RuntimeHelpers.GetHashCode(entries[i]));
            _hash = h.ToHashCode();
        }

        public static Shape? Of(ConfigMap map, int index)
        {
            var entries = map.Entries;
            int bandwidth = -1;
            for (int i = 0; i < entries.Count; i++)
            {
                if (entries[i].Key == Key) { if (bandwidth >= 0) return null; bandwidth = i; }
                else if (!entries[i].Value.Frozen) return null;
            }
            return bandwidth < 0 ? null : new Shape(entries.ToArray(), bandwidth, index);
        }

        public ConfigEntry Bandwidth(ConfigMap map) => map.Entries[_bandwidth];

        public bool Equals(Shape? o)
        {
            if (o is null || o._hash != _hash || o._index != _index || o._bandwidth != _bandwidth || o._entries.Length != _entries.Length) return false;
            for (int i = 0; i < _entries.Length; i++)
                if (i != _bandwidth && !ReferenceEquals(_entries[i], o._entries[i])) return false;
            return true;
        }

        public override bool Equals(object? obj) => Equals(obj as Shape);

        public override int GetHashCode() => _hash;
    }
}
