using System.Buffers;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// A result row with its points.csv line, UTF-8 encoded by the worker that finished it (so the writer only copies bytes
/// under its lock) in a buffer rented from the shared pool; no line (<see cref="Bytes"/> null) when the row needs the
/// CSV writer or is not written.
/// </summary>
internal readonly record struct RowLine(ResultRow Row, byte[]? Bytes, int Length)
{
    /// <summary>A row without a line: written through the CSV writer, if at all.</summary>
    public static RowLine Without(ResultRow row) => new(row, null, 0);

    /// <summary>
    /// Where line buffers come from and go back to: one locked stack per size, deep enough for the lines a worker
    /// finishes while the point before them is still running on the other (each waits in the hand-off with its line).
    /// Not the shared pool: it keeps few buffers per size, cached per thread, and a line rented by one worker is mostly
    /// given back by the other, so with two jobs it kept missing (+950 bytes a design point on bench-gemm-16k).
    /// </summary>
    public static readonly ArrayPool<byte> Pool = ArrayPool<byte>.Create(1 << 14, 1024);

    /// <summary>Gives the buffer back to the pool once the line is copied (or dropped); the line must not be used again.</summary>
    public void Release()
    {
        if (Bytes is not null) Pool.Return(Bytes);
    }
}
