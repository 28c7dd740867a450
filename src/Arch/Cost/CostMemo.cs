using System.Collections.Concurrent;
using Mantissa.Arch.Model;

namespace Mantissa.Arch.Cost;

/// <summary>
/// Costs of many designs (a sweep's), each ASIC design's clock-free part (<see cref="AsicClockFreeCost"/>) computed once per
/// distinct set of the inputs it reads: designs that differ only in their clock or DRAM bandwidth share it and pay only for
/// the clock-dependent rest. Returns exactly what <see cref="CostModel.Evaluate"/> does. Thread-safe.
/// </summary>
public sealed class CostMemo
{
    private readonly ConcurrentDictionary<ClockFreeInputs, AsicClockFreeCost> _memo = new();
    private readonly int _capacity;
    // entries added since the memo last started over: ConcurrentDictionary.Count takes every bucket lock, and on every miss
    // it was the most contended lock of a 2-job sweep (measured with contention events)
    private int _added;

    /// <param name="capacity">Designs kept before the memo starts over, so a sweep of distinct designs stays flat in memory.</param>
    public CostMemo(int capacity = 4096)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be positive");
        _capacity = capacity;
    }

    /// <summary>The cost of <paramref name="arch"/>, as <see cref="CostModel.Evaluate"/> computes it.</summary>
    public ArchCost Evaluate(ArchitectureSpec arch)
    {
        if (arch.Target == Target.Fpga) return CostModel.Evaluate(arch);
        var key = new ClockFreeInputs(arch);
        if (!_memo.TryGetValue(key, out var free))
        {
            free = CostModel.ClockFree(arch); // throws for a design the model rejects; nothing is kept then
            if (Interlocked.Increment(ref _added) > _capacity) { _memo.Clear(); Volatile.Write(ref _added, 1); }
            _memo.TryAdd(key, free);
        }
        return free.CostAt(arch.ClockMhz);
    }

    /// <summary>
    /// What the clock-free cost reads of a design: everything but its name, source file and clock, with each memory level's
    /// bandwidth per cycle left out; a <c>chip:</c> section's DRAM PHYs read the bandwidth in GB/s, so with one it is kept.
    /// </summary>
    private sealed class ClockFreeInputs : IEquatable<ClockFreeInputs>
    {
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
            for (int i = 0; i < _gbps.Length; i++) _gbps[i] = arch.Memory[i].ReadBytesPerCycle * arch.ClockMhz * 1e-3;
            var h = new HashCode();
            h.Add(_arch);
            foreach (var m in _memory) h.Add(m);
            foreach (var o in _overrides) h.Add(o);
            foreach (var g in _gbps) h.Add(g);
            _hash = h.ToHashCode();
        }

        public bool Equals(ClockFreeInputs? o) => o is not null && _hash == o._hash && _arch == o._arch &&
            _memory.AsSpan().SequenceEqual(o._memory) && _overrides.AsSpan().SequenceEqual(o._overrides) && _gbps.AsSpan().SequenceEqual(o._gbps);

        public override bool Equals(object? obj) => Equals(obj as ClockFreeInputs);

        public override int GetHashCode() => _hash;
    }
}
