using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Timing;

namespace Mantissa.Sim.Tests;

/// <summary>
/// The tile timeline's event walk as it was before it cached per-tile terms and walked the loop nest as nested loops
/// (commit 1f5f050): one tile at a time, every term recomputed. <see cref="TileTimelineWalkTests"/> checks the
/// simulator's walk against it bit for bit.
/// </summary>
internal static class TileTimelineReference
{
    internal static double Recurrence(ArchView v, GemmProblem p, GemmMapping map, double computeCycles, MemoryCost memory, TileCounts counts)
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

        Span<long> idx = stackalloc long[3];
        long total = trips[0] * trips[1] * trips[2];
        // one DRAM bus: transfers are served in the order they are issued
        double busFree = 0, computeEnd = 0, computeEndPrev2 = 0, outBufFree = 0;
        double pendingOutBits = 0;
        for (long it = 0; it < total; it++)
        {
            int changed = -1;
            if (it > 0)
            {
                for (int i = 2; i >= 0; i--)
                {
                    if (++idx[i] < trips[i]) { changed = i; break; }
                    idx[i] = 0;
                }
            }
            long pm = 0, pk = 0, pn = 0;
            for (int i = 0; i < 3; i++)
            {
                long size = idx[i] < full[i] ? tile[i] : rem[i];
                switch (order[i]) { case Dim.M: pm = size; break; case Dim.K: pk = size; break; default: pn = size; break; }
            }
            double share = pm * pk * pn / macsTotal;
            double loadBits = 0;
            if (held[0] && (it == 0 || changed <= reusePos[0])) loadBits += pm * pk * p.LeftBits;
            if (held[1] && (it == 0 || changed <= reusePos[1])) loadBits += pk * pn * p.RightBits;
            bool outputChanges = held[2] && (it == 0 || changed <= reusePos[2]);
            double writeBackBits = 0;
            if (outputChanges)
            {
                writeBackBits = it > 0 ? pendingOutBits : 0; // the previous output tile is done with
                if (kOutsideO && idx[kPos] > 0) loadBits += pm * pn * p.AccumulatorBits; // partial sums come back
                bool final = !kOutsideO || idx[kPos] == trips[kPos] - 1;
                pendingOutBits = pm * pn * (final ? p.OutputBits : p.AccumulatorBits);
            }
            // this tile's loads were issued when its buffer half freed up, before the previous tile finished
            double loadStart = Math.Max(busFree, db ? computeEndPrev2 : computeEnd);
            double loadEnd = loadStart + (loadBits / 8 + bypassRead * share) / rbw + bypassWrite * share / wbw;
            busFree = loadEnd;
            if (writeBackBits > 0)
            {
                double wbStart = Math.Max(computeEnd, busFree);
                busFree = wbStart + writeBackBits / 8 / wbw;
                if (!db) outBufFree = busFree;
            }
            double start = Math.Max(Math.Max(loadEnd, computeEnd), outBufFree);
            double work = Math.Max(computeCycles * share, innerCycles * share);
            computeEndPrev2 = computeEnd;
            computeEnd = start + work;
            double streamBus = streamRead * share / rbw + streamWrite * share / wbw;
            if (streamBus > 0)
            {
                // the streamed operand flows on the same bus while this tile computes; compute waits for its last words
                busFree = Math.Max(busFree, start) + streamBus;
                computeEnd = Math.Max(computeEnd, busFree);
            }
        }
        if (held[2]) busFree = Math.Max(computeEnd, busFree) + pendingOutBits / 8 / wbw;
        return Math.Max(computeEnd, busFree);
    }
}
