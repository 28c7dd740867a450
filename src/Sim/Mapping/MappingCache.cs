using System.Collections.Concurrent;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Search;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// Mapper results shared by the simulators of a sweep, keyed on exactly what the mapper reads (<see cref="MapperInputs"/>):
/// the problem and its compute cycles, the objective, the PE's throughput, the array, every memory level, the level
/// energies, the PE energies, the leakage and the clock. The mapper is a deterministic function of those inputs, so a hit
/// returns what a fresh search would: results are the same with and without the cache. Designs that differ only in the
/// clock, the DRAM's bandwidth, type or energies, leakage or always-on power share a <see cref="MappingFront"/> (built when
/// the second such design arrives) and re-score it instead of searching, with the same result. Only searched results are
/// kept per exact design (<see cref="Hits"/>); a design answered by a front is re-scored on every lookup (<see cref="Rescored"/>).
/// Thread-safe.
/// </summary>
public sealed class MappingCache
{
    private readonly ConcurrentDictionary<(MapperInputs Design, GemmProblem Problem, double ComputeCycles), MapperResult> _map = new();
    // designs that differ only in clock, DRAM bandwidth/type/energies, leakage: a front once two of them have been seen
    private readonly ConcurrentDictionary<(MapperInputs Shared, GemmProblem Problem, double ComputeCycles), MappingFront?> _fronts = new();
    // The shared keys searched once, by hash code: a front is recorded when one comes back. A set of codes, not of keys:
    // a dictionary of keys allocated a node and a shared key for every design point of a sweep that never repeats, each
    // promoted by the GC until the set started over. Two keys with one 32-bit code (odds about 1 in 10^5 for a few
    // hundred keys) record a front a search sooner, which changes only when a front is recorded, never a result: a search that
    // records a front returns what a plain search returns, and a front re-scores to what a search returns (MappingFront).
    // Exact otherwise, so the cache's counts are the same in every run of a one-job sweep (a direct-mapped filter here
    // displaced codes at random, the hash being seeded per process, and moved the counts in some runs).
    private readonly HashSet<int> _seen = new();
    private readonly int _capacity;
    private long _hits, _misses, _rescored, _frontCandidates;
    // entries added since _map last started over: ConcurrentDictionary.Count takes every bucket lock, and on every
    // miss it was a most contended lock of a 2-job sweep (measured with contention events)
    private int _mapAdded;
    // A searched design is kept for the sweep only once it comes back; until then it waits among the last searches
    // (RecentEntries). A sweep of designs that never repeat (a fresh array per point) kept every result, each promoted by
    // the GC through gen 0 and 1 before the cache started over (bench-gemm-16k with the cost memo's like fix: GC pauses
    // about 200 -> 100 ms; Llama decode 415 -> 180 ms); repeats that come soon (a workload's batch sizes, a point's
    // layers, the simulator's second lookup) still hit.
    private readonly RecentEntries<(MapperInputs, GemmProblem, double), MapperResult> _recent = new(RecentCount);

    /// <summary>Searched results kept before their design comes back a second time (the oldest is dropped first).</summary>
    public const int RecentCount = 256;

    /// <summary>Candidates kept in fronts before they start over (each a mapping and its per-level traffic, a few hundred bytes).</summary>
    public const long FrontBudget = 1 << 18;

