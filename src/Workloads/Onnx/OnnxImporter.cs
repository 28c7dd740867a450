using System.Buffers.Binary;
using Mantissa.Arch;

namespace Mantissa.Workloads.Onnx;

/// <summary>
/// Turns an ONNX graph into the same operator DAG the builders make. Only shapes are needed: initializers may be
/// external or absent. Shapes are inferred node by node from the graph inputs and the initializer dims; small integer
/// tensors (the shape operands of Reshape, Slice, ...) are evaluated where they are computed from shapes and constants.
/// Reshape, Flatten, Transpose, Squeeze/Unsqueeze, Identity, Dropout, Cast and slices of activations are views (no
/// operator). An operator outside the supported set is an error listing every such op type with its count.
/// </summary>
internal sealed class OnnxImporter
{
    private static readonly HashSet<string> Supported = new(StringComparer.Ordinal)
    {
        "Conv", "Gemm", "MatMul", "BatchNormalization", "Relu", "Sigmoid", "Tanh", "Erf", "Gelu", "Clip", "HardSigmoid",
        "HardSwish", "LeakyRelu", "Add", "Sub", "Mul", "Div", "Pow", "Sqrt", "MaxPool", "AveragePool", "GlobalAveragePool",
        "Concat", "Split", "Slice", "Gather", "Reshape", "Flatten", "Transpose", "Squeeze", "Unsqueeze", "Softmax",
        "LayerNormalization", "Identity", "Dropout", "Constant", "Shape", "Cast",
    };

    private readonly OnnxModel _m;
    private readonly GraphBuilder _g;
    private readonly WorkloadOptions _o;
    private readonly Dictionary<string, OnnxTensor> _consts = new(StringComparer.Ordinal);
    private readonly HashSet<string> _initializers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorSpec> _acts = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long[]> _ints = new(StringComparer.Ordinal);
    private readonly HashSet<string> _names = new(StringComparer.Ordinal);

    private OnnxImporter(OnnxModel m, PrecisionRecipe recipe, WorkloadOptions o)
    {
        _m = m;
        _o = o;
        _g = new GraphBuilder(recipe);
    }

    public static Workload Import(string path, WorkloadOptions o, PrecisionRecipe recipe)
    {
        if (o.Phase == Phase.Decode) throw new MantissaException($"{path}: an ONNX graph is one forward pass; --phase decode does not apply");
        if (o.Seq is not null || o.Kv is not null) throw new MantissaException($"{path}: an ONNX graph fixes its own shapes; --seq and --kv do not apply");
        if (o.Causal) throw new MantissaException($"{path}: --causal applies to decoder LLMs built from a config.json, not to an ONNX graph");
        var m = OnnxReader.Read(path);
        var unsupported = m.Graph.Nodes.Where(n => !Supported.Contains(n.OpType) || n.Domain is not ("" or "ai.onnx"))
                           .GroupBy(n => n.Domain is "" or "ai.onnx" ? n.OpType : $"{n.Domain}.{n.OpType}")
                           .Select(gr => $"{gr.Key} ({gr.Count()})").ToList();
        if (unsupported.Count > 0)
            throw new MantissaException($"{path}: unsupported ONNX operators: {string.Join(", ", unsupported)}; supported: {string.Join(", ", Supported.Order(StringComparer.Ordinal))}");
        var im = new OnnxImporter(m, recipe, o);
        return im.Run();
    }

    private Workload Run()
    {
        foreach (var t in _m.Graph.ConstantTensors())
        {
            _consts[t.Name] = t;
            if (Ints(t) is { } v) _ints[t.Name] = v;
        }
        foreach (var t in _m.Graph.Initializers) _initializers.Add(t.Name);
        foreach (var vi in _m.Graph.Inputs.Where(i => !_consts.ContainsKey(i.Name)))
            _acts[vi.Name] = _g.Input(vi.Name, InputShape(vi));
        if (_acts.Count == 0) throw new MantissaException($"{_m.Path}: the graph has no inputs besides its initializers");
        foreach (var n in _m.Graph.Nodes)
        {
            try { Node(n); }
            catch (MantissaException e) when (!e.Message.StartsWith(_m.Path, StringComparison.Ordinal))
            {
                throw new MantissaException($"{_m.Path}: node '{n.Name}' ({n.OpType}): {e.Message}");
            }
        }
        string name = Path.GetFileNameWithoutExtension(_m.Path);
        bool vision = _m.Graph.Nodes.Any(n => n.OpType == "Conv");
        var unit = vision ? WorkUnit.Frame : WorkUnit.Token;
        var graph = _g.Build();
        var first = _m.Graph.Inputs.First(i => !_consts.ContainsKey(i.Name));
        long produced = vision ? _o.Batch : InputShape(first).Take(Math.Max(1, InputShape(first).Length - 1)).Aggregate(1L, (a, b) => a * b);
        return new Workload(name, vision ? WorkloadKind.Cnn : WorkloadKind.Custom, Phase.Prefill, _o.Batch, 0, 0, produced, _g.Recipe, graph, _g.StoredWeights) { Unit = unit };
    }

