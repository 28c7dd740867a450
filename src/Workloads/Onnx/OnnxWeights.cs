using Mantissa.Arch;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Workloads.Onnx;

/// <summary>How a stored ONNX weight maps onto the [output channel, input] matrix that quantizers work on.</summary>
public enum OnnxWeightLayout
{
    /// <summary>Conv weight [M, C/group, kH, kW…]: row m is output channel m (C/group·kH·kW… values).</summary>
    ConvOutputFirst,
    /// <summary>MatMul B or Gemm B without transB: stored [K, N], transposed to [N, K].</summary>
    InputFirst,
    /// <summary>Gemm B with transB=1: stored [N, K] already.</summary>
    OutputFirst,
    /// <summary>Any other constant: rows are the product of all axes but the last.</summary>
    AsStored,
}

/// <summary>A float constant of an ONNX graph, with the operator that consumes it and its matrix layout.</summary>
public sealed record OnnxWeight(OnnxTensor Tensor, string ConsumerOp, OnnxWeightLayout Layout)
{
    public string Name => Tensor.Name;

    /// <summary>True for the weight operand of Conv, MatMul or Gemm (a layer's weight matrix).</summary>
    public bool IsLayerWeight => Layout != OnnxWeightLayout.AsStored;

    /// <summary>
    /// The values as a 2-D [output channel, input] tensor (see <see cref="OnnxWeightLayout"/>), so per-channel scales
    /// are per output channel and groups run along the reduction axis. <paramref name="maxValues"/> keeps the first
    /// rows holding at most that many values (0: all).
    /// </summary>
    public FloatTensor ToMatrix(string modelPath, int maxValues = 0)
    {
        var t = Tensor.ToFloatTensor(modelPath);
        var d = Tensor.Dims;
        long rows, cols;
        float[] values = t.Values;
        switch (Layout)
        {
            case OnnxWeightLayout.InputFirst:
                rows = d[1]; cols = d[0];
                values = Transpose(values, (int)d[0], (int)d[1]);
                break;
            case OnnxWeightLayout.ConvOutputFirst:
            case OnnxWeightLayout.OutputFirst:
                rows = d[0]; cols = rows == 0 ? 0 : values.Length / rows;
                break;
            default:
                cols = d.Count == 0 ? 1 : d[^1];
                rows = cols == 0 ? 0 : values.Length / cols;
                break;
        }
        if (maxValues > 0 && maxValues < values.Length)
        {
            long keepRows = Math.Max(1, maxValues / Math.Max(1, cols));
            if (keepRows * cols > maxValues) { rows = 1; cols = maxValues; } // one row is longer than the cap: a flat prefix
            else rows = keepRows;
            values = values.AsSpan(0, (int)(rows * cols)).ToArray();
        }
        return new FloatTensor(Name, new[] { rows, cols }, values);
    }

    private static float[] Transpose(float[] v, int r, int c)
    {
        var o = new float[v.Length];
        for (int i = 0; i < r; i++)
            for (int j = 0; j < c; j++) o[(long)j * r + i] = v[(long)i * c + j];
        return o;
    }

    /// <summary>
    /// Every floating-point constant of the model's main graph (initializers and Constant-node values) in graph order,
    /// with the layout its first Conv/MatMul/Gemm consumer gives it.
    /// </summary>
    public static IReadOnlyList<OnnxWeight> Find(OnnxModel model)
    {
        var g = model.Graph;
        var layouts = new Dictionary<string, (string Op, OnnxWeightLayout Layout)>();
        foreach (var n in g.Nodes)
        {
            if (n.Inputs.Count < 2 || n.Inputs[1].Length == 0 || layouts.ContainsKey(n.Inputs[1])) continue;
            var layout = n.OpType switch
            {
                "Conv" => OnnxWeightLayout.ConvOutputFirst,
                "MatMul" => OnnxWeightLayout.InputFirst,
                "Gemm" => n.Attribute("transB")?.Int == 1 ? OnnxWeightLayout.OutputFirst : OnnxWeightLayout.InputFirst,
                _ => (OnnxWeightLayout?)null,
            };
            if (layout is { } l) layouts[n.Inputs[1]] = (n.OpType, l);
        }
        var consumers = new Dictionary<string, string>();
        foreach (var n in g.Nodes)
            foreach (var i in n.Inputs)
                if (i.Length > 0) consumers.TryAdd(i, n.OpType);

        var list = new List<OnnxWeight>();
        foreach (var t in g.ConstantTensors())
        {
            if (!t.IsFloatingPoint) continue;
            if (layouts.TryGetValue(t.Name, out var w) && LayoutFits(w.Layout, t.Dims))
                list.Add(new OnnxWeight(t, w.Op, w.Layout));
            else
                list.Add(new OnnxWeight(t, consumers.GetValueOrDefault(t.Name, ""), OnnxWeightLayout.AsStored));
        }
        return list;
    }

    private static bool LayoutFits(OnnxWeightLayout l, IReadOnlyList<long> dims) => l switch
    {
        OnnxWeightLayout.ConvOutputFirst => dims.Count >= 3,
        _ => dims.Count == 2, // a batched (rank > 2) MatMul operand is not one weight matrix
    };

    /// <summary>
    /// The weight called <paramref name="name"/>, or with no name the largest layer weight (the largest float constant
    /// when the graph has no Conv/MatMul/Gemm weight).
    /// </summary>
    public static OnnxWeight Select(OnnxModel model, string? name)
    {
        var all = Find(model);
        if (all.Count == 0) throw new MantissaException($"{model.Path}: the model holds no floating-point initializer or Constant tensor");
        if (name is null)
        {
            var layers = all.Where(w => w.IsLayerWeight).ToList();
            var pool = layers.Count > 0 ? layers : all.ToList();
            return pool.Aggregate((best, w) => w.Tensor.ElementCount > best.Tensor.ElementCount ? w : best);
        }
        var hit = all.FirstOrDefault(w => w.Name == name);
        if (hit is not null) return hit;
        var other = model.Graph.ConstantTensors().FirstOrDefault(t => t.Name == name);
        if (other is not null)
            throw new MantissaException($"{model.Path}: tensor '{name}' has element type {other.DataType}; only FLOAT, FLOAT16, BFLOAT16 and DOUBLE tensors can be quantized");
        var names = all.OrderBy(w => w.IsLayerWeight ? 0 : 1).Take(40).Select(w => $"{w.Name} {w.Tensor.ShapeText}");
        throw new MantissaException($"{model.Path}: no tensor named '{name}'; the model holds: {string.Join(", ", names)}{(all.Count > 40 ? $", ... ({all.Count - 40} more)" : "")}");
    }
}