    /// <param name="capacity">Entries kept before the cache starts over, so a million-point sweep of distinct designs stays flat in memory.</param>
    public MappingCache(int capacity = 16_384)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be positive");
        _capacity = capacity;
    }

    /// <summary>Lookups answered from the cache: repeats of a design whose mapping was searched.</summary>
    public long Hits => Interlocked.Read(ref _hits);

    /// <summary>Lookups that ran the mapper.</summary>
    public long Misses => Interlocked.Read(ref _misses);

    /// <summary>Lookups answered by re-scoring a front (<see cref="MappingFront"/>): every lookup of a design that differs from an earlier one only in clock, DRAM bandwidth, DRAM type or energies, leakage or always-on power.</summary>
    public long Rescored => Interlocked.Read(ref _rescored);

    /// <summary>The mapping of <paramref name="p"/> on the design <paramref name="design"/>: cached, or found by <paramref name="mapper"/> and kept.</summary>
    internal MapperResult Map(MapperInputs design, Mapper mapper, GemmProblem p, double computeCycles)
    {
        var key = (design, p, computeCycles);
        if (_map.TryGetValue(key, out var hit))
        {
            Interlocked.Increment(ref _hits);
            return hit;
        }
        if (_recent.TryGetValue(key, out hit))
        {
            // a design searched not long ago comes back: from now on it is kept for the whole sweep
            Interlocked.Increment(ref _hits);
            Keep(key, hit);
            return hit;
        }
        bool rescored = false;
        var result = mapper.ScoresEveryCandidate ? FromFront(design, mapper, p, computeCycles, out rescored) : null;
        // A front's answer is not kept: re-scoring it again is cheap, and in a clock x bandwidth sweep no design repeats, so
        // keeping every re-scored design only grew the dictionary to its capacity and emptied it, over and over.
        if (rescored) return result!;
        if (result is null)
        {
            Interlocked.Increment(ref _misses);
            result = mapper.Map(p, computeCycles);
        }
        _recent.Add(key, result);
        return result;
    }

    private void Keep((MapperInputs, GemmProblem, double) key, MapperResult result)
    {
        if (Interlocked.Increment(ref _mapAdded) > _capacity) { _map.Clear(); Volatile.Write(ref _mapAdded, 1); } // a hit and a fresh search agree, so dropping entries only costs time
        _map.TryAdd(key, result);
    }

    // Whether a shared key with this code was searched before; records it. Starts over at the capacity, as the results do.
    private bool SeenBefore(int code)
    {
        lock (_seen)
        {
            if (_seen.Contains(code)) return true;
            if (_seen.Count >= _capacity) _seen.Clear();
            _seen.Add(code);
            return false;
        }
    }

    // The last front found, with its key: the consecutive points of a clock or bandwidth sweep share it, and the design's
    // own inputs compare with the key's (MapperInputs.SharesWith) without building the shared key or hashing it.
    private sealed record LastFront(MapperInputs Shared, GemmProblem Problem, double ComputeCycles, MappingFront? Front);
    private LastFront? _lastFront;

    // The front's answer (rescored); on the second design with these shared inputs, a search that records the front; else null.
    private MapperResult? FromFront(MapperInputs design, Mapper mapper, GemmProblem p, double computeCycles, out bool rescored)
    {
        rescored = false;
        MappingFront? front;
        var last = Volatile.Read(ref _lastFront);
        bool found = last is not null && last.ComputeCycles.Equals(computeCycles) && last.Problem == p && design.SharesWith(last.Shared);
        if (found) front = last!.Front;
        // a design whose shared inputs were not searched before has no front: its first search is a plain one (the
        // filter is asked first, so such a design never builds its shared key)
        else if (!SeenBefore(HashCode.Combine(design.SharedHashCode, p, computeCycles))) return null;
        else if (_fronts.TryGetValue((design.Shared, p, computeCycles), out front))
        {
            found = true;
            Volatile.Write(ref _lastFront, new LastFront(design.Shared, p, computeCycles, front));
        }
        if (found)
        {
            if (front?.Select(mapper) is not { } r) return null;
            Interlocked.Increment(ref _rescored);
            rescored = true;
            return r;
        }
        var key = (design.Shared, p, computeCycles);
        Interlocked.Increment(ref _misses);
        var result = MappingFront.Search(mapper, p, computeCycles, out front);
        if (Interlocked.Add(ref _frontCandidates, front?.Count ?? 0) > FrontBudget)
        {
            _fronts.Clear();
            Interlocked.Exchange(ref _frontCandidates, front?.Count ?? 0);
        }
        _fronts.TryAdd(key, front);
        return result;
    }
}

