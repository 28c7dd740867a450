using System.Collections.Concurrent;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>
/// Costs of many designs (a sweep's), each ASIC design's clock-free part (<see cref="AsicClockFreeCost"/>) computed once per
/// distinct set of the inputs it reads (twice when they recur: it is kept from their second sighting on): designs that differ only in their clock or DRAM bandwidth share it and pay only for
/// the clock-dependent rest. Returns exactly what <see cref="CostModel.Evaluate"/> does. Thread-safe.
/// </summary>
/// <remarks>
/// The last design costed is kept with its cost at its clock: a sweep's consecutive points mostly differ in one parameter
/// (a bandwidth sweep inside a clock sweep), so a design that agrees with it in every clock-free input
/// (<see cref="ClockFreeInputs.SameInputs"/>) takes its clock-free part without building a key, and at the same clock the
/// very cost object, without pricing the clock again.
/// </remarks>
public sealed class CostMemo
{
    private readonly ConcurrentDictionary<ClockFreeInputs, AsicClockFreeCost> _memo = new(KeyComparer.Instance);
    // looks a design up without building its key: in a sweep of designs that never repeat every lookup misses, and the key
    // (a copy of the design and of each level) was built for nothing
    private readonly ConcurrentDictionary<ClockFreeInputs, AsicClockFreeCost>.AlternateLookup<ArchitectureSpec> _byDesign;
    private readonly int _capacity;
    // entries added since the memo last started over: ConcurrentDictionary.Count takes every bucket lock, and on every miss
    // it was the most contended lock of a 2-job sweep (measured with contention events)
    private int _added;
    private Last? _last;
    // a design's clock-free part is kept only when its inputs come back: in a sweep of designs that never repeat (one
    // fresh array or PE per point) every kept entry was copied through gen 0 and 1 and dropped when the memo started over
    // (bench-gemm-16k: about 330 of its 450 ms of GC pauses). Unlike the mapping cache, which holds its results among the
    // last searches until they come back (a search is costly to repeat), this memo recomputes a design's second sighting:
    // a clock-free cost is cheap to repeat and large to hold (tables of rows), and holding the last 256 measured worse
    // (warm bench-gemm-16k, alternating runs: GC pauses 123-147 ms with this filter, 181-190 ms with that window).
    private readonly SeenFilter _seen = new();

    // The last design costed, its clock-free part and its cost at its clock (replaced whole, so threads never see a mix).
    private sealed record Last(ArchitectureSpec Arch, AsicClockFreeCost Free, ArchCost Cost);

