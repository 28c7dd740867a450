namespace Mantissa.Workloads.Onnx;

/// <summary>ONNX tensor element types (TensorProto.DataType in the ONNX specification's onnx.proto, IR version 10).</summary>
public enum OnnxDataType
{
    Undefined = 0, Float = 1, UInt8 = 2, Int8 = 3, UInt16 = 4, Int16 = 5, Int32 = 6, Int64 = 7, String = 8, Bool = 9,
    Float16 = 10, Double = 11, UInt32 = 12, UInt64 = 13, Complex64 = 14, Complex128 = 15, BFloat16 = 16,
    Float8E4M3FN = 17, Float8E4M3FNUZ = 18, Float8E5M2 = 19, Float8E5M2FNUZ = 20, UInt4 = 21, Int4 = 22, Float4E2M1 = 23,
}

/// <summary>ONNX attribute kinds (AttributeProto.AttributeType in onnx.proto).</summary>
public enum OnnxAttributeType
{
    Undefined = 0, Float = 1, Int = 2, String = 3, Tensor = 4, Graph = 5, Floats = 6, Ints = 7, Strings = 8,
    Tensors = 9, Graphs = 10, SparseTensor = 11, SparseTensors = 12, TypeProto = 13, TypeProtos = 14,
}

/// <summary>Where an ONNX tensor's values are: inside the file (raw bytes or a typed list), in an external file, or nowhere.</summary>
public enum OnnxTensorStorage { Raw, Typed, External, Absent }
