using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Search;

/// <summary>
/// The exact score of a complete mapping with one on-chip level and no per-PE level (the leaves of such a mapspace), by
/// the operations <see cref="TrafficModel.Accumulate"/>, <see cref="TrafficCost.Of"/>, the closed form and the energy model
/// make, in the same order, without their general walks over levels: the mapper scores most of its candidates here. What
/// the tile alone fixes (the closed form's tile terms, the crossings into the array of the operands that stream through
/// it) is computed once per tile; a tensor's visits that depend on the DRAM loop order are counted by
/// <see cref="Reuse.Factor"/> itself. Equal to the general score bit for bit (MapperFastPathTests compare them on whole
/// mapspaces). Allocates nothing; one per thread (<see cref="SearchScratch"/>).
/// </summary>
internal sealed class LeafScorer
{
    // per segment (Start)
    private LevelCost _dramCost = null!, _levelCost = null!;
    // the on-chip level's read and write bytes per cycle as TrafficCost.LevelCycles divides by them (× its copies)
    private double _levelRead, _levelWrite;
    private ArchView _view = null!;
    private GemmProblem _p;
    private LeafPricing _pricing;
    private int _level, _dramWidth, _levelWidth;
    private Tensor _stationary;
    // per tensor: held by the on-chip level, kept there by fusion (no DRAM crossing), its element count
    private readonly bool[] _held = new bool[3], _kept = new bool[3];
    private readonly long[] _elems = new long[3];

    // per tile: its closed-form terms; per tensor streamed through the array but not stationary, its crossing into the array
    private long _m = -1, _k, _n;
    private ClosedFormTile _tile;
    private readonly double[] _down2 = new double[3], _up2 = new double[3];

    /// <summary>
    /// True when the scorer applies to mappings of <paramref name="v"/>: one on-chip shared level and no per-PE level, so the
    /// memory levels are DRAM and that level.
    /// </summary>
    public static bool Applies(ArchView v) => v.Shared.Length == 2 && !v.HasPerPeLevels && v.Levels == 2;

    /// <summary>Sets the design, the mapspace (a view it <see cref="Applies"/> to), the problem and its cycles; forgets the tile.</summary>
    public void Start(ArchitectureSpec arch, ArchCost cost, ArchView v, in GemmProblem p, Dataflow dataflow, double computeCycles, double busyPeCycles)
    {
        _view = v; _p = p;
        _pricing.Start(arch, cost, computeCycles, busyPeCycles);
        _dramWidth = arch.Memory[MemoryLevels.Dram].WidthBits;
        _level = v.Shared[1];
        var level = arch.Memory[_level];
        _levelWidth = level.WidthBits;
        _dramCost = cost.Levels[MemoryLevels.Dram]; _levelCost = cost.Levels[_level];
        double copies = level.PerPe ? arch.PeCount : 1;
        _levelRead = level.ReadBytesPerCycle * copies; _levelWrite = level.WriteBytesPerCycle * copies;
        _stationary = ArchView.Stationary(dataflow);
        foreach (var x in PerTensor.All)
        {
            int i = (int)x;
            _held[i] = v.LevelHolds(_level, x);
            _kept[i] = (p.OnChip.Tensors & ArchView.SetOf(x)) != 0;
            _elems[i] = p.Elements(x);
        }
        _m = -1;
    }

    /// <summary>The score of <paramref name="map"/>, whose tile counts are <paramref name="counts"/>.</summary>
    public MappingScore Of(GemmMapping map, TileCounts counts)
    {
        Tile(map, counts);
        // the bits TrafficModel.Accumulate adds, per level and tensor, each cell summed from zero in its order
        PerTensor r0 = default, w0 = default, r1 = default, w1 = default;
        for (int i = 0; i < 3; i++)
        {
            var x = (Tensor)i;
            double down2, up2;
            if (x != _stationary) { down2 = _down2[i]; up2 = _up2[i]; }
            else (down2, up2) = TrafficModel.Crossing(_p, x, Reuse.Factor(map, counts, x, 2), _elems[i]);
            if (!_held[i])
            {
                // streamed from DRAM into the array
                r0[x] += down2;
                if (x == Tensor.Output) w0[x] += up2;
                continue;
            }
            if (!_kept[i])
            {
                var (down1, up1) = TrafficModel.Crossing(_p, x, Reuse.Factor(map, counts, x, 1), _elems[i]);
                r0[x] += down1;
                if (x == Tensor.Output) w0[x] += up1;
                w1[x] += down1;
                if (x == Tensor.Output) r1[x] += up1;
            }
            r1[x] += down2;
            if (x == Tensor.Output) w1[x] += up2;
        }
        // TrafficCost.Of over the two levels, DRAM first
        long rw0 = 0, ww0 = 0, rw1 = 0, ww1 = 0;
        foreach (var t in PerTensor.All)
        {
            rw0 += TrafficCost.Words(r0[t], _dramWidth); ww0 += TrafficCost.Words(w0[t], _dramWidth);
            rw1 += TrafficCost.Words(r1[t], _levelWidth); ww1 += TrafficCost.Words(w1[t], _levelWidth);
        }
        double pj = 0, inner = 0;
        pj += TrafficCost.LevelPj(_dramCost, rw0, ww0);
        pj += TrafficCost.LevelPj(_levelCost, rw1, ww1);
        inner = Math.Max(inner, TrafficCost.LevelCycles(r1.Sum / 8, w1.Sum / 8, _levelRead, _levelWrite));
        var memory = new MemoryCost(pj, inner, r0 * (1.0 / 8), w0 * (1.0 / 8));
        return _pricing.Score(_tile, memory);
    }

    // Makes map's on-chip tile the current one, unless it is already.
    private void Tile(GemmMapping map, TileCounts counts)
    {
        ref readonly var t = ref map.Tiles[1];
        if (t.M == _m && t.K == _k && t.N == _n) return;
        _m = t.M; _k = t.K; _n = t.N;
        _tile = new ClosedFormTile(_view, _p, map, counts);
        // into the array, an operand that is not stationary crosses once per fold along the dimension not indexing it
        foreach (var x in PerTensor.All)
        {
            if (x == _stationary) continue;
            (_down2[(int)x], _up2[(int)x]) = TrafficModel.Crossing(_p, x, counts.At(2, TensorDims.NotIndexing(x)), _elems[(int)x]);
        }
    }
}
