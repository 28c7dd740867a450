using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Search;

/// <summary>
/// The mappings of one GEMM that can win the search for SOME clock, DRAM bandwidth, DRAM energy per word, leakage and
/// always-on power (<see cref="MapperInputs.Shared"/>), so designs that differ only in those re-score this set instead of
/// searching again. Exact for mappers that score every candidate in one fixed order (<see cref="Mapper.ScoresEveryCandidate"/>):
/// the search returns the first candidate, in that order, that wins its passes (the latency pass, then the energy pass
/// within the tolerance; or EDP), because it replaces its incumbent only on a strictly better score.
/// <para>A candidate's score is a function of terms those parameters do not change: its busy cycles (compute or on-chip
/// bandwidth), DRAM read and write bytes, the first tile's load, the number of outer tiles, and the words moved at every
/// level; cycles and energy grow with each term (and fall with the tile count) for any positive bandwidth and clock and
/// non-negative energies, through additions, multiplications, divisions, <c>min</c> and <c>max</c> only, which keep that
/// order in floating point too. The terms that <see cref="TileTimeline.ClosedForm"/> subtracts (the last tile's write-back
/// with the DRAM write bytes; the streamed bytes of a single-buffered level) must be equal. A candidate is dropped when an
/// earlier one is no worse in every term: it scores no better under any parameters and loses every tie to the earlier
/// one, so the first winner of the whole order is always kept, and re-scoring the kept candidates with the same
/// functions the search uses (<see cref="TrafficCost.Of"/>, <see cref="TileTimeline.ClosedForm"/>,
/// <see cref="EnergyModel.TotalPj"/>) returns what a fresh search returns, bit for bit.</para>
/// </summary>
internal sealed class MappingFront
{
    private readonly Priced[] _kept;
    // each kept candidate's closed-form timing terms, side by side: every design's selection times every candidate, and
    // read from one array they cost no hop through the candidate object or copy of the DRAM's terms per candidate
    private readonly ClosedFormTerms[] _timing;
    private readonly int _evaluated;
    private MemoryEnergy? _memoryPj;

    // Every kept candidate's memory energy (Priced.MemoryPj) at one pair of DRAM energies per word (their bits), for the
    // last pair asked for: every design of a clock or bandwidth sweep has the same. Replaced whole, so threads never see a mix.
    // ByPj: the candidates' indices by increasing memory energy (ties in search order).
    private sealed record MemoryEnergy(long ReadPj, long WritePj, double[] Pj, int[] ByPj);

    private MappingFront(Candidate[] kept, Mapper mapper, in GemmProblem p, int evaluated)
    {
        _kept = new Priced[kept.Length];
        _timing = new ClosedFormTerms[kept.Length];
        for (int i = 0; i < kept.Length; i++)
        {
            _kept[i] = new Priced(kept[i], mapper, p);
            _timing[i] = _kept[i].Timing;
        }
        _evaluated = evaluated;
    }

    /// <summary>Candidates the front keeps (for tests and the cache's memory bound).</summary>
    public int Count => _kept.Length;

    /// <summary>Runs <paramref name="mapper"/>'s search on <paramref name="p"/>, recording its candidates into a front.</summary>
    public static MapperResult Search(Mapper mapper, GemmProblem p, double computeCycles, out MappingFront? front)
    {
        var recorder = new FrontRecorder();
        mapper.Recorder = recorder;
        MapperResult result;
        try { result = mapper.Map(p, computeCycles); }
        finally { mapper.Recorder = null; }
        front = mapper.ScoresEveryCandidate && recorder.Count > 0 ? new MappingFront(recorder.Prune(mapper), mapper, p, result.Evaluated) : null;
        return result;
    }

    /// <summary>
    /// What <paramref name="mapper"/>'s search returns (a design with the front's shared inputs), from the kept candidates;
    /// null when an energy or power is negative, where the order argument does not hold (the caller searches instead).
    /// </summary>
    public MapperResult? Select(Mapper mapper)
    {
        var arch = mapper.Arch;
        var cost = mapper.Cost;
        if (cost.PeEnergyPerActiveCyclePj < 0 || cost.PeEnergyPerIdleCyclePj < 0 || cost.LeakageMw + cost.AlwaysOnMw < 0) return null;
        foreach (var l in cost.Levels)
            if (l.ReadEnergyPjPerWord < 0 || l.WriteEnergyPjPerWord < 0) return null;
        var dram = new DramTerms(arch.Memory[MemoryLevels.Dram], cost.Levels[MemoryLevels.Dram]);
        var memory = MemoryPjAt(dram.Cost);
        int best = mapper.Options.Objective == MappingObjective.Latency
            ? FewestCycles(arch, cost, dram, memory, mapper.Options.ObjectiveTolerance)
            : Best(mapper, arch, cost, dram, memory.Pj);
        var c = _kept[best];
        var score = c.Score(arch, cost, dram, out var memoryCost);
        return new MapperResult(c.Mapping, c.Traffic(arch), memoryCost, score, _evaluated);
    }

