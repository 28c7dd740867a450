using System.Buffers.Binary;
using System.Text;

namespace Mantissa.Workloads.Tests.Onnx;

/// <summary>A minimal protobuf wire-format writer for building ONNX test files by hand, independent of the reader's library.</summary>
internal sealed class Pb
{
    private readonly MemoryStream _ms = new();

    public byte[] Bytes => _ms.ToArray();

    public Pb Varint(int field, long value) { Key(field, 0); WriteVarint((ulong)value); return this; }
    public Pb Bytes_(int field, byte[] value) { Key(field, 2); WriteVarint((ulong)value.Length); _ms.Write(value); return this; }
    public Pb Str(int field, string value) => Bytes_(field, Encoding.UTF8.GetBytes(value));
    public Pb Msg(int field, Pb message) => Bytes_(field, message.Bytes);
    public Pb Fixed32(int field, float value)
    {
        Key(field, 5);
        Span<byte> b = stackalloc byte[4];
        BinaryPrimitives.WriteSingleLittleEndian(b, value);
        _ms.Write(b);
        return this;
    }

    /// <summary>A packed repeated float field.</summary>
    public Pb PackedFloats(int field, params float[] values)
    {
        var b = new byte[4 * values.Length];
        for (int i = 0; i < values.Length; i++) BinaryPrimitives.WriteSingleLittleEndian(b.AsSpan(4 * i), values[i]);
        return Bytes_(field, b);
    }

    /// <summary>A packed repeated varint field.</summary>
    public Pb PackedVarints(int field, params long[] values)
    {
        var inner = new Pb();
        foreach (var v in values) inner.WriteVarint((ulong)v);
        return Bytes_(field, inner.Bytes);
    }

    private void Key(int field, int wireType) => WriteVarint((ulong)((field << 3) | wireType));

    private void WriteVarint(ulong v)
    {
        while (v >= 0x80) { _ms.WriteByte((byte)(v | 0x80)); v >>= 7; }
        _ms.WriteByte((byte)v);
    }
}
