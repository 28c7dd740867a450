using Mantissa.Arch;

namespace Mantissa.Workloads.Tensors;

/// <summary>Reads one tensor's raw bytes from a file offset in fixed-size chunks, decoding as it goes (never the whole file).</summary>
internal static class ChunkedTensorReader
{
    private const int ChunkBytes = 1 << 20;

    /// <summary>Reads <paramref name="count"/> elements of <paramref name="dtype"/> starting at byte <paramref name="offset"/>.</summary>
    public static float[] Read(string path, string tensorName, long offset, StoredDType dtype, int count)
    {
        int size = StoredDTypes.Size(dtype);
        var values = new float[count];
        var buffer = new byte[ChunkBytes - ChunkBytes % size];
        using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1, FileOptions.SequentialScan);
        fs.Seek(offset, SeekOrigin.Begin);
        int done = 0;
        while (done < count)
        {
            int elements = Math.Min(count - done, buffer.Length / size);
            int want = elements * size;
            int got = 0;
            while (got < want)
            {
                int n = fs.Read(buffer, got, want - got);
                if (n == 0)
                    throw new MantissaException($"{path}: tensor '{tensorName}' is truncated: the file ends after {done + got / size} of {count} elements");
                got += n;
            }
            StoredDTypes.Decode(dtype, buffer.AsSpan(0, want), values.AsSpan(done, elements));
            done += elements;
        }
        return values;
    }
}