    /// <param name="capacity">Designs kept before the memo starts over, so a sweep of distinct designs stays flat in memory.</param>
    public CostMemo(int capacity = 4096)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be positive");
        _capacity = capacity;
        _byDesign = _memo.GetAlternateLookup<ArchitectureSpec>();
    }

    /// <summary>The cost of <paramref name="arch"/>, as <see cref="CostModel.Evaluate"/> computes it.</summary>
    public ArchCost Evaluate(ArchitectureSpec arch)
    {
        if (arch.Target == Target.Fpga) return CostModel.Evaluate(arch);
        var last = Volatile.Read(ref _last);
        AsicClockFreeCost free;
        if (last is not null && ClockFreeInputs.SameInputs(last.Arch, arch))
        {
            // the clock-free part and the clock are all the cost reads: the same cost, shared
            if (BitConverter.DoubleToInt64Bits(last.Arch.ClockMhz) == BitConverter.DoubleToInt64Bits(arch.ClockMhz)) return last.Cost;
            free = last.Free;
        }
        else free = Lookup(arch);
        var cost = free.CostAt(arch.ClockMhz);
        Volatile.Write(ref _last, new Last(arch, free, cost));
        return cost;
    }

    private AsicClockFreeCost Lookup(ArchitectureSpec arch)
    {
        if (!_byDesign.TryGetValue(arch, out var free))
        {
            free = CostModel.ClockFree(arch); // throws for a design the model rejects; nothing is kept then
            if (!_seen.SeenBefore(ClockFreeInputs.HashOf(arch))) return free;
            if (Interlocked.Increment(ref _added) > _capacity) { _memo.Clear(); Volatile.Write(ref _added, 1); }
            _memo.TryAdd(new ClockFreeInputs(arch), free);
        }
        return free;
    }

    /// <summary>
    /// What the clock-free cost reads of a design: everything but its name, source file and clock, with each memory level's
    /// bandwidth per cycle left out; a <c>chip:</c> section's DRAM PHYs read the bandwidth in GB/s, so with one it is kept.
    /// </summary>
    internal sealed class ClockFreeInputs : IEquatable<ClockFreeInputs>
    {
        /// <summary>Architecture fields the clock-free cost does not read (<see cref="SameInputs"/> skips them; the key blanks them).</summary>
        public static readonly string[] UnreadArchitecture = ["Name", "ClockMhz", "SourceFile"];

        /// <summary>Architecture fields <see cref="SameInputs"/> compares (a test checks that they and <see cref="UnreadArchitecture"/> cover the record).</summary>
        public static readonly string[] ComparedArchitecture = ["Target", "Technology", "Fpga", "Pe", "Array", "Memory", "Overrides", "Switches", "Chip", "PeCount"];

        /// <summary>Memory level fields <see cref="SameInputs"/> compares (with <see cref="UnreadLevel"/>, every field of the record).</summary>
        public static readonly string[] ComparedLevel =
            ["Name", "Kind", "DramType", "CapacityBytes", "WidthBits", "Banks", "Holds", "DoubleBuffered", "PerPe", "Cell", "Mapping", "MayBypass"];

        /// <summary>Memory level fields it does not read (bytes per cycle: the clock-free cost reads bandwidth, with a chip: section, in GB/s).</summary>
        public static readonly string[] UnreadLevel = ["ReadBytesPerCycle", "WriteBytesPerCycle"];

        private readonly ArchitectureSpec _arch;
        private readonly MemoryLevelSpec[] _memory;
        private readonly CostOverride[] _overrides;
        private readonly double[] _gbps;
        private readonly int _hash;
        // the lists compare by reference in the record, so the normalised design holds these two and the key compares the real ones
        private static readonly MemoryLevelSpec[] NoLevels = [];
        private static readonly CostOverride[] NoOverrides = [];

        public ClockFreeInputs(ArchitectureSpec arch)
        {
            _arch = arch with { Name = "", ClockMhz = 0, Memory = NoLevels, Overrides = NoOverrides, SourceFile = null };
            // loops, not LINQ: a key is built for every design point of a sweep
            _memory = new MemoryLevelSpec[arch.Memory.Count];
            for (int i = 0; i < _memory.Length; i++) _memory[i] = arch.Memory[i] with { ReadBytesPerCycle = 0, WriteBytesPerCycle = 0 };
            _overrides = arch.Overrides.Count == 0 ? NoOverrides : arch.Overrides.ToArray();
            // the same product ChipCostModel sizes the PHYs from
            _gbps = arch.Chip is null ? [] : new double[arch.Memory.Count];
            for (int i = 0; i < _gbps.Length; i++) _gbps[i] = Gbps(arch, i);
            _hash = HashOf(arch);
        }

        /// <summary>The hash code of the key <paramref name="arch"/> makes, computed from the design (no key built).</summary>
        /// <remarks>A few numbers that tell designs apart (equal inputs hash equal; Equals compares everything): hashing the
        /// records whole walked every nested record and string of the design for every point. The key's levels keep their
        /// capacity and width, and its bandwidths are the design's, so the design's own fields give the key's hash.</remarks>
        public static int HashOf(ArchitectureSpec arch)
        {
            var h = new HashCode();
            h.Add(arch.Target); h.Add(arch.Technology?.NodeNm); h.Add(arch.Technology?.Vdd);
            h.Add(arch.Pe.Kind.Name); h.Add(arch.Pe.WeightFormat.Bits); h.Add(arch.Pe.ActivationFormat.Bits); h.Add(arch.Pe.DotWidth);
            h.Add(arch.Array.Rows); h.Add(arch.Array.Cols); h.Add(arch.Array.VectorLanes);
            foreach (var m in arch.Memory) { h.Add(m.CapacityBytes); h.Add(m.WidthBits); }
            foreach (var o in arch.Overrides) h.Add(o.Value);
            if (arch.Chip is not null)
                for (int i = 0; i < arch.Memory.Count; i++) h.Add(Gbps(arch, i));
            return h.ToHashCode();
        }

        /// <summary>
        /// True when <paramref name="arch"/> makes a key equal to this one, compared in place as <see cref="SameInputs"/>
        /// compares two designs (as strict or stricter than <see cref="Equals(ClockFreeInputs?)"/>: a miss costs only time).
        /// </summary>
        public bool Matches(ArchitectureSpec arch)
        {
            var a = _arch;
            if (a.Target != arch.Target || a.Technology != arch.Technology || a.Fpga != arch.Fpga || a.Pe != arch.Pe || a.Array != arch.Array ||
                a.Switches != arch.Switches || a.Chip != arch.Chip || _memory.Length != arch.Memory.Count || _overrides.Length != arch.Overrides.Count ||
                _gbps.Length != (arch.Chip is null ? 0 : arch.Memory.Count))
                return false;
            for (int i = 0; i < _overrides.Length; i++)
                if (_overrides[i] != arch.Overrides[i]) return false;
            for (int i = 0; i < _memory.Length; i++)
                if (!SameLevel(_memory[i], arch.Memory[i])) return false;
            for (int i = 0; i < _gbps.Length; i++)
                if (BitConverter.DoubleToInt64Bits(_gbps[i]) != BitConverter.DoubleToInt64Bits(Gbps(arch, i))) return false;
            return true;
        }

        private static double Gbps(ArchitectureSpec arch, int level) => arch.Memory[level].ReadBytesPerCycle * arch.ClockMhz * 1e-3;

        /// <summary>
        /// True when <paramref name="a"/> and <paramref name="b"/> would make equal keys, compared in place (no key built):
        /// every field but <see cref="UnreadArchitecture"/> and, per level, <see cref="UnreadLevel"/>; shared objects (a
        /// sweep's PE, array, on-chip levels) compare by reference first. Doubles compare bit for bit, stricter than the key.
        /// </summary>
        public static bool SameInputs(ArchitectureSpec a, ArchitectureSpec b)
        {
            if (ReferenceEquals(a, b)) return true;
            if (a.Target != b.Target || a.Technology != b.Technology || a.Fpga != b.Fpga || a.Pe != b.Pe || a.Array != b.Array ||
                a.Switches != b.Switches || a.Chip != b.Chip || a.Memory.Count != b.Memory.Count || a.Overrides.Count != b.Overrides.Count)
                return false;
            for (int i = 0; i < a.Overrides.Count; i++)
                if (a.Overrides[i] != b.Overrides[i]) return false;
            for (int i = 0; i < a.Memory.Count; i++)
            {
                if (!SameLevel(a.Memory[i], b.Memory[i])) return false;
                if (a.Chip is not null && BitConverter.DoubleToInt64Bits(Gbps(a, i)) != BitConverter.DoubleToInt64Bits(Gbps(b, i))) return false;
            }
            return true;
        }

        // Every field of a level but its bytes per cycle.
        private static bool SameLevel(MemoryLevelSpec x, MemoryLevelSpec y) => ReferenceEquals(x, y) ||
            x.Name == y.Name && x.Kind == y.Kind && x.DramType == y.DramType && x.CapacityBytes == y.CapacityBytes &&
            x.WidthBits == y.WidthBits && x.Banks == y.Banks && x.Holds == y.Holds && x.DoubleBuffered == y.DoubleBuffered &&
            x.PerPe == y.PerPe && x.Cell == y.Cell && x.Mapping == y.Mapping && x.MayBypass == y.MayBypass;

        public bool Equals(ClockFreeInputs? o) => o is not null && _hash == o._hash && _arch == o._arch &&
            _memory.AsSpan().SequenceEqual(o._memory) && _overrides.AsSpan().SequenceEqual(o._overrides) && _gbps.AsSpan().SequenceEqual(o._gbps);

        public override bool Equals(object? obj) => Equals(obj as ClockFreeInputs);

        public override int GetHashCode() => _hash;
    }

    // Keys compare as keys; a design looks up the key it would make (CostMemo._byDesign).
    private sealed class KeyComparer : IEqualityComparer<ClockFreeInputs>, IAlternateEqualityComparer<ArchitectureSpec, ClockFreeInputs>
    {
        public static readonly KeyComparer Instance = new();

        public bool Equals(ClockFreeInputs? x, ClockFreeInputs? y) => ReferenceEquals(x, y) || x is not null && x.Equals(y);

        public int GetHashCode(ClockFreeInputs key) => key.GetHashCode();

        public bool Equals(ArchitectureSpec alternate, ClockFreeInputs other) => other.Matches(alternate);

        public int GetHashCode(ArchitectureSpec alternate) => ClockFreeInputs.HashOf(alternate);

        public ClockFreeInputs Create(ArchitectureSpec alternate) => new(alternate);
    }
}
