using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Search;

/// <summary>
/// A lower bound on the score of every leaf candidate of one tile of the first on-chip level, whatever its loop orders
/// and deeper tiles, from what is known before its traffic is evaluated: the compute cycles, the compulsory DRAM traffic
/// (each operand read once, the output written once at its width; nothing for an operand layer fusion keeps on chip) and
/// the first tile's load and the last tile's write-back. The mapper skips a candidate whose bound its incumbent already
/// beats (<see cref="Mapper"/>), so the bound must never exceed the score the mapper computes, in floating point too:
/// <list type="bullet">
/// <item>cycles (<see cref="ClosedFormTerms"/>): double-buffered, max(busy + first, rd + wr − last + busy/tiles) + last,
/// which is at least (compute + first) + last, computed by the same rounded operations on inputs no larger (rounding
/// is monotone), and at least rd + wr + compute/tiles in real numbers; single-buffered, max(busy, stream) + rd + wr − stream,
/// at least max(compute, rd + wr). The terms that subtract are taken <see cref="Slack"/> lower, far more than the few
/// units in the last place their rounding can lose;</item>
/// <item>energy (<see cref="EnergyModel.TotalPj"/>): the compulsory DRAM words' energy (every level's energy is
/// non-negative, so the sum over levels is at least the DRAM's) with the cycle bound, through the same monotone operations.</item>
/// </list>
/// Valid only when every energy and power is non-negative (<see cref="Usable"/>); with negative ones the mapper scores every candidate.
/// </summary>
internal sealed class LeafBound
{
    /// <summary>Relative margin taken off bounds whose closed form subtracts a term (rounding there loses at most a few units in 2^-52).</summary>
    public const double Slack = 1e-9;

    private readonly ArchitectureSpec _arch;
    private readonly ArchCost _cost;
    private readonly double _rbw, _wbw;
    private readonly bool _doubleBuffered;
    private GemmProblem _p;
    private double _compute, _busyPeCycles, _rd, _wr, _dramPj;

    public LeafBound(ArchitectureSpec arch, ArchCost cost, ArchView view)
    {
        _arch = arch; _cost = cost;
        var dram = arch.Memory[MemoryLevels.Dram];
        _rbw = dram.ReadBytesPerCycle; _wbw = dram.WriteBytesPerCycle;
        _doubleBuffered = view.Shared.Length >= 2 && arch.Memory[view.Shared[1]].DoubleBuffered;
        Usable = NonNegative(cost);
    }

    /// <summary>Every energy and power is non-negative, so that energy grows with traffic and cycles: the bound holds.</summary>
    public bool Usable { get; }

    private static bool NonNegative(ArchCost cost)
    {
        if (cost.PeEnergyPerActiveCyclePj < 0 || cost.PeEnergyPerIdleCyclePj < 0 || cost.LeakageMw + cost.AlwaysOnMw < 0) return false;
        foreach (var l in cost.Levels)
            if (l.ReadEnergyPjPerWord < 0 || l.WriteEnergyPjPerWord < 0) return false;
        return true;
    }

    /// <summary>Sets the problem and its compute cycles; the compulsory DRAM traffic is computed here, once per search segment.</summary>
    public void Start(in GemmProblem p, double computeCycles, double busyPeCycles)
    {
        _p = p; _compute = computeCycles; _busyPeCycles = busyPeCycles;
        // the DRAM crossing of TrafficModel.Accumulate with one visit per element (the fewest any mapping makes)
        PerTensor reads = default, writes = default;
        foreach (var x in PerTensor.All)
        {
            if ((p.OnChip.Tensors & ArchView.SetOf(x)) != 0) continue; // fusion keeps it on chip: no DRAM crossing
            long elems = p.Elements(x);
            if (x != Tensor.Output) reads[x] = (double)elems * p.Bits(x, false);
            else writes[x] = elems * p.OutputBits;
        }
        _rd = (reads * (1.0 / 8)).Sum / _rbw;
        _wr = (writes * (1.0 / 8)).Sum / _wbw;
        int width = _arch.Memory[MemoryLevels.Dram].WidthBits;
        long rw = 0, ww = 0;
        foreach (var t in PerTensor.All) { rw += TrafficCost.Words(reads[t], width); ww += TrafficCost.Words(writes[t], width); }
        _dramPj = TrafficCost.LevelPj(_cost.Levels[MemoryLevels.Dram], rw, ww);
    }

    /// <summary>The bound for every candidate whose first on-chip level holds an <paramref name="m"/>×<paramref name="k"/>×<paramref name="n"/> tile.</summary>
    public MappingScore Of(long m, long k, long n)
    {
        double cycles;
        if (_doubleBuffered)
        {
            double firstBytes = (TileTimeline.TileBits(_p, m, k, n, Tensor.Left) + TileTimeline.TileBits(_p, m, k, n, Tensor.Right)) / 8;
            double lastBytes = TileTimeline.TileBits(_p, m, k, n, Tensor.Output, _p.OutputBits) / 8;
            double first = Math.Min(firstBytes / _rbw, _rd), last = Math.Min(lastBytes / _wbw, _wr);
            long tiles = Ceil(_p.M, m) * Ceil(_p.K, k) * Ceil(_p.N, n);
            cycles = Math.Max(_compute + first + last, (_rd + _wr + _compute / tiles) * (1 - Slack));
        }
        else cycles = Math.Max(_compute, _rd + _wr) * (1 - Slack);
        return new MappingScore(cycles, EnergyModel.TotalPj(_arch, _cost, _dramPj, _busyPeCycles, cycles));
    }

    private static long Ceil(long a, long b) => (a + b - 1) / b;
}
