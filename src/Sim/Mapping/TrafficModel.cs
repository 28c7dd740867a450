using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// Exact per-level, per-tensor access counts of a GEMM mapping. Each tensor moves between consecutive levels
/// that hold it (DRAM holds all); the array consumes from the innermost holder. Inputs: the parent is read and the
/// child written once per visit. Outputs: every visit writes the parent, and every visit after the first reads the
/// partial sum back; all but the last update of an element travel at accumulator width. The array keeps only its
/// dataflow's stationary tensor between folds (weights for ws, outputs for os, inputs for is): the other two cross
/// into it once per fold along every dimension that does not index them, wherever the outer loops sit (SCALE-Sim's
/// counts: os ifmap M·K·⌈N/C⌉ and filter K·N·⌈M/R⌉, ws/is partial sums M·N·⌈K/R⌉).
/// </summary>
public static class TrafficModel
{
    private static readonly Dim[] AllDims = { Dim.M, Dim.K, Dim.N };

    /// <summary>Traffic of one batch entry, indexed like <c>arch.Memory</c>.</summary>
    public static LevelTraffic[] Compute(ArchitectureSpec arch, GemmProblem p, GemmMapping map)
    {
        var v = new ArchView(arch, map.Bypass);
        var bits = new TrafficBits(v.Levels);
        Accumulate(v, p, map, TileCounts.Scratch(p, map), bits);
        return TrafficCost.ToLevelTraffic(arch, bits);
    }

    /// <summary>Traffic of one batch entry when the tensors in <paramref name="resident"/> already sit whole in their first on-chip level (layer fusion).</summary>
    public static TrafficBits Compute(ArchitectureSpec arch, GemmProblem p, GemmMapping map, TensorSet resident) =>
        Compute(new ArchView(arch, map.Bypass), p, map, resident);

    internal static TrafficBits Compute(ArchView v, GemmProblem p, GemmMapping map, TensorSet resident)
    {
        var bits = new TrafficBits(v.Levels);
        Accumulate(v, p, map, TileCounts.Scratch(p, map), bits, resident: resident);
        return bits;
    }

    /// <summary>
    /// Adds the bits read and written at each level, per tensor, for one batch entry. With <paramref name="knownDepth"/>
    /// below the array's depth only the loops above that depth are taken as fixed: every deeper crossing is counted with
    /// the visits those loops force (a lower bound for any choice of the deeper tiles and orders).
    /// A tensor in <paramref name="resident"/> is held whole in its first on-chip level by layer fusion (its producer
    /// left it there or its consumer takes it from there): it never crosses between DRAM and that level, so that
    /// crossing is skipped; the crossings inside the chip are counted as usual.
    /// </summary>
    internal static void Accumulate(ArchView v, in GemmProblem p, GemmMapping map, TileCounts counts, TrafficBits bits, int knownDepth = int.MaxValue,
        TensorSet resident = TensorSet.None)
    {
        var shared = v.Shared;
        int depths = shared.Length;
        int arrayDepth = map.Tiles.Length;
        foreach (var x in PerTensor.All)
        {
            long elems = p.Elements(x);
            int parent = 0;
            for (int depth = 1; depth <= depths; depth++)
            {
                bool consumerIsArray = depth == depths;
                if (!consumerIsArray && !v.LevelHolds(shared[depth], x)) continue;
                if (parent == 0 && !consumerIsArray && (resident & ArchView.SetOf(x)) != 0) { parent = depth; continue; }
                long f = Visits(map, counts, x, depth, knownDepth, arrayDepth);
                var (down, up) = Crossing(p, x, f, elems);
                bits.Reads(shared[parent])[x] += down;
                if (x == Tensor.Output) bits.Writes(shared[parent])[x] += up;
                if (!consumerIsArray)
                {
                    bits.Writes(shared[depth])[x] += down;
                    if (x == Tensor.Output) bits.Reads(shared[depth])[x] += up;
                }
                parent = depth;
            }
        }
        if (v.HasPerPeLevels) AddPerPeLevels(v, p, map, counts, bits, knownDepth, arrayDepth);
    }

