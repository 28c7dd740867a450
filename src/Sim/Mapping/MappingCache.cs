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
    private readonly ConcurrentDictionary<(MapperInputs Shared, GemmProblem Problem, double ComputeCycles), byte> _seen = new();
    private readonly int _capacity;
    private long _hits, _misses, _rescored, _frontCandidates;
    // entries added since _map / _seen last started over: ConcurrentDictionary.Count takes every bucket lock, and on every
    // miss it was a most contended lock of a 2-job sweep (measured with contention events)
    private int _mapAdded, _seenAdded;

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
        bool rescored = false;
        var result = mapper.ScoresEveryCandidate ? FromFront(design.Shared, mapper, p, computeCycles, out rescored) : null;
        // A front's answer is not kept: re-scoring it again is cheap, and in a clock x bandwidth sweep no design repeats, so
        // keeping every re-scored design only grew the dictionary to its capacity and emptied it, over and over.
        if (rescored) return result!;
        if (result is null)
        {
            Interlocked.Increment(ref _misses);
            result = mapper.Map(p, computeCycles);
        }
        if (Interlocked.Increment(ref _mapAdded) > _capacity) { _map.Clear(); Volatile.Write(ref _mapAdded, 1); } // a hit and a fresh search agree, so dropping entries only costs time
        _map.TryAdd(key, result);
        return result;
    }

    // The front's answer (rescored); on the second design with these shared inputs, a search that records the front; else null.
    private MapperResult? FromFront(MapperInputs shared, Mapper mapper, GemmProblem p, double computeCycles, out bool rescored)
    {
        rescored = false;
        var key = (shared, p, computeCycles);
        if (_fronts.TryGetValue(key, out var front))
        {
            if (front?.Select(mapper) is not { } r) return null;
            Interlocked.Increment(ref _rescored);
            rescored = true;
            return r;
        }
        if (_seen.TryAdd(key, 0))
        {
            if (Interlocked.Increment(ref _seenAdded) >= _capacity) { _seen.Clear(); Volatile.Write(ref _seenAdded, 0); }
            return null;
        }
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

    private readonly SimOptions _options;
    private readonly PeThroughput _pe;
    private readonly ArraySpec _array;
    private readonly SimSwitches _switches;
    private readonly double _clockMhz, _peActivePj, _peIdlePj, _leakageMw, _alwaysOnMw;
    private readonly MemoryLevelSpec[] _memory;
    private readonly LevelCost[] _levels;
    private readonly int _hash;

    private readonly ArchitectureSpec? _arch;
    private readonly ArchCost? _cost;
    private MapperInputs? _shared;

    public MapperInputs(ArchitectureSpec arch, ArchCost cost, SimOptions options, PeThroughput pe) : this(arch, cost, options, pe, false) { }

    private MapperInputs(ArchitectureSpec arch, ArchCost cost, SimOptions options, PeThroughput pe, bool shared)
    {
        // The mapper never reads the fusion switch (fusion re-prices a chosen mapping), so rows with fusion on and off share it.
        _options = options with { Fusion = true }; _pe = pe; _array = arch.Array; _switches = arch.Switches; _clockMhz = arch.ClockMhz;
        _memory = arch.Memory.ToArray(); _levels = cost.Levels.ToArray();
        _peActivePj = cost.PeEnergyPerActiveCyclePj; _peIdlePj = cost.PeEnergyPerIdleCyclePj; _leakageMw = cost.LeakageMw; _alwaysOnMw = cost.AlwaysOnMw;
        if (shared)
        {
            // what a MappingFront re-scores: the clock, the DRAM's bandwidth, type and energies, leakage and always-on power
            _clockMhz = 0; _leakageMw = 0; _alwaysOnMw = 0;
            _memory[MemoryLevels.Dram] = _memory[MemoryLevels.Dram] with { ReadBytesPerCycle = 0, WriteBytesPerCycle = 0, DramType = null };
            _levels[MemoryLevels.Dram] = _levels[MemoryLevels.Dram] with { ReadEnergyPjPerWord = 0, WriteEnergyPjPerWord = 0, LeakageMw = 0, AreaMm2 = 0 };
        }
        else { _arch = arch; _cost = cost; }
        var h = new HashCode();
        h.Add(_options); h.Add(_pe); h.Add(_array); h.Add(_switches); h.Add(_clockMhz);
        h.Add(_peActivePj); h.Add(_peIdlePj); h.Add(_leakageMw); h.Add(_alwaysOnMw);
        foreach (var m in _memory) h.Add(m);
        foreach (var l in _levels) h.Add(l);
        _hash = h.ToHashCode();
    }

    /// <summary>These inputs without the ones a <see cref="MappingFront"/> re-scores: designs equal here share a front.</summary>
    public MapperInputs Shared => _shared ??= _arch is null ? this : new MapperInputs(_arch, _cost!, _options, _pe, true);

    public bool Equals(MapperInputs? o) => o is not null && (ReferenceEquals(this, o) ||
        _hash == o._hash && _options == o._options && _pe == o._pe && _array == o._array && _switches == o._switches &&
        _clockMhz.Equals(o._clockMhz) && _peActivePj.Equals(o._peActivePj) && _peIdlePj.Equals(o._peIdlePj) &&
        _leakageMw.Equals(o._leakageMw) && _alwaysOnMw.Equals(o._alwaysOnMw) && _memory.AsSpan().SequenceEqual(o._memory) && _levels.AsSpan().SequenceEqual(o._levels));

    public override bool Equals(object? obj) => Equals(obj as MapperInputs);

    public override int GetHashCode() => _hash;
}
