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
        if (_map.Count >= _capacity) _map.Clear(); // a hit and a fresh search agree, so dropping entries only costs time
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
            if (_seen.Count >= _capacity) _seen.Clear();
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
    // the design's own lists, not copies: ArchitectureSpec and ArchCost are immutable records whose lists are built once
    // by the loader and the cost model and never changed after
    private readonly IReadOnlyList<MemoryLevelSpec> _memory;
    private readonly IReadOnlyList<LevelCost> _levels;
    // the DRAM level without what a MappingFront re-scores (bandwidth, type, energies, leakage, area): record equality
    // keeps every other field of the level in the shared key, fields added later included
    private readonly MemoryLevelSpec _sharedDram;
    private readonly LevelCost _sharedDramCost;
    private readonly int _hash, _sharedHash;
    // true for the shared key (Shared), which leaves the clock and the DRAM's re-scored fields out of its comparison
    private readonly bool _isShared;
    private MapperInputs? _shared;

    public MapperInputs(ArchitectureSpec arch, ArchCost cost, SimOptions options, PeThroughput pe)
    {
        // The mapper never reads the fusion switch (fusion re-prices a chosen mapping), so rows with fusion on and off share it.
        _options = options.Fusion ? options : options with { Fusion = true }; _pe = pe; _array = arch.Array; _switches = arch.Switches;
        _clockMhz = arch.ClockMhz; _memory = arch.Memory; _levels = cost.Levels;
        _peActivePj = cost.PeEnergyPerActiveCyclePj; _peIdlePj = cost.PeEnergyPerIdleCyclePj; _leakageMw = cost.LeakageMw; _alwaysOnMw = cost.AlwaysOnMw;
        var dram = _memory[MemoryLevels.Dram];
        var dramCost = _levels[MemoryLevels.Dram];
        _sharedDram = dram with { ReadBytesPerCycle = 0, WriteBytesPerCycle = 0, DramType = null };
        _sharedDramCost = dramCost with { ReadEnergyPjPerWord = 0, WriteEnergyPjPerWord = 0, LeakageMw = 0, AreaMm2 = 0 };
        var h = new HashCode();
        h.Add(_options); h.Add(_pe); h.Add(_array); h.Add(_switches); h.Add(_peActivePj); h.Add(_peIdlePj);
        h.Add(_memory.Count); h.Add(_sharedDram); h.Add(_sharedDramCost);
        for (int i = 0; i < _memory.Count; i++)
            if (i != MemoryLevels.Dram) h.Add(_memory[i]);
        for (int i = 0; i < _levels.Count; i++)
            if (i != MemoryLevels.Dram) h.Add(_levels[i]);
        _sharedHash = h.ToHashCode();
        // the full key adds exactly what the shared key leaves out
        _hash = HashCode.Combine(_sharedHash, _clockMhz, _leakageMw, _alwaysOnMw, dram.ReadBytesPerCycle, dram.WriteBytesPerCycle, dram.DramType,
            HashCode.Combine(dramCost.ReadEnergyPjPerWord, dramCost.WriteEnergyPjPerWord, dramCost.LeakageMw, dramCost.AreaMm2));
    }

    // Shares this design's fields (no copies) and compares them as the shared key.
    private MapperInputs(MapperInputs full)
    {
        _options = full._options; _pe = full._pe; _array = full._array; _switches = full._switches; _peActivePj = full._peActivePj; _peIdlePj = full._peIdlePj;
        _memory = full._memory; _levels = full._levels; _sharedDram = full._sharedDram; _sharedDramCost = full._sharedDramCost;
        _hash = _sharedHash = full._sharedHash; _isShared = true; _shared = this;
    }

    /// <summary>These inputs without the ones a <see cref="MappingFront"/> re-scores: designs equal here share a front.</summary>
    // One class for both keys keeps the cache's dictionaries on one generic instantiation (a struct key would JIT another).
    public MapperInputs Shared => _shared ??= new MapperInputs(this);

    private bool SharedEquals(MapperInputs o) =>
        _sharedHash == o._sharedHash && _options == o._options && _pe == o._pe && _array == o._array && _switches == o._switches &&
        _peActivePj.Equals(o._peActivePj) && _peIdlePj.Equals(o._peIdlePj) && _sharedDram == o._sharedDram && _sharedDramCost == o._sharedDramCost &&
        SameBeyondDram(_memory, o._memory) && SameBeyondDram(_levels, o._levels);

    public bool Equals(MapperInputs? o) => o is not null && (ReferenceEquals(this, o) || _isShared == o._isShared && _hash == o._hash && (_isShared ||
        _clockMhz.Equals(o._clockMhz) && _leakageMw.Equals(o._leakageMw) && _alwaysOnMw.Equals(o._alwaysOnMw) &&
        _memory[MemoryLevels.Dram] == o._memory[MemoryLevels.Dram] && _levels[MemoryLevels.Dram] == o._levels[MemoryLevels.Dram]) && SharedEquals(o));

    public override bool Equals(object? obj) => Equals(obj as MapperInputs);

    public override int GetHashCode() => _hash;

    // Every level but the DRAM compared by record equality (the DRAM is compared by the callers).
    private static bool SameBeyondDram<T>(IReadOnlyList<T> a, IReadOnlyList<T> b) where T : class, IEquatable<T>
    {
        if (ReferenceEquals(a, b)) return true;
        if (a.Count != b.Count) return false;
        for (int i = 0; i < a.Count; i++)
            if (i != MemoryLevels.Dram && !a[i].Equals(b[i])) return false;
        return true;
    }
}