    // The two passes of Mapper.Map over the search order, each replacing the incumbent only on a strictly better key: the
    // lowest primary key, then within the tolerance of it the lowest secondary one (Edp: the first pass alone).
    // (locals not zeroed: every element of the stack buffers is written before it is read)
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private int Best(Mapper mapper, ArchitectureSpec arch, ArchCost cost, DramTerms dram, double[] pj)
    {
        int n = _kept.Length;
        Span<double> primary = n <= 512 ? stackalloc double[n] : new double[n];
        Span<double> secondary = n <= 512 ? stackalloc double[n] : new double[n];
        double read = dram.ReadBytesPerCycle, write = dram.WriteBytesPerCycle;
        for (int i = 0; i < n; i++)
        {
            double cycles = _timing[i].Cycles(read, write);
            var (pk, sk) = mapper.Keys(new MappingScore(cycles, _kept[i].EnergyPj(arch, cost, pj[i], cycles)));
            primary[i] = pk; secondary[i] = sk;
        }
        double bestPrimary = double.PositiveInfinity, bestSecondary = double.PositiveInfinity;
        int best = -1;
        for (int i = 0; i < n; i++)
            if (primary[i] < bestPrimary) { bestPrimary = primary[i]; bestSecondary = secondary[i]; best = i; }
        if (mapper.Options.Objective != MappingObjective.Edp)
        {
            double limit = bestPrimary * (1 + mapper.Options.ObjectiveTolerance);
            for (int i = 0; i < n; i++)
                if (primary[i] <= limit && secondary[i] < bestSecondary) { bestSecondary = secondary[i]; best = i; }
        }
        return best;
    }

    // Best under the latency objective, whose keys are (cycles, energy) (Mapper.Keys): the same two passes. The second
    // replaces the incumbent (the first candidate with the fewest cycles) with the first candidate, in search order, of
    // strictly less energy among those within the tolerance of the fewest cycles; so it ends on the incumbent if none has
    // less energy, else on the first of least energy. Energy grows with the memory energy and with the cycles (Select
    // refuses negative energies), so no candidate has less than its energy at the fewest cycles: visited by increasing
    // memory energy, the candidates stop mattering once that bound exceeds the least energy found.
    // (locals not zeroed: every element of the stack buffer is written before it is read)
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private int FewestCycles(ArchitectureSpec arch, ArchCost cost, DramTerms dram, MemoryEnergy memory, double tolerance)
    {
        int n = _kept.Length;
        Span<double> cycles = n <= 512 ? stackalloc double[n] : new double[n];
        double fewest = double.PositiveInfinity;
        int incumbent = -1;
        double read = dram.ReadBytesPerCycle, write = dram.WriteBytesPerCycle;
        var timing = _timing;
        for (int i = 0; i < n; i++)
        {
            cycles[i] = timing[i].Cycles(read, write);
            if (cycles[i] < fewest) { fewest = cycles[i]; incumbent = i; }
        }
        double limit = fewest * (1 + tolerance);
        var pj = memory.Pj;
        double least = _kept[incumbent].EnergyPj(arch, cost, pj[incumbent], cycles[incumbent]);
        int best = incumbent;
        foreach (int i in memory.ByPj)
        {
            if (!(cycles[i] <= limit) || i == incumbent) continue;
            double bound = _kept[i].EnergyPj(arch, cost, pj[i], fewest);
            if (bound > least) break; // and so is every later candidate's
            double e = cycles[i] == fewest ? bound : _kept[i].EnergyPj(arch, cost, pj[i], cycles[i]);
            if (e < least || e == least && best != incumbent && i < best) { least = e; best = i; }
        }
        return best;
    }

