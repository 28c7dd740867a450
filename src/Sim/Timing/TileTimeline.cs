using System.Runtime.CompilerServices;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Timing;

/// <summary>Cycles of one GEMM once memory is accounted for.</summary>
public readonly record struct GemmTiming(double Cycles, double ComputeCycles, long OuterTiles, bool ClosedForm)
{
    public double StallCycles => Math.Max(0, Cycles - ComputeCycles);
}

/// <summary>
/// Tile-level event model of the DRAM ↔ first on-chip level boundary: the tiles of the outer loop nest are
/// visited in order; each needs the DMA loads of the operand tiles that changed (at the DRAM read bandwidth),
/// then its share of compute (the array's cycles, or the inner levels' bandwidth if slower), then the output
/// write-back when the output tile changes (at the DRAM write bandwidth). Double buffering lets the load of
/// tile j+1 overlap the compute of tile j; without it loads and compute alternate. DRAM reads and write-backs share
/// one bus (its read and write bandwidths are rates of the same channel).
/// </summary>
public static class TileTimeline
{
    /// <summary>Cycles of one batch entry of <paramref name="p"/> under <paramref name="map"/>, whose traffic costs <paramref name="memory"/>.</summary>
    public static GemmTiming Run(ArchitectureSpec arch, GemmProblem p, GemmMapping map, double computeCycles,
        MemoryCost memory, long maxTiles) =>
        Run(new ArchView(arch, map.Bypass), p, map, computeCycles, memory, maxTiles);

    /// <summary>
    /// <see cref="Run(ArchitectureSpec, GemmProblem, GemmMapping, double, MemoryCost, long)"/> under a view built once per
    /// architecture: <paramref name="v"/> must have <paramref name="map"/>'s bypass choice.
    /// </summary>
    internal static GemmTiming Run(ArchView v, GemmProblem p, GemmMapping map, double computeCycles, MemoryCost memory, long maxTiles)
    {
        var counts = TileCounts.Scratch(p, map);
        if (map.Levels.Count < 2) return new GemmTiming(ClosedForm(v, p, map, computeCycles, memory, counts), computeCycles, 1, true);
        long tiles = counts.OuterTiles;
        if (tiles > maxTiles)
            return new GemmTiming(ClosedForm(v, p, map, computeCycles, memory, counts), computeCycles, tiles, true);
        return new GemmTiming(Recurrence(v, p, map, computeCycles, memory, counts), computeCycles, tiles, false);
    }

    /// <summary>Closed-form latency used by the mapper (and for very long tile sequences).</summary>
    internal static double ClosedForm(ArchView v, in GemmProblem p, GemmMapping map, double computeCycles, MemoryCost memory, TileCounts counts)
    {
        var dramSpec = v.Arch.Memory[MemoryLevels.Dram];
        return new ClosedFormTerms(v, p, map, computeCycles, memory, counts).Cycles(dramSpec.ReadBytesPerCycle, dramSpec.WriteBytesPerCycle);
    }

    internal static double TileBits(in GemmProblem p, GemmMapping map, Tensor x, double? bits = null)
    {
        ref readonly var l = ref map.Tiles[1];
        return TileBits(p, l.M, l.K, l.N, x, bits);
    }

    /// <summary>Bits of <paramref name="x"/>'s part of an <paramref name="m"/>×<paramref name="k"/>×<paramref name="n"/> tile of the first on-chip level (at <paramref name="bits"/> per element, else its operand width).</summary>
    internal static double TileBits(in GemmProblem p, long m, long k, long n, Tensor x, double? bits = null)
    {
        long e = x switch { Tensor.Left => m * k, Tensor.Right => k * n, _ => m * n };
        e = Math.Min(e, p.Elements(x));
        return e * (bits ?? p.Bits(x, false));
    }

