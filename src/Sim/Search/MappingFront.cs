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
    private readonly Candidate[] _kept;
    private readonly GemmProblem _p;
    private readonly int _evaluated;

    private MappingFront(Candidate[] kept, GemmProblem p, int evaluated) { _kept = kept; _p = p; _evaluated = evaluated; }

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
        front = mapper.ScoresEveryCandidate && recorder.Count > 0 ? new MappingFront(recorder.Prune(mapper), p, result.Evaluated) : null;
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
        int n = _kept.Length;
        Span<double> primary = n <= 512 ? stackalloc double[n] : new double[n];
        Span<double> secondary = n <= 512 ? stackalloc double[n] : new double[n];
        for (int i = 0; i < n; i++)
        {
            var (pk, sk) = mapper.Keys(Score(mapper, _kept[i], out _));
            primary[i] = pk; secondary[i] = sk;
        }
        // the two passes of Mapper.Map over the search order: replace the incumbent only on a strictly better key
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
        var c = _kept[best];
        var score = Score(mapper, c, out var memory);
        return new MapperResult(c.Mapping, TrafficCost.ToLevelTraffic(arch, c.Bits), memory, score, _evaluated);
    }

    // Mapper.Score on a recorded candidate, under the mapper's design
    private MappingScore Score(Mapper mapper, Candidate c, out MemoryCost memory)
    {
        memory = TrafficCost.Of(mapper.Arch, mapper.Cost, c.Bits);
        double cycles = TileTimeline.ClosedForm(mapper.View, _p, c.Mapping, c.ComputeCycles, memory, c.Counts);
        return new MappingScore(cycles, EnergyModel.TotalPj(mapper.Arch, mapper.Cost, memory.MemoryPj, c.BusyPeCycles, cycles));
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