    /// <summary>
    /// Adds only the DRAM level's bits of <see cref="Accumulate"/> (every tensor's crossing out of DRAM, into the first
    /// level that holds it or the array), by the same operations, so they equal that level's bits of the whole mapping
    /// exactly: the mapper bounds a leaf's score by them before scoring it (see <see cref="Search.Mapper"/>).
    /// </summary>
    internal static void AccumulateDram(ArchView v, in GemmProblem p, GemmMapping map, TileCounts counts, TrafficBits bits,
        TensorSet resident = TensorSet.None)
    {
        var shared = v.Shared;
        int depths = shared.Length;
        int arrayDepth = map.Tiles.Length;
        ref var reads = ref bits.Reads(shared[0]);
        ref var writes = ref bits.Writes(shared[0]);
        foreach (var x in PerTensor.All)
        {
            int depth = 1;
            while (depth < depths && !v.LevelHolds(shared[depth], x)) depth++;
            if (depth < depths && (resident & ArchView.SetOf(x)) != 0) continue; // kept on chip: no DRAM crossing
            long elems = p.Elements(x);
            long f = Visits(map, counts, x, depth, int.MaxValue, arrayDepth);
            var (down, up) = Crossing(p, x, f, elems);
            reads[x] += down;
            if (x == Tensor.Output) writes[x] += up;
        }
    }

    // The bits x's f visits move across one boundary, in both directions: down, what the parent level reads and the
    // consumer writes (an input's elements; the output's partial sums fetched back); up, the output's updates, written
    // to the parent and read from the consumer. One definition, so the DRAM bound equals the full count bit for bit.
    internal static (double Down, double Up) Crossing(in GemmProblem p, Tensor x, long f, long elems) =>
        x != Tensor.Output
            ? ((double)f * elems * p.Bits(x, false), 0)
            : ((double)(f - 1) * elems * p.AccumulatorBits, (double)(f - 1) * elems * p.AccumulatorBits + elems * p.OutputBits);

    // Visits of x's elements into consumerDepth. A tensor streamed through the array crosses once per fold along each
    // dimension that does not index it: counts at the array depth, which edge splits in deeper levels only raise, so the
    // count with the deeper levels undecided (knownDepth) is a lower bound as well.
    private static long Visits(GemmMapping map, TileCounts counts, Tensor x, int consumerDepth, int knownDepth, int arrayDepth)
    {
        if (consumerDepth == arrayDepth && x != ArchView.Stationary(map.Dataflow))
            return counts.At(consumerDepth, TensorDims.NotIndexing(x));
        if (knownDepth >= consumerDepth) return Reuse.Factor(map, counts, x, consumerDepth);
        long visits = Reuse.Factor(map, counts, x, knownDepth);
        // Into the array, from a decided depth whose tile is larger than a fold along a dimension indexing x: some
        // deeper loop over that dimension runs more than once, so every loop above the decided depth is outside x's
        // reuse point and each of the tiles there brings x in again.
        if (consumerDepth == arrayDepth)
        {
            bool splitBelow = false;
            foreach (var d in AllDims)
                if (TensorDims.Indexes(x, d) && map.TileAt(knownDepth, d) > map.TileAt(consumerDepth, d)) splitBelow = true;
            if (splitBelow) visits = Math.Max(visits, counts.At(knownDepth, TensorDims.NotIndexing(x)));
        }
        return visits;
    }

    // Register files inside the PEs: the operand a PE holds is written once per array fill and read once per MAC;
    // a held accumulator is read and written once per MAC.
    private static void AddPerPeLevels(ArchView v, in GemmProblem p, GemmMapping map, TileCounts counts, TrafficBits bits, int knownDepth, int arrayDepth)
    {
        long macs = p.M * p.K * p.N;
        for (int l = 0; l < v.Levels; l++)
        {
            if (!v.Arch.Memory[l].PerPe) continue;
            foreach (var x in PerTensor.All)
            {
                if (!v.LevelHolds(l, x)) continue;
                if (x == Tensor.Output)
                {
                    bits.Reads(l)[x] += (double)macs * p.AccumulatorBits;
                    bits.Writes(l)[x] += (double)macs * p.AccumulatorBits;
                }
                else
                {
                    long f = Visits(map, counts, x, arrayDepth, knownDepth, arrayDepth);
                    bits.Writes(l)[x] += (double)f * p.Elements(x) * p.Bits(x, false);
                    bits.Reads(l)[x] += (double)macs * p.Bits(x, false);
                }
            }
        }
    }
}
