using System.Buffers.Binary;

namespace Mantissa.Workloads.Tensors;

/// <summary>A little-endian floating-point element type stored in a checkpoint file.</summary>
public enum StoredDType { F16, BF16, F32, F64 }

/// <summary>Element sizes and the conversion of raw little-endian bytes to float (exact for F16, BF16 and F32).</summary>
public static class StoredDTypes
{
    public static int Size(StoredDType t) => t switch { StoredDType.F16 or StoredDType.BF16 => 2, StoredDType.F32 => 4, _ => 8 };

    /// <summary>Decodes <paramref name="dst"/>.Length elements from <paramref name="src"/>.</summary>
    public static void Decode(StoredDType t, ReadOnlySpan<byte> src, Span<float> dst)
    {
        switch (t)
        {
            case StoredDType.F16:
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)BitConverter.UInt16BitsToHalf(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]));
                break;
            case StoredDType.BF16:
                // bf16 is the top half of an fp32, so widening is a shift.
                for (int i = 0; i < dst.Length; i++) dst[i] = BitConverter.Int32BitsToSingle(BinaryPrimitives.ReadUInt16LittleEndian(src[(2 * i)..]) << 16);
                break;
            case StoredDType.F32:
                for (int i = 0; i < dst.Length; i++) dst[i] = BinaryPrimitives.ReadSingleLittleEndian(src[(4 * i)..]);
                break;
            case StoredDType.F64:
                for (int i = 0; i < dst.Length; i++) dst[i] = (float)BinaryPrimitives.ReadDoubleLittleEndian(src[(8 * i)..]);
                break;
        }
    }
}