/// <summary>
/// The design-side inputs of the mapper (everything but the problem): options, PE throughput, array, accounting switches,
/// clock, memory levels, level costs, PE energies, leakage and always-on power. Fields of <see cref="ArchitectureSpec"/> and
/// <see cref="ArchCost"/> the mapper does not read are listed in <see cref="UnreadArchitecture"/> and
/// <see cref="UnreadCost"/>; a test checks that every field is in one list or the other.
/// </summary>
/// <remarks>
/// Built for every design point, so it copies nothing: it holds the design's level and cost lists (immutable records) and
/// hashes a few numbers of each; equality compares everything. The shared key (<see cref="Shared"/>) is the same inputs
/// compared without what a front re-scores (<see cref="RescoredDramLevel"/>, <see cref="RescoredDramCost"/>, the clock,
/// leakage and always-on power), so it too is built without copying, and <see cref="SharesWith"/> compares a design's
/// inputs with a shared key without building one.
/// </remarks>
internal sealed class MapperInputs : IEquatable<MapperInputs>
{
    /// <summary>Architecture fields the mapper keys on.</summary>
    public static readonly string[] KeyedArchitecture = { "ClockMhz", "Array", "Memory", "Switches", "PeCount" };

    /// <summary>Architecture fields the mapper never reads: names and costing inputs (their effect arrives through <see cref="ArchCost"/>); the PE through <see cref="PeThroughput"/> and the problem's operand bits.</summary>
    public static readonly string[] UnreadArchitecture = { "Name", "Target", "Technology", "Fpga", "Pe", "Overrides", "SourceFile", "Chip" };

    /// <summary>Cost fields the mapper keys on.</summary>
    public static readonly string[] KeyedCost = { "PeEnergyPerActiveCyclePj", "PeEnergyPerIdleCyclePj", "Levels", "LeakageMw", "AlwaysOnMw" };

    /// <summary>Cost fields the mapper never reads (area and the printed energy table).</summary>
    public static readonly string[] UnreadCost = { "AreaMm2", "EnergyTable", "AreaBreakdown", "PeAreaUm2", "PeLeakageMw" };

    /// <summary>Fields of the DRAM level a front re-scores: the shared key leaves them out and compares every other field.</summary>
    public static readonly string[] RescoredDramLevel = { "ReadBytesPerCycle", "WriteBytesPerCycle", "DramType" };

    /// <summary>Fields of the DRAM level's cost a front re-scores: the shared key compares only the level's name.</summary>
    public static readonly string[] RescoredDramCost = { "ReadEnergyPjPerWord", "WriteEnergyPjPerWord", "LeakageMw", "AreaMm2" };

    private readonly SimOptions _options;
    private readonly PeThroughput _pe;
    private readonly ArraySpec _array;
    private readonly SimSwitches _switches;
    private readonly double _clockMhz, _peActivePj, _peIdlePj, _leakageMw, _alwaysOnMw;
    private readonly IReadOnlyList<MemoryLevelSpec> _memory;
    private readonly IReadOnlyList<LevelCost> _levels;
    // a shared key: compared without the fields a front re-scores
    private readonly bool _isShared;
    private readonly int _hash;
    private MapperInputs? _shared;

    public MapperInputs(ArchitectureSpec arch, ArchCost cost, SimOptions options, PeThroughput pe)
    {
        // The mapper never reads the fusion switch (fusion re-prices a chosen mapping), so rows with fusion on and off share it.
        _options = options.Fusion ? options : options with { Fusion = true };
        _pe = pe; _array = arch.Array; _switches = arch.Switches; _clockMhz = arch.ClockMhz;
        _memory = arch.Memory; _levels = cost.Levels;
        _peActivePj = cost.PeEnergyPerActiveCyclePj; _peIdlePj = cost.PeEnergyPerIdleCyclePj; _leakageMw = cost.LeakageMw; _alwaysOnMw = cost.AlwaysOnMw;
        _hash = Hash(shared: false);
    }

    // The shared key of full inputs: the same lists, compared without what a front re-scores.
    private MapperInputs(MapperInputs full)
    {
        _options = full._options; _pe = full._pe; _array = full._array; _switches = full._switches;
        _memory = full._memory; _levels = full._levels; _peActivePj = full._peActivePj; _peIdlePj = full._peIdlePj;
        _isShared = true;
        _hash = Hash(shared: true);
    }