    /// <summary>Dims of a graph input: fixed sizes as given; a symbolic first dimension takes --batch.</summary>
    private long[] InputShape(OnnxValueInfo vi)
    {
        if (vi.Shape is null) throw new MantissaException($"{_m.Path}: graph input '{vi.Name}' has no shape");
        var dims = new long[vi.Shape.Count];
        for (int i = 0; i < dims.Length; i++)
        {
            var d = vi.Shape[i];
            if (d.Value is { } v and > 0) dims[i] = i == 0 && _o.Batch != 1 && v == 1 ? _o.Batch : v;
            else if (i == 0) dims[i] = _o.Batch;
            else if (dims.Length == 4 && i >= 2) dims[i] = _o.ImageSize;   // an image's height and width: --image
            else throw new MantissaException($"{_m.Path}: graph input '{vi.Name}' dimension {i} is '{d}'; only the batch (first) and an image's height and width may be symbolic");
            if (i == 0 && d.Value is { } fixedBatch and > 1 && _o.Batch != 1 && fixedBatch != _o.Batch)
                throw new MantissaException($"{_m.Path}: graph input '{vi.Name}' fixes the batch to {fixedBatch}; --batch {_o.Batch} does not apply");
        }
        return dims;
    }

    private string OpName(OnnxNode n, string? weight = null)
    {
        // A layer with a weight such as "layer1.0.conv1.weight" takes the module's name, as the builders do.
        string name = weight is not null && weight.EndsWith(".weight", StringComparison.Ordinal) && !weight.StartsWith("onnx::", StringComparison.Ordinal)
            ? weight[..^7] : n.Name.StartsWith('/') ? ModulePath(n.Name, n.OpType) : n.Name.Length > 0 ? n.Name : n.Outputs[0];
        string unique = name;
        for (int i = 2; !_names.Add(unique); i++) unique = $"{name}_{i}";
        return unique;
    }

    /// <summary>
    /// A PyTorch exporter node name (<c>/layer1/layer1.0/relu_1/Relu</c>: module scopes, then the op type) as a dotted
    /// module path (<c>layer1.0.relu_1</c>); the op type is appended when the module is not named after it (<c>layer1.0.add</c>).
    /// </summary>
    private static string ModulePath(string nodeName, string opType)
    {
        var seg = nodeName.Trim('/').Split('/');
        var mods = seg[..^1];
        int q = Array.FindLastIndex(mods, m => m.Contains('.'));
        string path = q < 0 ? string.Join(".", mods) : string.Join(".", mods[q..]);
        string op = opType.ToLowerInvariant();
        string last = mods.Length == 0 ? "" : mods[^1];
        if (path.Length == 0) return op;
        return q == mods.Length - 1 || !(last == op || last.StartsWith(op + "_", StringComparison.Ordinal)) ? $"{path}.{op}" : path;
    }

    private TensorSpec Act(OnnxNode n, int i)
    {
        string v = n.Inputs[i];
        return _acts.TryGetValue(v, out var t) ? t : throw new MantissaException($"input '{v}' is not an activation computed earlier" + (_consts.ContainsKey(v) ? " (it is a constant)" : ""));
    }

    private OnnxTensor? Const(OnnxNode n, int i) => i < n.Inputs.Count && n.Inputs[i].Length > 0 ? _consts.GetValueOrDefault(n.Inputs[i]) : null;

