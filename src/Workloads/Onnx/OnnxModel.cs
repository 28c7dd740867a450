namespace Mantissa.Workloads.Onnx;

/// <summary>An ONNX model as read from a file: IR version, producer, imported operator sets and the main graph.</summary>
public sealed record OnnxModel(
    string Path, long IrVersion, string ProducerName, string ProducerVersion,
    IReadOnlyList<OnnxOpset> Opsets, OnnxGraph Graph)
{
    /// <summary>Version of the default (ai.onnx) operator set, or null when the model does not import it.</summary>
    public long? DefaultOpset => Opsets.FirstOrDefault(o => o.Domain is "" or "ai.onnx")?.Version;
}

/// <summary>One imported operator set: domain ("" is the default ai.onnx domain) and version.</summary>
public sealed record OnnxOpset(string Domain, long Version);

/// <summary>An ONNX graph: nodes in the file's (topological) order, initializers, and the graph's inputs, outputs and value infos.</summary>
public sealed record OnnxGraph(
    string Name, IReadOnlyList<OnnxNode> Nodes, IReadOnlyList<OnnxTensor> Initializers,
    IReadOnlyList<OnnxValueInfo> Inputs, IReadOnlyList<OnnxValueInfo> Outputs, IReadOnlyList<OnnxValueInfo> ValueInfo)
{
    /// <summary>
    /// Every constant tensor of the graph by value name: the initializers and the outputs of <c>Constant</c> nodes with a
    /// <c>value</c> tensor (exporters such as Paddle2ONNX store all weights that way). Initializers come first.
    /// </summary>
    public IReadOnlyList<OnnxTensor> ConstantTensors()
    {
        var list = new List<OnnxTensor>(Initializers);
        foreach (var n in Nodes)
        {
            if (n.OpType != "Constant" || n.Outputs.Count != 1) continue;
            var value = n.Attributes.FirstOrDefault(a => a.Name == "value" && a.Type == OnnxAttributeType.Tensor)?.Tensor;
            if (value is not null) list.Add(value with { Name = n.Outputs[0] });
        }
        return list;
    }
}

/// <summary>One node: operator type and domain, input and output value names (an empty name is an omitted optional input), attributes.</summary>
public sealed record OnnxNode(
    string Name, string OpType, string Domain, IReadOnlyList<string> Inputs, IReadOnlyList<string> Outputs,
    IReadOnlyList<OnnxAttribute> Attributes)
{
    public OnnxAttribute? Attribute(string name) => Attributes.FirstOrDefault(a => a.Name == name);
}

/// <summary>A node attribute; exactly the field named by <see cref="Type"/> is meaningful.</summary>
public sealed record OnnxAttribute(
    string Name, OnnxAttributeType Type, float Float, long Int, string String,
    IReadOnlyList<float> Floats, IReadOnlyList<long> Ints, IReadOnlyList<string> Strings,
    OnnxTensor? Tensor, IReadOnlyList<OnnxTensor> Tensors, OnnxGraph? Graph, IReadOnlyList<OnnxGraph> Graphs);

/// <summary>A graph input, output or intermediate value: name, element type and shape (null when the file gives no shape).</summary>
public sealed record OnnxValueInfo(string Name, OnnxDataType ElemType, IReadOnlyList<OnnxDim>? Shape);

/// <summary>One dimension of a value's shape: a fixed size, a symbolic name, or unknown (both null).</summary>
public sealed record OnnxDim(long? Value, string? Param)
{
    public override string ToString() => Value?.ToString() ?? Param ?? "?";
}