    private static double Recurrence(ArchView v, GemmProblem p, GemmMapping map, double computeCycles, MemoryCost memory, TileCounts counts)
    {
        double innerCycles = memory.InnerCycles;
        var dramSpec = v.Arch.Memory[MemoryLevels.Dram];
        var l1 = v.Arch.Memory[v.Shared[1]];
        bool db = l1.DoubleBuffered;
        double rbw = dramSpec.ReadBytesPerCycle, wbw = dramSpec.WriteBytesPerCycle;
        var order = map.Levels[0].Order;
        Span<long> trips = stackalloc long[3];
        Span<long> tile = stackalloc long[3];
        Span<long> rem = stackalloc long[3];
        Span<long> full = stackalloc long[3];
        for (int i = 0; i < 3; i++)
        {
            var d = order[i];
            trips[i] = counts.At(1, d);
            tile[i] = map.TileAt(1, d);
            long ext = p.Extent(d);
            full[i] = ext / tile[i]; rem[i] = ext % tile[i];
        }
        // reuse point of each tensor at the DRAM boundary: last nontrivial loop that indexes it
        Span<int> reusePos = stackalloc int[3];
        Span<bool> held = stackalloc bool[3];
        for (int t = 0; t < 3; t++)
        {
            reusePos[t] = -1;
            held[t] = v.LevelHolds(v.Shared[1], (Tensor)t);
            for (int i = 0; i < 3; i++)
                if (trips[i] > 1 && TensorDims.Indexes((Tensor)t, order[i])) reusePos[t] = i;
        }
        int kPos = Array.IndexOf(order, Dim.K);
        bool kOutsideO = trips[kPos] > 1 && kPos < reusePos[2];
        double macsTotal = (double)p.M * p.K * p.N;
        // tensors that bypass the first on-chip level stream from DRAM in proportion to the work
        // (before the tile's compute, or during it when the level they land in is double-buffered)
        double bypassRead = 0, bypassWrite = 0, streamRead = 0, streamWrite = 0;
        foreach (var t in PerTensor.All)
        {
            if (held[(int)t]) continue;
            if (v.Streamed(t)) { streamRead += memory.DramReadBytes[t]; streamWrite += memory.DramWriteBytes[t]; }
            else { bypassRead += memory.DramReadBytes[t]; bypassWrite += memory.DramWriteBytes[t]; }
        }

        // The loop nest walked as three nested loops (outermost first): at tile (i0, i1, i2) the innermost loop that
        // advanced is 2 when i2 > 0, else 1 when i1 > 0, else 0. A tile's terms depend only on its sizes and on which
        // operands it moves: consecutive tiles alike (the inner loop's full tiles) reuse the last tile's terms, computed
        // by the same expressions in the same order, so every sum below is the one the tile-by-tile walk makes.
        Span<long> idx = stackalloc long[3];
        long pm = -1, pk = -1, pn = -1;
        int flags = -1;
        double share = 0, loadTerm = 0, bypassWriteTerm = 0, work = 0, streamBus = 0;
        double lastWriteBack = -1, writeBackTerm = 0;
        var bus = default(Bus);
        double pendingOutBits = 0;
        bool first = true;
        // the inner loop's full tiles after its second, before its last, repeat the second's sizes, operand moves and
        // output tile: after that tile, Advance alone carries them (the same operations in the same order)
        long alikeEnd = Math.Min(full[2], trips[2] - 1);
        for (idx[0] = 0; idx[0] < trips[0]; idx[0]++)
        for (idx[1] = 0; idx[1] < trips[1]; idx[1]++)
        for (idx[2] = 0; idx[2] < trips[2]; idx[2]++)
        {
            int changed = first ? -1 : idx[2] > 0 ? 2 : idx[1] > 0 ? 1 : 0;
            long tm = 0, tk = 0, tn = 0;
            for (int i = 0; i < 3; i++)
            {
                long size = idx[i] < full[i] ? tile[i] : rem[i];
                switch (order[i]) { case Dim.M: tm = size; break; case Dim.K: tk = size; break; default: tn = size; break; }
            }
            bool loadLeft = held[0] && (first || changed <= reusePos[0]);
            bool loadRight = held[1] && (first || changed <= reusePos[1]);
            bool outputChanges = held[2] && (first || changed <= reusePos[2]);
            bool partialsBack = outputChanges && kOutsideO && idx[kPos] > 0; // partial sums come back
            int f = (loadLeft ? 1 : 0) | (loadRight ? 2 : 0) | (partialsBack ? 4 : 0);
            if (tm != pm || tk != pk || tn != pn || f != flags)
            {
                pm = tm; pk = tk; pn = tn; flags = f;
                share = pm * pk * pn / macsTotal;
                double loadBits = 0;
                if (loadLeft) loadBits += pm * pk * p.LeftBits;
                if (loadRight) loadBits += pk * pn * p.RightBits;
                if (partialsBack) loadBits += pm * pn * p.AccumulatorBits;
                loadTerm = (loadBits / 8 + bypassRead * share) / rbw;
                bypassWriteTerm = bypassWrite * share / wbw;
                work = Math.Max(computeCycles * share, innerCycles * share);
                streamBus = streamRead * share / rbw + streamWrite * share / wbw;
            }
            double writeBackBits = 0;
            if (outputChanges)
            {
                writeBackBits = first ? 0 : pendingOutBits; // the previous output tile is done with
                bool final = !kOutsideO || idx[kPos] == trips[kPos] - 1;
                pendingOutBits = pm * pn * (final ? p.OutputBits : p.AccumulatorBits);
            }
            first = false;
            if (writeBackBits > 0 && writeBackBits != lastWriteBack) { lastWriteBack = writeBackBits; writeBackTerm = writeBackBits / 8 / wbw; }
            Advance(ref bus, db, loadTerm, bypassWriteTerm, writeBackBits > 0, writeBackTerm, work, streamBus);
            if (idx[2] == 1 && alikeEnd > 2)
            {
                // tiles 2 .. alikeEnd - 1: each writes back the output tile the one before left pending, of the same bits
                bool writesBack = outputChanges && pendingOutBits > 0;
                if (writesBack && pendingOutBits != lastWriteBack) { lastWriteBack = pendingOutBits; writeBackTerm = pendingOutBits / 8 / wbw; }
                for (long j = 2; j < alikeEnd; j++)
                    Advance(ref bus, db, loadTerm, bypassWriteTerm, writesBack, writeBackTerm, work, streamBus);
                idx[2] = alikeEnd - 1;
            }
        }
        double busFree = bus.BusFree, computeEnd = bus.ComputeEnd;
        if (held[2]) busFree = Math.Max(computeEnd, busFree) + pendingOutBits / 8 / wbw;
        return Math.Max(computeEnd, busFree);
    }