    private long[] IntsOf(OnnxNode n, int i) => i < n.Inputs.Count && _ints.TryGetValue(n.Inputs[i], out var v) ? v
        : throw new MantissaException($"input {i} ('{(i < n.Inputs.Count ? n.Inputs[i] : "")}') must be a constant integer tensor or computed from shapes");

    private long IntAttr(OnnxNode n, string a, long dflt) => n.Attribute(a) is { } x ? x.Int : dflt;
    private long[] IntsAttr(OnnxNode n, string a) => n.Attribute(a)?.Ints.ToArray() ?? Array.Empty<long>();

    private void Out(OnnxNode n, TensorSpec t, int i = 0) => _acts[n.Outputs[i]] = t;

    private TensorSpec Weight(string onnxName, string stem, long[] shape, bool vector) =>
        vector ? _g.Recipe.For(stem).VectorParam(onnxName, shape) : _g.Recipe.For(stem).Weight(onnxName, shape);

    private void Node(OnnxNode n)
    {
        // Integer shape arithmetic (Shape -> Gather -> Unsqueeze -> Concat -> Reshape) is evaluated, not costed.
        if (TryInts(n)) return;
        switch (n.OpType)
        {
            case "Constant": return;
            case "Identity" or "Dropout" or "Cast":
                if (_consts.TryGetValue(n.Inputs[0], out var c))
                {
                    // the exporter shares one initializer among equal-valued parameters: each use is its own parameter
                    _consts[n.Outputs[0]] = c with { Name = n.Outputs[0] };
                    if (_initializers.Contains(n.Inputs[0])) _initializers.Add(n.Outputs[0]);
                }
                else Out(n, Act(n, 0));
                return;
            case "Conv": Conv(n); return;
            case "Gemm" or "MatMul": Gemm(n); return;
            case "BatchNormalization":
            {
                var scale = Const(n, 1) ?? throw new MantissaException("scale must be an initializer");
                Out(n, _g.BatchNorm(OpName(n, scale.Name), Act(n, 0)));
                return;
            }
            case "LayerNormalization":
            {
                var x = Act(n, 0);
                long axis = IntAttr(n, "axis", -1);
                if (axis != -1 && axis != x.Shape.Length - 1) throw new MantissaException($"LayerNormalization over axis {axis} is not modelled (only the last axis)");
                var scale = Const(n, 1) ?? throw new MantissaException("scale must be an initializer");
                string name = OpName(n, scale.Name);
                var ps = new List<TensorSpec> { Weight(scale.Name, name, scale.Dims.ToArray(), true) };
                if (Const(n, 2) is { } b) ps.Add(Weight(b.Name, name, b.Dims.ToArray(), true));
                Out(n, _g.Unary(name, OpKind.LayerNorm, x, "ln", 6, ps));
                return;
            }
            case "Relu" or "Sigmoid" or "Tanh" or "Erf" or "Gelu" or "HardSigmoid" or "HardSwish" or "LeakyRelu" or "Sqrt" or "Clip":
            {
                string fn = n.OpType switch { "Relu" => "relu", "Clip" => ClipName(n), "Gelu" => "gelu", "Sigmoid" => "sigmoid", _ => n.OpType.ToLowerInvariant() };
                Out(n, _g.Activation(OpName(n), Act(n, 0), fn));
                return;
            }
            case "Add" or "Sub" or "Mul" or "Div" or "Pow": Binary(n); return;
            case "MaxPool" or "AveragePool":
            {
                var x = Act(n, 0);
                var k = IntsAttr(n, "kernel_shape");
                if (k.Length != 2 || x.Shape.Length != 4)
                    throw new MantissaException($"only 2-D pooling over NCHW is modelled, got kernel_shape [{string.Join(",", k)}] on input [{x.ShapeText}]");
                Out(n, _g.Pool(OpName(n), x, Window(n, k[0], k[1], IntAttr(n, "ceil_mode", 0) != 0), n.OpType == "MaxPool" ? "max" : "avg"));
                return;
            }
            case "GlobalAveragePool":
            {
                var x = Act(n, 0);
                var y = _g.Pool(OpName(n), x, 0, 1, 0, "avg");
                Out(n, GraphBuilder.Reshape(y, x.Shape[0], x.Shape[1], 1, 1));
                return;
            }
            case "Softmax": Out(n, _g.Softmax(OpName(n), Act(n, 0))); return;
            case "Flatten":
            {
                var x = Act(n, 0);
                int axis = Axis(IntAttr(n, "axis", 1), x.Shape.Length);
                long outer = x.Shape[..axis].Aggregate(1L, (a, b) => a * b);
                Out(n, GraphBuilder.Reshape(x, outer, x.Elements / outer));
                return;
            }
            case "Reshape": Out(n, GraphBuilder.Reshape(Act(n, 0), ReshapeTo(Act(n, 0).Shape, IntsOf(n, 1)))); return;
            case "Transpose":
            {
                var x = Act(n, 0);
                var perm = IntsAttr(n, "perm");
                if (perm.Length == 0) perm = Enumerable.Range(0, x.Shape.Length).Reverse().Select(i => (long)i).ToArray();
                Out(n, GraphBuilder.Reshape(x, perm.Select(p => x.Shape[p]).ToArray()));
                return;
            }
            case "Squeeze" or "Unsqueeze": Out(n, GraphBuilder.Reshape(Act(n, 0), SqueezeTo(n, Act(n, 0).Shape))); return;
            case "Slice": Out(n, Act(n, 0) with { Shape = SliceShape(n, Act(n, 0).Shape) }); return;
            case "Split": Split(n); return;
            case "Gather": Gather(n); return;
            case "Concat": Concat(n); return;
            case "Shape": throw new MantissaException("the shape of this input is not known");
        }
        throw new MantissaException("not handled");
    }