    // A few numbers of each input (equal inputs hash equal; equality compares the rest): the capacities, widths, buffering
    // and energies that tell designs apart, and for a full key the clock, bandwidths, leakage and always-on power. The
    // front filter (MappingCache._seen) tells shared keys apart by this hash alone.
    private int Hash(bool shared)
    {
        var h = new HashCode();
        h.Add(shared); h.Add(_options.Objective); h.Add(_pe); h.Add(_array.Rows); h.Add(_array.Cols); h.Add(_array.Dataflow);
        h.Add(_peActivePj); h.Add(_peIdlePj);
        for (int i = 0; i < _memory.Count; i++)
        {
            var m = _memory[i];
            h.Add(m.CapacityBytes); h.Add(m.WidthBits); h.Add(m.Holds); h.Add(m.DoubleBuffered);
            if (!shared || i != MemoryLevels.Dram) { h.Add(m.ReadBytesPerCycle); h.Add(_levels[i].ReadEnergyPjPerWord); h.Add(_levels[i].WriteEnergyPjPerWord); }
        }
        if (!shared) { h.Add(_clockMhz); h.Add(_leakageMw); h.Add(_alwaysOnMw); }
        return h.ToHashCode();
    }

    /// <summary>These inputs without the ones a <see cref="MappingFront"/> re-scores: designs equal here share a front.</summary>
    public MapperInputs Shared => _isShared ? this : _shared ??= new MapperInputs(this);

    /// <summary>The hash code of <see cref="Shared"/>, computed without building it.</summary>
    public int SharedHashCode => _isShared ? _hash : _shared?._hash ?? Hash(shared: true);

    /// <summary>True when these (full) inputs' <see cref="Shared"/> key would equal <paramref name="shared"/>, compared in place.</summary>
    public bool SharesWith(MapperInputs shared) => shared._isShared && !_isShared && SameShared(shared);

    public bool Equals(MapperInputs? o) => o is not null && (ReferenceEquals(this, o) ||
        _hash == o._hash && _isShared == o._isShared && SameShared(o) &&
        (_isShared || _clockMhz.Equals(o._clockMhz) && _leakageMw.Equals(o._leakageMw) && _alwaysOnMw.Equals(o._alwaysOnMw) &&
                      _memory[MemoryLevels.Dram] == o._memory[MemoryLevels.Dram] && _levels[MemoryLevels.Dram] == o._levels[MemoryLevels.Dram]));

    // Every input but the clock, leakage, always-on power and the DRAM level's re-scored fields.
    private bool SameShared(MapperInputs o)
    {
        if (_options != o._options || _pe != o._pe || _array != o._array || _switches != o._switches ||
            !_peActivePj.Equals(o._peActivePj) || !_peIdlePj.Equals(o._peIdlePj) ||
            _memory.Count != o._memory.Count || _levels.Count != o._levels.Count)
            return false;
        for (int i = 0; i < _memory.Count; i++)
        {
            if (i == MemoryLevels.Dram)
            {
                if (!SameDramLevel(_memory[i], o._memory[i]) || _levels[i].Name != o._levels[i].Name) return false;
            }
            else if (_memory[i] != o._memory[i]) return false;
        }
        for (int i = 0; i < _levels.Count; i++)
            if (i != MemoryLevels.Dram && _levels[i] != o._levels[i]) return false;
        return true;
    }

    // Every field of a DRAM level but those a front re-scores (RescoredDramLevel; a test checks the two lists cover the record).
    private static bool SameDramLevel(MemoryLevelSpec x, MemoryLevelSpec y) => ReferenceEquals(x, y) ||
        x.Name == y.Name && x.Kind == y.Kind && x.CapacityBytes == y.CapacityBytes && x.WidthBits == y.WidthBits &&
        x.Banks == y.Banks && x.Holds == y.Holds && x.DoubleBuffered == y.DoubleBuffered && x.PerPe == y.PerPe &&
        x.Cell == y.Cell && x.Mapping == y.Mapping && x.MayBypass == y.MayBypass;

    /// <summary>The fields of a DRAM level the shared key compares (for the test that they and <see cref="RescoredDramLevel"/> cover the record).</summary>
    public static readonly string[] ComparedDramLevel =
        { "Name", "Kind", "CapacityBytes", "WidthBits", "Banks", "Holds", "DoubleBuffered", "PerPe", "Cell", "Mapping", "MayBypass" };

    public override bool Equals(object? obj) => Equals(obj as MapperInputs);

    public override int GetHashCode() => _hash;
}