    // The kept candidates' memory energies at these DRAM energies per word: computed once per pair of energies.
    private MemoryEnergy MemoryPjAt(LevelCost dram)
    {
        long read = BitConverter.DoubleToInt64Bits(dram.ReadEnergyPjPerWord), write = BitConverter.DoubleToInt64Bits(dram.WriteEnergyPjPerWord);
        var last = Volatile.Read(ref _memoryPj);
        if (last is not null && last.ReadPj == read && last.WritePj == write) return last;
        var pj = new double[_kept.Length];
        var byPj = new int[pj.Length];
        for (int i = 0; i < pj.Length; i++) { pj[i] = _kept[i].MemoryPj(dram); byPj[i] = i; }
        Array.Sort(byPj, (a, b) => pj[a] != pj[b] ? pj[a].CompareTo(pj[b]) : a.CompareTo(b));
        var energy = new MemoryEnergy(read, write, pj, byPj);
        Volatile.Write(ref _memoryPj, energy);
        return energy;
    }

    // What a design's DRAM changes in a score: its read and write bandwidths and energies per word.
    private readonly record struct DramTerms(double ReadBytesPerCycle, double WriteBytesPerCycle, LevelCost Cost)
    {
        public DramTerms(MemoryLevelSpec spec, LevelCost cost) : this(spec.ReadBytesPerCycle, spec.WriteBytesPerCycle, cost) { }
    }

    /// <summary>
    /// A kept candidate with the parts of its score that no shared input changes, computed once: the words it moves at
    /// DRAM, the energy of every on-chip level, the on-chip bandwidth time, the DRAM bytes and the closed form's terms.
    /// <see cref="Score"/> is <see cref="Mapper"/>'s score (<see cref="TrafficCost.Of"/>, <see cref="TileTimeline.ClosedForm"/>,
    /// <see cref="EnergyModel.TotalPj"/>) with the same operations in the same order.
    /// </summary>
    private sealed class Priced
    {
        public readonly GemmMapping Mapping;
        private readonly TrafficBits _bits;
        private readonly double _busyPeCycles, _innerCycles;
        private readonly long _dramReadWords, _dramWriteWords;
        private readonly double[] _onChipPj;
        private readonly PerTensor _dramReadBytes, _dramWriteBytes;
        private readonly ClosedFormTerms _timing;
        private LevelTraffic[]? _traffic;

        public Priced(Candidate c, Mapper mapper, in GemmProblem p)
        {
            var arch = mapper.Arch;
            Mapping = c.Mapping; _bits = c.Bits; _busyPeCycles = c.BusyPeCycles;
            var memory = TrafficCost.Of(arch, mapper.Cost, c.Bits);
            (_dramReadWords, _dramWriteWords) = TrafficCost.LevelWords(arch, c.Bits, MemoryLevels.Dram);
            _onChipPj = new double[c.Bits.Levels - 1];
            for (int l = 1; l < c.Bits.Levels; l++)
            {
                var (rw, ww) = TrafficCost.LevelWords(arch, c.Bits, l);
                _onChipPj[l - 1] = TrafficCost.LevelPj(mapper.Cost.Levels[l], rw, ww);
            }
            _innerCycles = memory.InnerCycles; _dramReadBytes = memory.DramReadBytes; _dramWriteBytes = memory.DramWriteBytes;
            _timing = new ClosedFormTerms(mapper.View, p, c.Mapping, c.ComputeCycles, memory, c.Counts);
        }

        public MappingScore Score(ArchitectureSpec arch, ArchCost cost, DramTerms dram, out MemoryCost memory)
        {
            double pj = MemoryPj(dram.Cost);
            memory = new MemoryCost(pj, _innerCycles, _dramReadBytes, _dramWriteBytes);
            double cycles = Cycles(dram);
            return new MappingScore(cycles, EnergyPj(arch, cost, pj, cycles));
        }

        /// <summary>The energy of the words it moves at every level (the score's memory energy), DRAM priced at <paramref name="dram"/>.</summary>
        public double MemoryPj(LevelCost dram)
        {
            double pj = 0; // summed level by level from DRAM, as TrafficCost.Of sums
            pj += TrafficCost.LevelPj(dram, _dramReadWords, _dramWriteWords);
            foreach (double levelPj in _onChipPj) pj += levelPj;
            return pj;
        }

        /// <summary>The score's cycles at the DRAM's bandwidths.</summary>
        public double Cycles(DramTerms dram) => _timing.Cycles(dram.ReadBytesPerCycle, dram.WriteBytesPerCycle);

        /// <summary>The closed form's terms (<see cref="Cycles"/> prices them).</summary>
        public ClosedFormTerms Timing => _timing;