    private string ClipName(OnnxNode n)
    {
        double? lo = Const(n, 1) is { } a ? Scalar(a) : null, hi = Const(n, 2) is { } b ? Scalar(b) : null;
        return lo == 0 && hi == 6 ? "relu6" : lo == 0 && hi is null ? "relu" : "clip";
    }

    private double? Scalar(OnnxTensor t) => t.ElementCount == 1 && t.IsFloatingPoint && t.Storage != OnnxTensorStorage.External ? t.ToFloatTensor(_m.Path).Values[0] : null;

    private void Conv(OnnxNode n)
    {
        var x = Act(n, 0);
        var w = Const(n, 1) ?? throw new MantissaException("the weight must be an initializer");
        if (w.Dims.Count != 4 || x.Shape.Length != 4) throw new MantissaException($"only 2-D convolutions are modelled; weight {w.ShapeText}");
        string name = OpName(n, w.Name);
        Out(n, _g.Conv2d(name, x, w.Dims[0], Window(n, w.Dims[2], w.Dims[3], ceil: false), (int)IntAttr(n, "group", 1), Const(n, 2) is not null, w.Name));
    }

    /// <summary>The window of a Conv or pool node: strides, pads (top, left, bottom, right) and dilations, per axis.</summary>
    private Window2d Window(OnnxNode n, long kh, long kw, bool ceil)
    {
        var s = IntsAttr(n, "strides");
        var p = IntsAttr(n, "pads");
        var d = IntsAttr(n, "dilations");
        if (s.Length is not (0 or 2) || p.Length is not (0 or 4) || d.Length is not (0 or 2))
            throw new MantissaException($"a 2-D window takes 2 strides, 4 pads and 2 dilations, got strides [{string.Join(",", s)}], pads [{string.Join(",", p)}], dilations [{string.Join(",", d)}]");
        if (s.Any(v => v < 1) || d.Any(v => v < 1) || p.Any(v => v < 0) || s.Concat(p).Concat(d).Append(kh).Append(kw).Any(v => v > 1 << 20))
            throw new MantissaException($"strides and dilations must be positive and pads non-negative (each at most 2^20), got strides [{string.Join(",", s)}], pads [{string.Join(",", p)}], dilations [{string.Join(",", d)}]");
        int sh = s.Length > 0 ? (int)s[0] : 1, sw = s.Length > 0 ? (int)s[1] : 1;
        int dh = d.Length > 0 ? (int)d[0] : 1, dw = d.Length > 0 ? (int)d[1] : 1;
        var pads = p.Length > 0 ? p.Select(v => (int)v).ToArray() : new int[4];
        if (n.Attribute("auto_pad") is { } ap && ap.String is not ("" or "NOTSET"))
            throw new MantissaException($"auto_pad {ap.String} is not modelled; export with explicit pads");
        return new Window2d((int)kh, (int)kw, sh, sw, pads[0], pads[1], pads[2], pads[3], dh, dw, ceil);
    }

