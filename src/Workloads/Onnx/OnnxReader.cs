using System.Globalization;
using System.Text;
using Mantissa.Arch;
using ProtoBuf;

namespace Mantissa.Workloads.Onnx;

/// <summary>
/// Reads an ONNX model file (a protobuf-encoded ModelProto, per the ONNX specification's onnx.proto) into an
/// <see cref="OnnxModel"/>. Truncated or non-ONNX files are refused with an error naming the path.
/// </summary>
public static class OnnxReader
{
    // protobuf's own limit for one message; ONNX models larger than this must use external data.
    private const long MaxModelBytes = int.MaxValue;

    /// <summary>Parses the model at <paramref name="path"/>.</summary>
    public static OnnxModel Read(string path)
    {
        if (!File.Exists(path) && !Directory.Exists(path)) throw new MantissaException($"{path}: file not found");
        InputFile.RequireRegular(path, "ONNX model");
        long length = new FileInfo(path).Length;
        if (length == 0) throw new MantissaException($"{path}: not an ONNX model: the file is empty");
        if (length > MaxModelBytes)
            throw new MantissaException($"{path}: {length} bytes is larger than one protobuf message may be (2 GiB); save the model with external data");
        ModelProtoWire wire;
        try
        {
            using var fs = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            wire = Serializer.Deserialize<ModelProtoWire>(fs);
        }
        catch (Exception e) when (e is ProtoException or EndOfStreamException or InvalidOperationException or OverflowException or ArgumentException)
        {
            throw new MantissaException($"{path}: not an ONNX model or truncated: the protobuf data does not parse ({e.Message})");
        }
        // Arbitrary bytes can parse as a protobuf message by chance; a model must name its IR version and have a graph.
        if (wire.IrVersion <= 0 || wire.Graph is null)
            throw new MantissaException($"{path}: not an ONNX model: no {(wire.IrVersion <= 0 ? "ir_version" : "graph")} field (ModelProto fields 1 and 7)");
        return new OnnxModel(
            path, wire.IrVersion, wire.ProducerName ?? "", wire.ProducerVersion ?? "",
            wire.OpsetImport.Select(o => new OnnxOpset(o.Domain ?? "", o.Version)).ToList(),
            Graph(path, wire.Graph));
    }

    private static OnnxGraph Graph(string path, GraphProtoWire g) => new(
        g.Name ?? "",
        g.Node.Select(n => Node(path, n)).ToList(),
        g.Initializer.Select(t => Tensor(path, t)).ToList(),
        g.Input.Select(ValueInfo).ToList(),
        g.Output.Select(ValueInfo).ToList(),
        g.ValueInfo.Select(ValueInfo).ToList());

    private static OnnxNode Node(string path, NodeProtoWire n) => new(
        n.Name ?? "", n.OpType ?? "", n.Domain ?? "", n.Input.ToList(), n.Output.ToList(),
        n.Attribute.Select(a => Attribute(path, a)).ToList());

    private static OnnxAttribute Attribute(string path, AttributeProtoWire a) => new(
        a.Name ?? "", (OnnxAttributeType)a.Type, a.F, a.I, a.S is null ? "" : Encoding.UTF8.GetString(a.S),
        a.Floats.ToArray(), a.Ints.ToArray(), a.Strings.Select(s => Encoding.UTF8.GetString(s)).ToList(),
        a.T is null ? null : Tensor(path, a.T), a.Tensors.Select(t => Tensor(path, t)).ToList(),
        a.G is null ? null : Graph(path, a.G), a.Graphs.Select(g => Graph(path, g)).ToList());

    private static OnnxTensor Tensor(string path, TensorProtoWire t)
    {
        string name = t.Name ?? "";
        foreach (var d in t.Dims)
            if (d < 0) throw new MantissaException($"{path}: tensor '{name}' has negative dimension {d} in dims [{string.Join(", ", t.Dims)}]");
        OnnxExternalData? external = null;
        OnnxTensorStorage storage;
        const int External = 1; // TensorProto.DataLocation.EXTERNAL
        if (t.DataLocation == External)
        {
            external = ExternalData(path, name, t.ExternalData);
            storage = OnnxTensorStorage.External;
        }
        else if (t.RawData is not null) storage = OnnxTensorStorage.Raw;
        else if (t.FloatData.Count + t.Int32Data.Count + t.Int64Data.Count + t.DoubleData.Count + t.Uint64Data.Count > 0) storage = OnnxTensorStorage.Typed;
        else storage = OnnxTensorStorage.Absent;
        return new OnnxTensor(name, t.Dims.ToArray(), (OnnxDataType)t.DataType, storage, t.RawData,
            t.FloatData.ToArray(), t.Int32Data.ToArray(), t.Int64Data.ToArray(), t.DoubleData.ToArray(), t.Uint64Data.ToArray(), external);
    }

    private static OnnxExternalData ExternalData(string path, string name, List<StringStringEntryProtoWire> entries)
    {
        string? location = null;
        long offset = 0;
        long? length = null;
        foreach (var e in entries)
        {
            switch (e.Key)
            {
                case "location": location = e.Value; break;
                case "offset": offset = ParseCount(path, name, "offset", e.Value); break;
                case "length": length = ParseCount(path, name, "length", e.Value); break;
            }
        }
        if (string.IsNullOrEmpty(location))
            throw new MantissaException($"{path}: tensor '{name}' is stored externally but its external_data has no 'location'");
        return new OnnxExternalData(location, offset, length);
    }

    private static long ParseCount(string path, string name, string key, string? value) =>
        long.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out long v) ? v
            : throw new MantissaException($"{path}: tensor '{name}': external_data '{key}' must be a non-negative integer, got '{value}'");

    private static OnnxValueInfo ValueInfo(ValueInfoProtoWire v)
    {
        var tensor = v.Type?.TensorType ?? v.Type?.SparseTensorType;
        IReadOnlyList<OnnxDim>? shape = tensor?.Shape?.Dim.Select(d => new OnnxDim(d.DimValue, d.DimParam)).ToList();
        return new OnnxValueInfo(v.Name ?? "", (OnnxDataType)(tensor?.ElemType ?? 0), shape);
    }
}
