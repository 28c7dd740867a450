using System.Buffers.Binary;
using System.Text;

namespace Mantissa.Workloads.Tests.Tensors;

/// <summary>Writes small .safetensors and .npy files for reader tests (independent of the readers under test).</summary>
internal static class TestTensorFiles
{
    public sealed record Entry(string Name, string DType, long[] Shape, byte[] Data);

    public static string TempPath(string ext) => Path.Combine(Path.GetTempPath(), $"mantissa-test-{Guid.NewGuid():N}{ext}");

    /// <summary>Writes a safetensors file; <paramref name="headerOverride"/> replaces the generated JSON header.</summary>
    public static string WriteSafetensors(IReadOnlyList<Entry> entries, string? headerOverride = null, int truncateBy = 0)
    {
        var json = new StringBuilder("{\"__metadata__\":{\"format\":\"pt\"}");
        long offset = 0;
        foreach (var e in entries)
        {
            json.Append($",\"{e.Name}\":{{\"dtype\":\"{e.DType}\",\"shape\":[{string.Join(",", e.Shape)}],\"data_offsets\":[{offset},{offset + e.Data.Length}]}}");
            offset += e.Data.Length;
        }
        json.Append('}');
        var header = Encoding.UTF8.GetBytes(headerOverride ?? json.ToString());
        var path = TempPath(".safetensors");
        using var ms = new MemoryStream();
        Span<byte> len = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64LittleEndian(len, (ulong)header.Length);
        ms.Write(len);
        ms.Write(header);
        foreach (var e in entries) ms.Write(e.Data);
        var bytes = ms.ToArray();
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - truncateBy).ToArray());
        return path;
    }

    public static byte[] F32(float[] v)
    {
        var b = new byte[4 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), v[i]);
        return b;
    }

    public static byte[] F16(float[] v)
    {
        var b = new byte[2 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteHalfLittleEndian(b.AsSpan(2 * i), (Half)v[i]);
        return b;
    }

    /// <summary>bf16 by truncation; the tests only use values exactly representable in bf16.</summary>
    public static byte[] BF16(float[] v)
    {
        var b = new byte[2 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteUInt16LittleEndian(b.AsSpan(2 * i), (ushort)(BitConverter.SingleToUInt32Bits(v[i]) >> 16));
        return b;
    }

    public static byte[] F64(double[] v)
    {
        var b = new byte[8 * v.Length];
        for (int i = 0; i < v.Length; i++) BinaryPrimitives.WriteDoubleLittleEndian(b.AsSpan(8 * i), v[i]);
        return b;
    }

    /// <summary>Writes a .npy file with the given version, descr, shape text and data; the header is padded to 64 bytes.</summary>
    public static string WriteNpy(string descr, string shape, byte[] data, int major = 1, bool fortran = false, int truncateBy = 0)
    {
        string dict = $"{{'descr': '{descr}', 'fortran_order': {(fortran ? "True" : "False")}, 'shape': {shape}, }}";
        int pre = major == 1 ? 10 : 12;
        int total = pre + dict.Length + 1;
        int pad = (64 - total % 64) % 64;
        string header = dict + new string(' ', pad) + "\n";
        using var ms = new MemoryStream();
        ms.Write(new byte[] { 0x93, (byte)'N', (byte)'U', (byte)'M', (byte)'P', (byte)'Y', (byte)major, 0 });
        var hb = Encoding.Latin1.GetBytes(header);
        if (major == 1) { var l = new byte[2]; BinaryPrimitives.WriteUInt16LittleEndian(l, (ushort)hb.Length); ms.Write(l); }
        else { var l = new byte[4]; BinaryPrimitives.WriteUInt32LittleEndian(l, (uint)hb.Length); ms.Write(l); }
        ms.Write(hb);
        ms.Write(data);
        var bytes = ms.ToArray();
        var path = TempPath(".npy");
        File.WriteAllBytes(path, bytes.AsSpan(0, bytes.Length - truncateBy).ToArray());
        return path;
    }
}
