using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Search;

/// <summary>
/// The order class bound of <see cref="Mapper"/> (one on-chip level): a leaf's keys with its DRAM traffic counted exactly
/// and no other (the score without the on-chip levels' energy and bandwidth time), by the operations of
/// <see cref="TrafficModel.AccumulateDram"/>, <see cref="TrafficCost"/> and the closed form, so it equals
/// <see cref="Mapper"/>'s reference bound bit for bit (tests compare the two on whole mapspaces). What a tile fixes is
/// computed once per tile (<see cref="Tile"/>): the tile count, the first and last tile's bytes, and the visits each operand
/// makes when the DRAM loop order's innermost loop of more than one trip indexes it. An operand the first on-chip level
/// holds crosses out of DRAM once per trip of the loop over the dimension that does not index it when that innermost loop
/// indexes it, and once otherwise (<see cref="Reuse.Factor"/> at depth 1); one streamed into the array crosses once per
/// fold along that dimension; only the array's stationary operand, bypassing the level, takes the general count.
/// Allocates nothing; one per thread (<see cref="SearchScratch"/>).
/// </summary>
internal sealed class ClassBounds
{
    // per segment (Start)
    private LevelCost _dramCost = null!;
    private int _width;
    private ArchView _view = null!;
    private GemmProblem _p;
    private LeafPricing _pricing;
    // per tensor: 0 skipped (kept on chip), 1 held by the first on-chip level, 2 streamed into the array, 3 the array's stationary operand
    private readonly int[] _mode = new int[3];
    private readonly long[] _elems = new long[3];

    // per tile (Tile)
    private long _m = -1, _k, _n;
    private ClosedFormTile _tile;
    private readonly long[] _visits = new long[3];

    /// <summary>Sets the design, the mapspace (its view has one on-chip level), the problem and its cycles; forgets the tile.</summary>
    public void Start(ArchitectureSpec arch, ArchCost cost, ArchView v, in GemmProblem p, Dataflow dataflow, double computeCycles, double busyPeCycles)
    {
        _dramCost = cost.Levels[MemoryLevels.Dram];
        _width = arch.Memory[MemoryLevels.Dram].WidthBits;
        _view = v; _p = p;
        _pricing.Start(arch, cost, computeCycles, busyPeCycles);
        _m = -1;
        var stationary = ArchView.Stationary(dataflow);
        foreach (var x in PerTensor.All)
        {
            bool held = v.LevelHolds(v.Shared[1], x);
            // as AccumulateDram: an operand kept on chip has no DRAM crossing; one the level does not hold goes to the array
            _mode[(int)x] = held ? ((p.OnChip.Tensors & ArchView.SetOf(x)) != 0 ? 0 : 1) : x != stationary ? 2 : 3;
            _elems[(int)x] = p.Elements(x);
        }
    }

    /// <summary>Makes <paramref name="map"/>'s first on-chip tile the current one (its counts in <paramref name="counts"/>), unless it is already.</summary>
    public void Tile(GemmMapping map, TileCounts counts)
    {
        ref readonly var t = ref map.Tiles[1];
        if (t.M == _m && t.K == _k && t.N == _n) return;
        _m = t.M; _k = t.K; _n = t.N;
        _tile = new ClosedFormTile(_view, _p, map, counts);
        foreach (var x in PerTensor.All)
        {
            var other = TensorDims.NotIndexing(x);
            _visits[(int)x] = _mode[(int)x] switch { 1 => counts.At(1, other), 2 => counts.At(2, other), _ => 0 };
        }
        _ready = 0;
    }

    // Fills variant v (2 × tensor + 1 when the class's loop indexes it) of tensor x: its bits and words, computed once per
    // tile for every class that needs them.
    private void Variant(Tensor x, int v)
    {
        int i = (int)x;
        long f = _mode[i] == 1 && (v & 1) == 0 ? 1 : _visits[i];
        var (down, up) = TrafficModel.Crossing(_p, x, f, _elems[i]);
        // as Of's sums from zero: 0 + down, so a negative zero reads as it did when Of summed it
        double r = 0, w = 0;
        r += down;
        if (x == Tensor.Output) w += up;
        _down[v] = r; _up[v] = w;
        _downWords[v] = TrafficCost.Words(r, _width);
        _upWords[v] = TrafficCost.Words(w, _width);
        _ready |= 1 << v;
    }

    // bit v: variant v of the current tile is filled (Variant)
    private int _ready;

    // per tensor and visit count (2 × tensor + 1 when the class's loop indexes it): DRAM read and written bits, and their words
    private readonly double[] _down = new double[6], _up = new double[6];
    private readonly long[] _downWords = new long[6], _upWords = new long[6];

    /// <summary>
    /// The bound of the leaf in <paramref name="map"/> (its tile made current by <see cref="Tile"/>), whose DRAM loop order is
    /// of order class <paramref name="cls"/> (<see cref="Mapper.OrderClass"/>): cycles and energy.
    /// </summary>
    public MappingScore Of(int cls, GemmMapping map, TileCounts counts)
    {
        PerTensor reads = default, writes = default;
        long rw = 0, ww = 0;
        for (int i = 0; i < 3; i++)
        {
            var x = (Tensor)i;
            int mode = _mode[i];
            if (mode == 0) continue;
            if (mode == 3)
            {
                // the array's stationary operand bypassing the level: the general visit count
                var (down, up) = TrafficModel.Crossing(_p, x, Reuse.Factor(map, counts, x, 2), _elems[i]);
                reads[x] += down;
                if (x == Tensor.Output) writes[x] += up;
                rw += TrafficCost.Words(reads[x], _width); ww += TrafficCost.Words(writes[x], _width);
                continue;
            }
            int v = 2 * i + (cls != 0 && TensorDims.Indexes(x, (Dim)(cls - 1)) ? 1 : 0);
            if ((_ready >> v & 1) == 0) Variant(x, v);
            reads[x] = _down[v]; writes[x] = _up[v];
            rw += _downWords[v]; ww += _upWords[v];
        }
        var memory = new MemoryCost(TrafficCost.LevelPj(_dramCost, rw, ww), 0, reads * (1.0 / 8), writes * (1.0 / 8));
        return _pricing.Score(_tile, memory);
    }
}
