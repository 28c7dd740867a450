using Mantissa.Sim.Compute;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Timing;

/// <summary>
/// The terms of <see cref="TileTimeline.ClosedForm"/> that the DRAM's bandwidths do not change (busy cycles, DRAM bytes,
/// first and last tile, tile count, buffering), so a mapping front computes them once per mapping and prices each design's
/// bandwidths with <see cref="Cycles"/>: the same operations in the same order as the closed form itself.
/// </summary>
internal readonly struct ClosedFormTerms
{
    private readonly double _busy, _readBytes, _writeBytes, _firstBytes, _lastBytes;
    private readonly long _tiles;
    private readonly bool _nested, _doubleBuffered;
    private readonly PerTensor _streamRead, _streamWrite;
    private readonly int _streamed; // bit t: tensor t streams into a double-buffered level (single-buffered first level only)

    public ClosedFormTerms(ArchView v, in GemmProblem p, GemmMapping map, double computeCycles, MemoryCost memory, TileCounts counts)
    {
        _busy = Math.Max(computeCycles, memory.InnerCycles);
        _readBytes = memory.DramReadTotal; _writeBytes = memory.DramWriteTotal;
        _nested = map.Levels.Count >= 2;
        _firstBytes = _lastBytes = 0; _tiles = 1; _doubleBuffered = true; _streamRead = _streamWrite = default; _streamed = 0;
        if (!_nested) return;
        _tiles = counts.OuterTiles;
        _firstBytes = (TileTimeline.TileBits(p, map, Tensor.Left) + TileTimeline.TileBits(p, map, Tensor.Right)) / 8;
        _lastBytes = TileTimeline.TileBits(p, map, Tensor.Output, p.OutputBits) / 8;
        _doubleBuffered = v.Arch.Memory[v.Shared[1]].DoubleBuffered;
        if (_doubleBuffered) return;
        _streamRead = memory.DramReadBytes; _streamWrite = memory.DramWriteBytes;
        foreach (var t in PerTensor.All)
            if (v.Streamed(t)) _streamed |= 1 << (int)t;
    }

    /// <summary>Cycles of one batch entry at these DRAM read and write bandwidths (bytes per cycle).</summary>
    public double Cycles(double readBytesPerCycle, double writeBytesPerCycle)
    {
        double rd = _readBytes / readBytesPerCycle, wr = _writeBytes / writeBytesPerCycle;
        if (!_nested) return Math.Max(_busy, rd + wr);
        double first = Math.Min(_firstBytes / readBytesPerCycle, rd), last = Math.Min(_lastBytes / writeBytesPerCycle, wr);
        if (!_doubleBuffered)
        {
            // only the streams into double-buffered levels overlap compute
            double stream = 0;
            foreach (var t in PerTensor.All)
                if ((_streamed >> (int)t & 1) != 0)
                    stream += _streamRead[t] / readBytesPerCycle + _streamWrite[t] / writeBytesPerCycle;
            return Math.Max(_busy, stream) + rd + wr - stream;
        }
        return Math.Max(_busy + first, rd + wr - last + _busy / _tiles) + last;
    }
}
