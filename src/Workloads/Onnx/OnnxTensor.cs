using Mantissa.Arch;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Onnx;

/// <summary>
/// An ONNX tensor (initializer or Constant value): name, dims, element type and where its values are. Raw bytes are
/// little-endian as onnx.proto requires; typed lists are the file's float_data/int32_data/int64_data/double_data/uint64_data.
/// </summary>
public sealed record OnnxTensor(
    string Name, IReadOnlyList<long> Dims, OnnxDataType DataType, OnnxTensorStorage Storage,
    byte[]? RawData, IReadOnlyList<float> FloatData, IReadOnlyList<int> Int32Data, IReadOnlyList<long> Int64Data,
    IReadOnlyList<double> DoubleData, IReadOnlyList<ulong> UInt64Data, OnnxExternalData? External)
{
    public long ElementCount => Dims.Aggregate(1L, (a, b) => a * b);

    public string ShapeText => "[" + string.Join("x", Dims) + "]";

    /// <summary>True for the element types <see cref="ToFloatTensor"/> converts (exactly): FLOAT, FLOAT16, BFLOAT16, DOUBLE (rounded to float).</summary>
    public bool IsFloatingPoint => DataType is OnnxDataType.Float or OnnxDataType.Float16 or OnnxDataType.BFloat16 or OnnxDataType.Double;

    /// <summary>
    /// The values as a float tensor with the ONNX dims. <paramref name="modelPath"/> names the model in errors and
    /// locates external data (relative to the model's directory, as onnx.proto specifies).
    /// </summary>
    public FloatTensor ToFloatTensor(string modelPath)
    {
        string where = $"{modelPath}: tensor '{Name}'";
        if (!IsFloatingPoint)
            throw new MantissaException($"{where} has element type {DataType}; only FLOAT, FLOAT16, BFLOAT16 and DOUBLE tensors can be read as real values");
        long count = ElementCount;
        if (count > Array.MaxLength) throw new MantissaException($"{where} has {count} values, more than fit in memory at once");
        var values = new float[count];
        var stored = DataType switch
        {
            OnnxDataType.Float => StoredDType.F32,
            OnnxDataType.Float16 => StoredDType.F16,
            OnnxDataType.BFloat16 => StoredDType.BF16,
            _ => StoredDType.F64,
        };
        int size = StoredDTypes.Size(stored);
        switch (Storage)
        {
            case OnnxTensorStorage.Raw:
                if (RawData!.LongLength != count * size)
                    throw new MantissaException($"{where}: dims {ShapeText} of {DataType} need {count * size} bytes but raw_data holds {RawData.LongLength}");
                StoredDTypes.Decode(stored, RawData, values);
                break;
            case OnnxTensorStorage.External:
                ReadExternal(modelPath, where, stored, values);
                break;
            case OnnxTensorStorage.Typed:
                DecodeTyped(where, values);
                break;
            default:
                if (count != 0) throw new MantissaException($"{where}: dims {ShapeText} but the file stores no values for it");
                break;
        }
        return new FloatTensor(Name, Dims, values);
    }

    private void DecodeTyped(string where, float[] values)
    {
        int have = DataType switch
        {
            OnnxDataType.Float => FloatData.Count,
            OnnxDataType.Double => DoubleData.Count,
            _ => Int32Data.Count, // FLOAT16 and BFLOAT16 travel as their 16-bit patterns in int32_data
        };
        if (have != values.Length)
            throw new MantissaException($"{where}: dims {ShapeText} need {values.Length} values but the file stores {have}");
        for (int i = 0; i < values.Length; i++)
        {
            values[i] = DataType switch
            {
                OnnxDataType.Float => FloatData[i],
                OnnxDataType.Double => (float)DoubleData[i],
                OnnxDataType.Float16 => (float)BitConverter.UInt16BitsToHalf((ushort)Int32Data[i]),
                _ => BitConverter.Int32BitsToSingle((Int32Data[i] & 0xFFFF) << 16),
            };
        }
    }

    private void ReadExternal(string modelPath, string where, StoredDType stored, float[] values)
    {
        var ext = External!;
        string dir = Path.GetDirectoryName(Path.GetFullPath(modelPath)) ?? ".";
        string file = Path.Combine(dir, ext.Location);
        if (!File.Exists(file)) throw new MantissaException($"{where}: external data file '{ext.Location}' not found next to the model ({file})");
        InputFile.RequireRegular(file, $"{where}: external data file");
        long need = (long)values.Length * StoredDTypes.Size(stored);
        if (ext.Length is long len && len != need)
            throw new MantissaException($"{where}: dims {ShapeText} of {DataType} need {need} bytes but external_data length is {len}");
        long fileLength = new FileInfo(file).Length;
        if (ext.Offset + need > fileLength)
            throw new MantissaException($"{where}: external data '{ext.Location}' ends at byte {fileLength}, before offset {ext.Offset} + {need} bytes (file truncated?)");
        var bytes = new byte[need];
        using (var fs = new FileStream(file, FileMode.Open, FileAccess.Read, FileShare.Read))
        {
            fs.Seek(ext.Offset, SeekOrigin.Begin);
            fs.ReadExactly(bytes);
        }
        StoredDTypes.Decode(stored, bytes, values);
    }

}

/// <summary>An ONNX tensor's external_data entries: file location relative to the model, byte offset, and length when given.</summary>
public sealed record OnnxExternalData(string Location, long Offset, long? Length);