    private void Gemm(OnnxNode n)
    {
        var a = Act(n, 0);
        if (n.OpType == "Gemm" && IntAttr(n, "transA", 0) != 0) throw new MantissaException("transA = 1 is not modelled");
        if (Const(n, 1) is not { } w)
        {
            if (n.OpType == "Gemm") throw new MantissaException("B must be an initializer (a weight)");
            Out(n, _g.MatMul(OpName(n), a, Act(n, 1)));
            return;
        }
        bool transB = n.OpType == "Gemm" && IntAttr(n, "transB", 0) != 0;
        if (w.Dims.Count != 2) throw new MantissaException($"weight {w.ShapeText} must be 2-D");
        long k = transB ? w.Dims[1] : w.Dims[0], outF = transB ? w.Dims[0] : w.Dims[1];
        if (a.Shape[^1] != k) throw new MantissaException($"input [{a.ShapeText}] does not match weight {w.ShapeText}");
        Out(n, _g.Linear(OpName(n, w.Name), a, outF, n.OpType == "Gemm" && Const(n, 2) is not null));
    }

    private void Binary(OnnxNode n)
    {
        bool c0 = _consts.ContainsKey(n.Inputs[0]), c1 = _consts.ContainsKey(n.Inputs[1]);
        string fn = n.OpType.ToLowerInvariant();
        if (!c0 && !c1)
        {
            var (a, b) = (Act(n, 0), Act(n, 1));
            var shape = Broadcast(a.Shape, b.Shape);
            Out(n, _g.Binary(OpName(n), a.Elements >= b.Elements ? a : b, a.Elements >= b.Elements ? b : a, fn, shape));
            return;
        }
        if (c0 && c1) throw new MantissaException("both operands are constants (fold them before export)");
        var x = Act(n, c0 ? 1 : 0);
        var k = _consts[n.Inputs[c0 ? 0 : 1]];
        string name = OpName(n);
        // an initializer operand (a bias, a learned scale) is a parameter; a Constant-node scalar is not
        var ps = _initializers.Contains(k.Name) && k.ElementCount > 1 ? new[] { Weight(k.Name, name, k.Dims.ToArray(), true) } : null;
        Out(n, _g.Unary(name, OpKind.Elementwise, x, fn, 1, ps));
    }

    private void Split(OnnxNode n)
    {
        var x = Act(n, 0);
        int axis = Axis(IntAttr(n, "axis", 0), x.Shape.Length);
        long[] sizes = n.Inputs.Count > 1 && n.Inputs[1].Length > 0 ? IntsOf(n, 1)
            : IntsAttr(n, "split") is { Length: > 0 } sa ? sa
            : Enumerable.Repeat(x.Shape[axis] / n.Outputs.Count, n.Outputs.Count).ToArray();
        for (int i = 0; i < n.Outputs.Count; i++)
        {
            var shape = (long[])x.Shape.Clone();
            shape[axis] = sizes[i];
            Out(n, x with { Shape = shape }, i);
        }
    }

    private void Gather(OnnxNode n)
    {
        if (Const(n, 0) is { } table)
        {
            // an embedding lookup: a weight table gathered by activation indices
            var ids = Act(n, 1);
            if (table.Dims.Count != 2 || IntAttr(n, "axis", 0) != 0) throw new MantissaException($"only row lookups in a 2-D table are modelled, table {table.ShapeText}");
            string name = OpName(n, table.Name);
            Out(n, _g.Embedding(name, ids, table.Dims[0], table.Dims[1], table.Name));
            return;
        }
        var x = Act(n, 0);
        int axis = Axis(IntAttr(n, "axis", 0), x.Shape.Length);
        var idx = IntsOf(n, 1);
        bool scalar = _consts.TryGetValue(n.Inputs[1], out var it) ? it.Dims.Count == 0 : idx.Length == 1;
        var shape = x.Shape.Take(axis).Concat(scalar ? Array.Empty<long>() : new long[] { idx.Length }).Concat(x.Shape.Skip(axis + 1)).ToArray();
        Out(n, x with { Shape = shape });
    }

