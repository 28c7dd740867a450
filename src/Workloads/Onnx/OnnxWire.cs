using ProtoBuf;

namespace Mantissa.Workloads.Onnx;

// Wire-level contracts for the subset of onnx.proto that Mantissa reads. Field numbers are those of the
// ONNX specification's onnx/onnx.proto (github.com/onnx/onnx, onnx/onnx.proto; stable across IR versions 3..11).
// Enum-typed fields are read as int so that values newer than this file (e.g. new data types) do not fail to parse.
// Fields not listed (doc strings, metadata, training info, functions, sparse tensors) are skipped by the parser.

[ProtoContract]
internal sealed class ModelProtoWire
{
    [ProtoMember(1)] public long IrVersion { get; set; }
    [ProtoMember(2)] public string? ProducerName { get; set; }
    [ProtoMember(3)] public string? ProducerVersion { get; set; }
    [ProtoMember(4)] public string? Domain { get; set; }
    [ProtoMember(5)] public long ModelVersion { get; set; }
    [ProtoMember(7)] public GraphProtoWire? Graph { get; set; }
    [ProtoMember(8)] public List<OperatorSetIdProtoWire> OpsetImport { get; } = new();
}

[ProtoContract]
internal sealed class OperatorSetIdProtoWire
{
    [ProtoMember(1)] public string? Domain { get; set; }
    [ProtoMember(2)] public long Version { get; set; }
}

[ProtoContract]
internal sealed class GraphProtoWire
{
    [ProtoMember(1)] public List<NodeProtoWire> Node { get; } = new();
    [ProtoMember(2)] public string? Name { get; set; }
    [ProtoMember(5)] public List<TensorProtoWire> Initializer { get; } = new();
    [ProtoMember(11)] public List<ValueInfoProtoWire> Input { get; } = new();
    [ProtoMember(12)] public List<ValueInfoProtoWire> Output { get; } = new();
    [ProtoMember(13)] public List<ValueInfoProtoWire> ValueInfo { get; } = new();
}

[ProtoContract]
internal sealed class NodeProtoWire
{
    [ProtoMember(1)] public List<string> Input { get; } = new();
    [ProtoMember(2)] public List<string> Output { get; } = new();
    [ProtoMember(3)] public string? Name { get; set; }
    [ProtoMember(4)] public string? OpType { get; set; }
    [ProtoMember(5)] public List<AttributeProtoWire> Attribute { get; } = new();
    [ProtoMember(7)] public string? Domain { get; set; }
}

[ProtoContract]
internal sealed class AttributeProtoWire
{
    [ProtoMember(1)] public string? Name { get; set; }
    [ProtoMember(2)] public float F { get; set; }
    [ProtoMember(3)] public long I { get; set; }
    [ProtoMember(4)] public byte[]? S { get; set; }
    [ProtoMember(5)] public TensorProtoWire? T { get; set; }
    [ProtoMember(6)] public GraphProtoWire? G { get; set; }
    [ProtoMember(7)] public List<float> Floats { get; } = new();
    [ProtoMember(8)] public List<long> Ints { get; } = new();
    [ProtoMember(9)] public List<byte[]> Strings { get; } = new();
    [ProtoMember(10)] public List<TensorProtoWire> Tensors { get; } = new();
    [ProtoMember(11)] public List<GraphProtoWire> Graphs { get; } = new();
    [ProtoMember(20)] public int Type { get; set; }
    [ProtoMember(21)] public string? RefAttrName { get; set; }
}

[ProtoContract]
internal sealed class TensorProtoWire
{
    [ProtoMember(1)] public List<long> Dims { get; } = new();
    [ProtoMember(2)] public int DataType { get; set; }
    [ProtoMember(4, IsPacked = true)] public List<float> FloatData { get; } = new();
    [ProtoMember(5, IsPacked = true)] public List<int> Int32Data { get; } = new();
    [ProtoMember(7, IsPacked = true)] public List<long> Int64Data { get; } = new();
    [ProtoMember(8)] public string? Name { get; set; }
    [ProtoMember(9)] public byte[]? RawData { get; set; }
    [ProtoMember(10, IsPacked = true)] public List<double> DoubleData { get; } = new();
    [ProtoMember(11, IsPacked = true)] public List<ulong> Uint64Data { get; } = new();
    [ProtoMember(13)] public List<StringStringEntryProtoWire> ExternalData { get; } = new();
    [ProtoMember(14)] public int DataLocation { get; set; }
}

[ProtoContract]
internal sealed class StringStringEntryProtoWire
{
    [ProtoMember(1)] public string? Key { get; set; }
    [ProtoMember(2)] public string? Value { get; set; }
}

[ProtoContract]
internal sealed class ValueInfoProtoWire
{
    [ProtoMember(1)] public string? Name { get; set; }
    [ProtoMember(2)] public TypeProtoWire? Type { get; set; }
}

[ProtoContract]
internal sealed class TypeProtoWire
{
    [ProtoMember(1)] public TypeProtoTensorWire? TensorType { get; set; }
    [ProtoMember(4)] public TypeProtoSequenceWire? SequenceType { get; set; }
    [ProtoMember(5)] public TypeProtoMapWire? MapType { get; set; }
    [ProtoMember(9)] public TypeProtoOptionalWire? OptionalType { get; set; }
    [ProtoMember(8)] public TypeProtoTensorWire? SparseTensorType { get; set; }
}

[ProtoContract]
internal sealed class TypeProtoTensorWire
{
    [ProtoMember(1)] public int ElemType { get; set; }
    [ProtoMember(2)] public TensorShapeProtoWire? Shape { get; set; }
}

[ProtoContract]
internal sealed class TypeProtoSequenceWire
{
    [ProtoMember(1)] public TypeProtoWire? ElemType { get; set; }
}

[ProtoContract]
internal sealed class TypeProtoMapWire
{
    [ProtoMember(1)] public int KeyType { get; set; }
    [ProtoMember(2)] public TypeProtoWire? ValueType { get; set; }
}

[ProtoContract]
internal sealed class TypeProtoOptionalWire
{
    [ProtoMember(1)] public TypeProtoWire? ElemType { get; set; }
}

[ProtoContract]
internal sealed class TensorShapeProtoWire
{
    [ProtoMember(1)] public List<TensorShapeDimensionWire> Dim { get; } = new();
}

[ProtoContract]
internal sealed class TensorShapeDimensionWire
{
    [ProtoMember(1)] public long? DimValue { get; set; }
    [ProtoMember(2)] public string? DimParam { get; set; }
}