    /// <summary>The DRAM bus and the array as the walk leaves them after a tile (one bus: transfers are served in the order they are issued).</summary>
    private struct Bus
    {
        public double BusFree, ComputeEnd, ComputeEndPrev2, OutBufFree;
    }

    // One tile: its loads issued when its buffer half freed up (before the previous tile finished), the previous output
    // tile's write-back, then its compute; a streamed operand flows on the bus while it computes.
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Advance(ref Bus s, bool db, double loadTerm, double bypassWriteTerm, bool writesBack, double writeBackTerm,
        double work, double streamBus)
    {
        double loadStart = Math.Max(s.BusFree, db ? s.ComputeEndPrev2 : s.ComputeEnd);
        double loadEnd = loadStart + loadTerm + bypassWriteTerm;
        s.BusFree = loadEnd;
        if (writesBack)
        {
            double wbStart = Math.Max(s.ComputeEnd, s.BusFree);
            s.BusFree = wbStart + writeBackTerm;
            if (!db) s.OutBufFree = s.BusFree;
        }
        double start = Math.Max(Math.Max(loadEnd, s.ComputeEnd), s.OutBufFree);
        s.ComputeEndPrev2 = s.ComputeEnd;
        s.ComputeEnd = start + work;
        if (streamBus > 0)
        {
            // the streamed operand flows on the same bus while this tile computes; compute waits for its last words
            s.BusFree = Math.Max(s.BusFree, start) + streamBus;
            s.ComputeEnd = Math.Max(s.ComputeEnd, s.BusFree);
        }
    }
}