    private void Concat(OnnxNode n)
    {
        var parts = n.Inputs.Select((v, i) => _acts.TryGetValue(v, out var t) ? t : throw new MantissaException($"input '{v}' is not an activation")).ToList();
        int axis = Axis(IntAttr(n, "axis", 0), parts[0].Shape.Length);
        var shape = (long[])parts[0].Shape.Clone();
        shape[axis] = parts.Sum(p => p.Shape[axis]);
        string name = OpName(n);
        var lp = _g.Recipe.For(name);
        var y = lp.VectorTensor(name + ".out", shape);
        _g.Add(new Operator(name, OpKind.Elementwise, parts.Select(_g.Stored).DistinctBy(t => t.Name).ToList(), new[] { y }) { VectorOps = y.Elements, Detail = "concat" });
        Out(n, y);
    }

    /// <summary>Evaluates integer shape arithmetic when every input's value is known; false when the node is real work.</summary>
    private bool TryInts(OnnxNode n)
    {
        if (n.OpType == "Shape" && _acts.TryGetValue(n.Inputs[0], out var st))
        {
            _ints[n.Outputs[0]] = st.Shape.ToArray();
            return true;
        }
        if (n.OpType is "Conv" or "Gemm" or "MatMul" or "Constant" || n.Inputs.Count == 0) return false;
        var ins = n.Inputs.Where(v => v.Length > 0).ToList();
        if (!_ints.ContainsKey(ins[0])) return false;
        if (n.OpType is not ("Gather" or "Unsqueeze" or "Squeeze" or "Concat" or "Cast" or "Identity" or "Slice" or "Mul" or "Div" or "Add" or "Sub" or "Reshape"))
            return false;
        if (!ins.All(_ints.ContainsKey)) return false;
        long[] V(int i) => _ints[n.Inputs[i]];
        long[] r = n.OpType switch
        {
            "Gather" => V(1).Select(i => V(0)[i < 0 ? i + V(0).Length : i]).ToArray(),
            "Concat" => n.Inputs.SelectMany(v => _ints[v]).ToArray(),
            "Slice" => SliceInts(V(0), SliceArgs(n, V)),
            "Mul" => Zip(V(0), V(1), (a, b) => a * b),
            "Div" => Zip(V(0), V(1), (a, b) => a / b),
            "Add" => Zip(V(0), V(1), (a, b) => a + b),
            "Sub" => Zip(V(0), V(1), (a, b) => a - b),
            _ => V(0),
        };
        _ints[n.Outputs[0]] = r;
        return true;
    }

    private static long[] Zip(long[] a, long[] b, Func<long, long, long> f) =>
        a.Length == b.Length ? a.Zip(b, f).ToArray() : a.Length == 1 ? b.Select(x => f(a[0], x)).ToArray() : a.Select(x => f(x, b[0])).ToArray();

    private static long[] SliceInts(long[] v, (long[] Starts, long[] Ends, long[]? Axes, long[]? Steps) slice)
    {
        var (starts, ends, axes, steps) = slice;
        if (axes is { } ax && (ax.Length != 1 || ax[0] != 0)) throw new MantissaException("slicing an integer vector along axis != 0");
        if (steps is { } st && st.Any(s => s != 1)) throw new MantissaException("slice steps other than 1 are not modelled");
        long n = v.Length, s0 = Clamp(starts[0], n), e0 = Clamp(ends[0], n);
        return v[(int)s0..(int)Math.Max(s0, e0)];
    }

    private static long Clamp(long i, long n) => Math.Clamp(i < 0 ? i + n : i, 0, n);

    /// <summary>
    /// Starts, ends, axes and steps of a Slice: inputs 1-4 from opset 10 on, the <c>starts</c>/<c>ends</c>/<c>axes</c>
    /// attributes before (opset 1-9, e.g. Paddle2ONNX exports); absent axes and steps are null.
    /// </summary>
    private (long[] Starts, long[] Ends, long[]? Axes, long[]? Steps) SliceArgs(OnnxNode n, Func<int, long[]> input)
    {
        if (n.Inputs.Count == 1)
        {
            if (n.Attribute("starts") is null || n.Attribute("ends") is null) throw new MantissaException("a Slice needs starts and ends (inputs from opset 10, attributes before)");
            return (IntsAttr(n, "starts"), IntsAttr(n, "ends"), n.Attribute("axes") is null ? null : IntsAttr(n, "axes"), null);
        }
        if (n.Inputs.Count < 3) throw new MantissaException($"a Slice takes data, starts and ends, got {n.Inputs.Count} input(s)");
        bool Has(int i) => n.Inputs.Count > i && n.Inputs[i].Length > 0;
        return (input(1), input(2), Has(3) ? input(3) : null, Has(4) ? input(4) : null);
    }