        /// <summary>The score's energy, from its memory energy <paramref name="memoryPj"/> (<see cref="MemoryPj"/>) and <paramref name="cycles"/>.</summary>
        public double EnergyPj(ArchitectureSpec arch, ArchCost cost, double memoryPj, double cycles) =>
            EnergyModel.TotalPj(arch, cost, memoryPj, _busyPeCycles, cycles);

        // the per-level report depends on level names and widths only (shared inputs): built once, shared by the results
        public LevelTraffic[] Traffic(ArchitectureSpec arch) => _traffic ??= TrafficCost.ToLevelTraffic(arch, _bits);
    }

    /// <summary>One scored mapping: what it moves (bits per level and tensor), its tile counts and compute cycles.</summary>
    internal sealed record Candidate(GemmMapping Mapping, TrafficBits Bits, TileCounts Counts, double ComputeCycles, double BusyPeCycles);
}

/// <summary>Collects the candidates a search scores, in its order (<see cref="Mapper.Recorder"/>).</summary>
internal sealed class FrontRecorder
{
    private readonly List<MappingFront.Candidate> _all = new();

    public int Count => _all.Count;

    public void Add(GemmMapping map, TrafficBits bits, double computeCycles, double busyPeCycles)
    {
        var mapping = map with { Levels = map.Levels.ToArray() };
        var copy = new TrafficBits(bits.Levels);
        for (int l = 0; l < bits.Levels; l++) { copy.Reads(l) = bits.Reads(l); copy.Writes(l) = bits.Writes(l); }
        _all.Add(new MappingFront.Candidate(mapping, copy, null!, computeCycles, busyPeCycles));
    }

    /// <summary>The candidates no earlier candidate is at least as good as in every term of the score (see <see cref="MappingFront"/>).</summary>
    public MappingFront.Candidate[] Prune(Mapper mapper)
    {
        var arch = mapper.Arch;
        var view = mapper.View;
        bool doubleBuffered = arch.Memory[view.Shared[1]].DoubleBuffered;
        var kept = new List<(MappingFront.Candidate C, double[] Le, double[] Eq)>();
        foreach (var c in _all)
        {
            var (le, eq, counts) = Terms(mapper, c, doubleBuffered);
            bool dominated = false;
            foreach (var k in kept)
                if (NoWorse(k.Le, k.Eq, le, eq)) { dominated = true; break; }
            if (!dominated) kept.Add((c with { Counts = counts }, le, eq));
        }
        return kept.Select(k => k.C).ToArray();
    }

    private static bool NoWorse(double[] aLe, double[] aEq, double[] bLe, double[] bEq)
    {
        for (int i = 0; i < aEq.Length; i++) if (!aEq[i].Equals(bEq[i])) return false;
        for (int i = 0; i < aLe.Length; i++) if (aLe[i] > bLe[i]) return false;
        return true;
    }

    // The terms of a candidate's score that no shared input changes: Le must be no larger in a dominating candidate, Eq equal.
    private static (double[] Le, double[] Eq, TileCounts Counts) Terms(Mapper mapper, MappingFront.Candidate c, bool doubleBuffered)
    {
        var arch = mapper.Arch;
        var p = mapper.Problem;
        var counts = TileCounts.Of(p, c.Mapping);
        var memory = TrafficCost.Of(arch, mapper.Cost, c.Bits);
        var le = new List<double>
        {
            Math.Max(c.ComputeCycles, memory.InnerCycles), memory.DramReadTotal, memory.DramWriteTotal,
            TileTimeline.TileBits(p, c.Mapping, Tensor.Left) + TileTimeline.TileBits(p, c.Mapping, Tensor.Right),
            -(double)counts.OuterTiles,
        };
        for (int l = 0; l < c.Bits.Levels; l++)
        {
            int width = arch.Memory[l].WidthBits;
            long rw = 0, ww = 0;
            foreach (var t in PerTensor.All) { rw += TrafficCost.Words(c.Bits.Reads(l)[t], width); ww += TrafficCost.Words(c.Bits.Writes(l)[t], width); }
            le.Add(rw); le.Add(ww);
        }
        var eq = new List<double> { c.BusyPeCycles };
        if (doubleBuffered) { eq.Add(memory.DramWriteTotal); eq.Add(TileTimeline.TileBits(p, c.Mapping, Tensor.Output, p.OutputBits)); }
        else
            foreach (var t in PerTensor.All)
                if (mapper.View.Streamed(t)) { eq.Add(memory.DramReadBytes[t]); eq.Add(memory.DramWriteBytes[t]); }
        return (le.ToArray(), eq.ToArray(), counts);
    }
}
