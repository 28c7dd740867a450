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
        : this(new ClosedFormTile(v, p, map, counts), computeCycles, memory) { }

    /// <summary>The terms of a mapping whose first on-chip tile's terms are <paramref name="tile"/> (computed once for every mapping with that tile).</summary>
    public ClosedFormTerms(in ClosedFormTile tile, double computeCycles, MemoryCost memory)
    {
        _busy = Math.Max(computeCycles, memory.InnerCycles);
        _readBytes = memory.DramReadTotal; _writeBytes = memory.DramWriteTotal;
        _nested = tile.Nested;
        _firstBytes = _lastBytes = 0; _tiles = 1; _doubleBuffered = true; _streamRead = _streamWrite = default; _streamed = 0;
        if (!_nested) return;
        _tiles = tile.Tiles;
        _firstBytes = tile.FirstBytes;
        _lastBytes = tile.LastBytes;
        _doubleBuffered = tile.DoubleBuffered;
        if (_doubleBuffered) return;
        _streamRead = memory.DramReadBytes; _streamWrite = memory.DramWriteBytes;
        _streamed = tile.Streamed;
    }

    /// <summary>Cycles of one batch entry at these DRAM read and write bandwidths (bytes per cycle).</summary>
    // inlined: the mapping front's selection calls it for every kept candidate of every shared-mapping point
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public double Cycles(double readBytesPerCycle, double writeBytesPerCycle)
    {
        if (_nested && _doubleBuffered)
            return DoubleBuffered(_busy, _tiles, _firstBytes, _lastBytes, _readBytes, _writeBytes, readBytesPerCycle, writeBytesPerCycle);
        double rd = _readBytes / readBytesPerCycle, wr = _writeBytes / writeBytesPerCycle;
        if (!_nested) return Math.Max(_busy, rd + wr);
        // only the streams into double-buffered levels overlap compute
        double stream = 0;
        foreach (var t in PerTensor.All)
            if ((_streamed >> (int)t & 1) != 0)
                stream += _streamRead[t] / readBytesPerCycle + _streamWrite[t] / writeBytesPerCycle;
        return Math.Max(_busy, stream) + rd + wr - stream;
    }

    /// <summary>
    /// The closed form of a nested mapping whose first on-chip level is double-buffered: the first tile's reads, then busy
    /// time and DRAM traffic overlapped tile by tile, then the last tile's writes. From its terms, so a mapper that holds
    /// them apart (<c>LeafPricing</c>) prices by this same formula.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    public static double DoubleBuffered(double busy, long tiles, double firstBytes, double lastBytes, double readBytes, double writeBytes,
        double readBytesPerCycle, double writeBytesPerCycle)
    {
        double rd = readBytes / readBytesPerCycle, wr = writeBytes / writeBytesPerCycle;
        double first = Math.Min(firstBytes / readBytesPerCycle, rd), last = Math.Min(lastBytes / writeBytesPerCycle, wr);
        return Math.Max(busy + first, rd + wr - last + busy / tiles) + last;
    }
}

/// <summary>
/// The terms of <see cref="ClosedFormTerms"/> that depend only on the first on-chip level's tile and the view (not on the
/// loop orders or the traffic): the tile count the DRAM loops walk, the first tile's load and the last tile's write-back,
/// the buffering, and which tensors stream into a double-buffered level. The mapper computes them once per tile.
/// </summary>
internal readonly struct ClosedFormTile
{
    /// <summary>The mapping has an on-chip level (else the other terms are unset).</summary>
    public readonly bool Nested;
    public readonly long Tiles;
    public readonly double FirstBytes, LastBytes;
    public readonly bool DoubleBuffered;
    /// <summary>Bit t: tensor t streams into a double-buffered level (see <see cref="ArchView.Streamed"/>).</summary>
    public readonly int Streamed;

    public ClosedFormTile(ArchView v, in GemmProblem p, GemmMapping map, TileCounts counts)
    {
        Nested = map.Levels.Count >= 2;
        Tiles = 1; FirstBytes = LastBytes = 0; DoubleBuffered = true; Streamed = 0;
        if (!Nested) return;
        Tiles = counts.OuterTiles;
        FirstBytes = (TileTimeline.TileBits(p, map, Tensor.Left) + TileTimeline.TileBits(p, map, Tensor.Right)) / 8;
        LastBytes = TileTimeline.TileBits(p, map, Tensor.Output, p.OutputBits) / 8;
        DoubleBuffered = v.Arch.Memory[v.Shared[1]].DoubleBuffered;
        foreach (var t in PerTensor.All)
            if (v.Streamed(t)) Streamed |= 1 << (int)t;
    }
}