    private long[] SliceShape(OnnxNode n, long[] shape)
    {
        var (starts, ends, axesOrNull, stepsOrNull) = SliceArgs(n, i => IntsOf(n, i));
        var axes = axesOrNull ?? Enumerable.Range(0, starts.Length).Select(i => (long)i).ToArray();
        var steps = stepsOrNull ?? Enumerable.Repeat(1L, starts.Length).ToArray();
        var r = (long[])shape.Clone();
        for (int i = 0; i < axes.Length; i++)
        {
            int a = Axis(axes[i], shape.Length);
            if (steps[i] != 1) throw new MantissaException("slice steps other than 1 are not modelled");
            long s = Clamp(starts[i], shape[a]), e = Clamp(ends[i], shape[a]);
            r[a] = Math.Max(0, e - s);
        }
        return r;
    }

    private long[] SqueezeTo(OnnxNode n, long[] shape)
    {
        var axes = n.Inputs.Count > 1 ? IntsOf(n, 1) : IntsAttr(n, "axes");
        if (n.OpType == "Squeeze")
        {
            var drop = axes.Length == 0 ? Enumerable.Range(0, shape.Length).Where(i => shape[i] == 1).ToHashSet()
                                        : axes.Select(a => Axis(a, shape.Length)).ToHashSet();
            return shape.Where((_, i) => !drop.Contains(i)).ToArray();
        }
        var r = shape.ToList();
        int rank = shape.Length + axes.Length;
        foreach (var a in axes.Select(a => Axis(a, rank)).Order()) r.Insert(a, 1);
        return r.ToArray();
    }

    private static long[] ReshapeTo(long[] from, long[] to)
    {
        var r = new long[to.Length];
        long total = from.Aggregate(1L, (a, b) => a * b), known = 1;
        int infer = -1;
        for (int i = 0; i < to.Length; i++)
        {
            r[i] = to[i] == 0 ? from[i] : to[i];
            if (r[i] == -1) infer = i; else known *= r[i];
        }
        if (infer >= 0) r[infer] = total / known;
        return r;
    }

    private static long[] Broadcast(long[] a, long[] b)
    {
        int rank = Math.Max(a.Length, b.Length);
        var r = new long[rank];
        for (int i = 0; i < rank; i++)
        {
            long x = i - (rank - a.Length) >= 0 ? a[i - (rank - a.Length)] : 1, y = i - (rank - b.Length) >= 0 ? b[i - (rank - b.Length)] : 1;
            if (x != y && x != 1 && y != 1) throw new MantissaException($"shapes [{string.Join("x", a)}] and [{string.Join("x", b)}] do not broadcast");
            r[i] = Math.Max(x, y);
        }
        return r;
    }

    private static int Axis(long axis, int rank) => (int)(axis < 0 ? axis + rank : axis);

    /// <summary>Values of a small INT64/INT32 constant (shape operands), or null.</summary>
    private static long[]? Ints(OnnxTensor t)
    {
        if (t.ElementCount > 64) return null;
        if (t.DataType == OnnxDataType.Int64)
        {
            if (t.Int64Data.Count == t.ElementCount) return t.Int64Data.ToArray();
            if (t.RawData is { } raw && raw.Length == 8 * t.ElementCount)
                return Enumerable.Range(0, (int)t.ElementCount).Select(i => BinaryPrimitives.ReadInt64LittleEndian(raw.AsSpan(8 * i))).ToArray();
        }
        if (t.DataType == OnnxDataType.Int32)
        {
            if (t.Int32Data.Count == t.ElementCount) return t.Int32Data.Select(i => (long)i).ToArray();
            if (t.RawData is { } raw && raw.Length == 4 * t.ElementCount)
                return Enumerable.Range(0, (int)t.ElementCount).Select(i => (long)BinaryPrimitives.ReadInt32LittleEndian(raw.AsSpan(4 * i))).ToArray();
        }
        return null;
    }
}
