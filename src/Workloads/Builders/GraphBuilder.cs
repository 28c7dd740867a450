using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// Appends operators to a graph under construction and records every parameter tensor of the model (also those no
/// operator of this pass reads). Each activation has one format, fixed by the operator that writes it (GEMM-like
/// operators write the layer's activation format, vector operators the recipe's vector format); readers see it at
/// that format. Where a GEMM needs its operand in another format, an explicit conversion operator
/// (<c>NAME.to_FORMAT</c>, element-wise) is inserted once and shared by every reader that needs that format.
/// </summary>
internal sealed class GraphBuilder(PrecisionRecipe recipe)
{
    private readonly List<Operator> _ops = new();
    private readonly List<TensorSpec> _inputs = new();
    private readonly Dictionary<string, TensorSpec> _tensors = new(StringComparer.Ordinal);
    private readonly Dictionary<string, TensorSpec> _stored = new(StringComparer.Ordinal);
    private readonly List<string> _storedOrder = new();

    public PrecisionRecipe Recipe => recipe;
    public IReadOnlyList<Operator> Operators => _ops;

    public WorkloadGraph Build() => new(_ops, _inputs);

    /// <summary>All parameters in declaration order (a tied tensor once, at its largest view).</summary>
    public IReadOnlyList<TensorSpec> StoredWeights => _storedOrder.Select(n => _stored[n]).ToList();

    public TensorSpec Input(string name, long[] shape, bool vector = false)
    {
        var lp = recipe.For(name);
        var t = vector ? lp.VectorTensor(name, shape) : lp.Activation(name, shape);
        AddInput(t);
        return t;
    }

    public void AddInput(TensorSpec t)
    {
        _inputs.Add(t);
        _tensors[t.Name] = t;
    }

    /// <summary>Gives a graph input another format before any operator reads it (token ids are int32 whatever the recipe says).</summary>
    public TensorSpec Retype(TensorSpec input, NumberFormat format)
    {
        int i = _inputs.FindIndex(t => t.Name == input.Name);
        if (i < 0 || _ops.Any(o => o.Inputs.Any(t => t.Name == input.Name))) return input with { Format = format };
        var t = _inputs[i] with { Format = format };
        _inputs[i] = t;
        _tensors[t.Name] = t;
        return t;
    }

    /// <summary>The tensor named like <paramref name="t"/> as it was written (its one format and full shape); weights are returned as given.</summary>
    public TensorSpec Stored(TensorSpec t) => _tensors.GetValueOrDefault(t.Name) ?? t;

    /// <summary>
    /// What an operator reads for <paramref name="view"/> (a tensor, possibly under another shape or a slice of it):
    /// the edge tensor exactly as written (converted first when <paramref name="need"/> differs from its format), and
    /// the view at the edge tensor's name and format.
    /// </summary>
    private (TensorSpec Edge, TensorSpec View) Read(TensorSpec view, NumberFormat? need)
    {
        if (!_tensors.TryGetValue(view.Name, out var edge)) return (view, view);
        if (need is not null && !SameFormat(edge.Format, need)) edge = Convert(edge, need);
        if (view.Elements > edge.Elements)
            throw new InvalidOperationException($"view [{view.ShapeText}] of {edge} is larger than the tensor");
        return (edge, edge with { Shape = view.Shape });
    }

    /// <summary>An explicit quantize/dequantize of a whole tensor to <paramref name="format"/>, shared by all readers.</summary>
    private TensorSpec Convert(TensorSpec t, NumberFormat format)
    {
        string stem = t.Name.EndsWith(".out", StringComparison.Ordinal) ? t.Name[..^4] : t.Name;
        string name = $"{stem}.to_{format.Name}";
        if (_tensors.TryGetValue(name + ".out", out var done)) return done;
        var y = new TensorSpec(name + ".out", t.Shape, t.Role == TensorRole.Output ? TensorRole.Activation : t.Role, format);
        // Two operations per element: the scale multiply and the rounding to the target format.
        Add(new Operator(name, OpKind.Elementwise, new[] { t }, new[] { y })
        { VectorOps = 2 * t.Elements, Detail = $"convert {t.Format.Name}->{format.Name}" });
        return y;
    }

    /// <summary>Format equality that ignores a float format's alias (fp16 and fp16e5m10 are one format).</summary>
    internal static bool SameFormat(NumberFormat a, NumberFormat b) =>
        a == b || (a is FloatFormat fa && b is FloatFormat fb && fa with { Alias = null } == fb with { Alias = null });

    /// <summary>Counts only the viewed part of inputs that are read as slices (the last row, one of q/k/v).</summary>
    private static Operator Reading(Operator op, params (TensorSpec Edge, TensorSpec View)[] reads)
    {
        if (reads.All(r => r.View.Elements == r.Edge.Elements)) return op;
        long elements = op.Inputs.Sum(t => t.Elements) - reads.Sum(r => r.Edge.Elements - r.View.Elements);
        double bytes = op.Inputs.Sum(t => t.Bytes) - reads.Sum(r => r.Edge.Bytes - r.View.Bytes);
        return op with { ElementsReadOverride = elements, BytesReadOverride = bytes };
    }

    /// <summary>Records a parameter the pass may not read (an unrouted expert).</summary>
    public void Store(TensorSpec w)
    {
        if (_stored.TryGetValue(w.Name, out var old)) { if (w.Bytes > old.Bytes) _stored[w.Name] = w; return; }
        _stored[w.Name] = w;
        _storedOrder.Add(w.Name);
    }

    public Operator Add(Operator op)
    {
        foreach (var w in op.Weights) Store(w);
        foreach (var t in op.Outputs) _tensors[t.Name] = t;
        _ops.Add(op);
        return op;
    }

    private static long[] WithLast(long[] shape, long last)
    {
        var s = (long[])shape.Clone();
        s[^1] = last;
        return s;
    }

    private static long Rows(long[] shape) => shape.Length == 0 ? 1 : shape[..^1].Aggregate(1L, (a, b) => a * b);

    /// <summary>y = x·Wᵀ (+ b): weight stored [out, in]. <paramref name="weight"/> reuses a tied tensor's name.</summary>
    public TensorSpec Linear(string name, TensorSpec x, long outFeatures, bool bias, string? weight = null,
                             TensorRole outRole = TensorRole.Activation, long[]? leftShape = null)
    {
        var lp = recipe.For(name);
        var xs = leftShape ?? x.Shape;
        long k = xs[^1], m = Rows(xs);
        var read = Read(x with { Shape = xs }, lp.Activations);
        var left = read.View;
        var w = weight is null ? lp.Weight(name + ".weight", new[] { outFeatures, k }) : lp.Embedding(weight, new[] { outFeatures, k });
        var y = outRole == TensorRole.Output ? lp.VectorTensor(name + ".out", WithLast(xs, outFeatures), outRole)
                                             : lp.Activation(name + ".out", WithLast(xs, outFeatures), outRole);
        var inputs = new List<TensorSpec> { read.Edge, w };
        if (bias) inputs.Add(lp.VectorParam(name + ".bias", new[] { outFeatures }));
        var gemm = new GemmView(1, m, k, outFeatures, left, w, y, true, 1, lp.Accumulator);
        Add(Reading(new Operator(name, OpKind.Gemm, inputs, new[] { y })
        {
            Macs = gemm.Macs, Gemm = gemm, VectorOps = bias ? m * outFeatures : 0,
            Detail = $"{k}->{outFeatures}",
        }, read));
        return y;
    }

    /// <summary>
    /// Per-head products against blocks of one stored weight (MLA's absorbed projections): <paramref name="x"/> is
    /// [B, heads, T, in] and head h multiplies by its own [in, <paramref name="outDim"/>] block of <paramref name="owner"/>'s
    /// weight (stored as <paramref name="weightShape"/>); the operator reads only the blocks it uses.
    /// </summary>
    public TensorSpec HeadwiseLinear(string name, TensorSpec x, string owner, long[] weightShape, long outDim)
    {
        var lp = recipe.For(name);
        var w = recipe.For(owner).Weight(owner + ".weight", weightShape);
        long b = x.Shape[0], heads = x.Shape[1], t = x.Shape[2], k = x.Shape[3];
        var block = w with { Shape = new[] { heads, k, outDim } };
        if (block.Elements > w.Elements) throw new InvalidOperationException($"{name}: {heads} blocks of {k}x{outDim} exceed {w}");
        var read = Read(x, lp.Activations);
        var y = lp.Activation(name + ".out", new[] { b, heads, t, outDim });
        var gemm = new GemmView(heads, b * t, k, outDim, read.View, block, y, true, 1, lp.Accumulator);
        Add(Reading(new Operator(name, OpKind.Gemm, new[] { read.Edge, w }, new[] { y })
        {
            Macs = gemm.Macs, Gemm = gemm, Detail = $"{heads} heads {k}->{outDim}",
        }, read, (w, block)));
        return y;
    }

    /// <summary>2-D convolution over NCHW input; weight [Cout, Cin/groups, KH, KW]; lowered by implicit im2col.</summary>
    public TensorSpec Conv2d(string name, TensorSpec x, long outChannels, int kernel, int stride = 1, int padding = 0,
                             int dilation = 1, int groups = 1, bool bias = false, int? kernelW = null, string? weightName = null) =>
        Conv2d(name, x, outChannels, Window2d.Square(kernel, stride, padding, dilation, kernelW), groups, bias, weightName);

    /// <summary>2-D convolution with a window that may differ per axis (strides, pads before and after, dilations).</summary>
    public TensorSpec Conv2d(string name, TensorSpec x, long outChannels, Window2d window, int groups = 1, bool bias = false, string? weightName = null)
    {
        if (x.Shape.Length != 4) throw new MantissaException($"conv '{name}': input '{x.Name}' must be NCHW, got [{x.ShapeText}]");
        long n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int kh = window.KernelH, kw = window.KernelW;
        if (groups < 1 || cin % groups != 0 || outChannels % groups != 0)
            throw new MantissaException($"conv '{name}': groups={groups} must divide in_channels={cin} and out_channels={outChannels}");
        long oh = window.OutH(h), ow = window.OutW(wd);
        if (oh < 1 || ow < 1) throw new MantissaException($"conv '{name}': the window {window.Detail} does not fit a {h}x{wd} input");
        var lp = recipe.For(name);
        var left = Read(x, lp.Activations).Edge;
        var w = lp.Weight(weightName ?? name + ".weight", new[] { outChannels, cin / groups, (long)kh, kw });
        var y = lp.Activation(name + ".out", new[] { n, outChannels, oh, ow });
        var inputs = new List<TensorSpec> { left, w };
        if (bias) inputs.Add(lp.VectorParam(name + ".bias", new[] { outChannels }));
        var gemm = new GemmView(groups, n * oh * ow, cin / groups * kh * kw, outChannels / groups, left, w, y, true, 1, lp.Accumulator);
        string detail = window.Detail + (groups == cin && groups > 1 ? " dw" : groups > 1 ? $" g{groups}" : "");
        Add(new Operator(name, OpKind.Conv2d, inputs, new[] { y }) { Macs = gemm.Macs, Gemm = gemm, Detail = detail });
        return y;
    }

    /// <summary>An element-wise op with a parameter-free cost of <paramref name="opsPerElement"/> per output element.</summary>
    public TensorSpec Unary(string name, OpKind kind, TensorSpec x, string detail, int opsPerElement = 1, IEnumerable<TensorSpec>? parameters = null,
                            long? vectorOps = null, TensorRole outRole = TensorRole.Activation)
    {
        var lp = recipe.For(name);
        var read = Read(x, null);
        var y = lp.VectorTensor(name + ".out", x.Shape, outRole);
        var inputs = new List<TensorSpec> { read.Edge };
        if (parameters is not null) inputs.AddRange(parameters);
        Add(Reading(new Operator(name, kind, inputs, new[] { y }) { VectorOps = vectorOps ?? x.Elements * opsPerElement, Detail = detail }, read));
        return y;
    }

    /// <summary>Rotary position embedding over <paramref name="fraction"/> of each head's dimensions (3 operations per rotated element).</summary>
    public TensorSpec Rope(string name, TensorSpec x, double fraction = 1.0) =>
        Unary(name, OpKind.Elementwise, x, fraction < 1 ? $"rope {fraction:0.##}" : "rope", vectorOps: (long)Math.Round(3 * x.Elements * fraction));

    public TensorSpec Activation(string name, TensorSpec x, string fn) =>
        Unary(name, OpKind.Activation, x, fn, fn switch { "relu" => 1, "relu6" => 2, "silu" => 4, _ => 8 });

    /// <summary>LayerNorm (gain and bias) or RMSNorm (gain only) over the last dimension.</summary>
    public TensorSpec Norm(string name, TensorSpec x, bool rms, bool bias = true, string weightSuffix = ".weight", string biasSuffix = ".bias")
    {
        var lp = recipe.For(name);
        long d = x.Shape[^1];
        var ps = new List<TensorSpec> { lp.VectorParam(name + weightSuffix, new[] { d }) };
        if (!rms && bias) ps.Add(lp.VectorParam(name + biasSuffix, new[] { d }));
        return Unary(name, rms ? OpKind.RmsNorm : OpKind.LayerNorm, x, rms ? "rms" : "ln", rms ? 4 : 6, ps);
    }

    /// <summary>Inference BatchNorm over the channel dimension of NCHW (gain and bias; running stats are folded, not parameters).</summary>
    public TensorSpec BatchNorm(string name, TensorSpec x)
    {
        var lp = recipe.For(name);
        long c = x.Shape[1];
        return Unary(name, OpKind.BatchNorm, x, "bn", 2,
            new[] { lp.VectorParam(name + ".weight", new[] { c }), lp.VectorParam(name + ".bias", new[] { c }) });
    }

    public TensorSpec Binary(string name, TensorSpec a, TensorSpec b, string fn, long[]? outShape = null)
    {
        var lp = recipe.For(name);
        var shape = outShape ?? a.Shape;
        var y = lp.VectorTensor(name + ".out", shape);
        long n = y.Elements;
        var ra = Read(a, null);
        var rb = Read(b, null);
        Add(Reading(new Operator(name, OpKind.Elementwise, new[] { ra.Edge, rb.Edge }, new[] { y }) { VectorOps = n, Detail = fn }, ra, rb));
        return y;
    }

    /// <summary>Max or average pooling with a square window; <paramref name="kernel"/> ≤ 0 pools globally to [N, C].</summary>
    public TensorSpec Pool(string name, TensorSpec x, int kernel, int stride, int padding, string kind) =>
        kernel <= 0 ? GlobalPool(name, x, kind) : Pool(name, x, Window2d.Square(kernel, stride, padding), kind);

    /// <summary>Max or average pooling over NCHW with a window that may differ per axis.</summary>
    public TensorSpec Pool(string name, TensorSpec x, Window2d window, string kind)
    {
        long n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        long oh = window.OutH(h), ow = window.OutW(w);
        if (oh < 1 || ow < 1) throw new MantissaException($"pool '{name}': the window {window.Detail} does not fit a {h}x{w} input");
        var lp = recipe.For(name);
        var y = lp.VectorTensor(name + ".out", new[] { n, c, oh, ow });
        Add(new Operator(name, OpKind.Pool, new[] { Read(x, null).Edge }, new[] { y })
        { VectorOps = n * c * oh * ow * window.KernelH * window.KernelW, Detail = $"{kind} {window.Detail}" });
        return y;
    }

    private TensorSpec GlobalPool(string name, TensorSpec x, string kind)
    {
        long n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        var lp = recipe.For(name);
        var y = lp.VectorTensor(name + ".out", new[] { n, c });
        Add(new Operator(name, OpKind.Pool, new[] { Read(x, null).Edge }, new[] { y }) { VectorOps = n * c * h * w, Detail = $"global {kind}" });
        return y;
    }

    /// <summary>Gathers <c>ids.Elements</c> rows of a [rows, dim] table; reads only those rows.</summary>
    public TensorSpec Embedding(string name, TensorSpec ids, long rows, long dim, string? weightName = null, long[]? outShape = null)
    {
        var lp = recipe.For(name);
        var table = lp.Embedding(weightName ?? name + ".weight", new[] { rows, dim });
        var y = lp.VectorTensor(name + ".out", outShape ?? ids.Shape.Append(dim).ToArray());
        long gathered = ids.Elements * dim;
        Add(new Operator(name, OpKind.Embedding, new[] { ids, table }, new[] { y })
        {
            ElementsReadOverride = ids.Elements + gathered,
            BytesReadOverride = ids.Bytes + table.BytesOf(Math.Min(gathered, table.Elements)),
            Detail = $"{rows}x{dim}",
        });
        return y;
    }

    /// <summary>
    /// Scores S = Q·Kᵀ per head: q is [B, heads, M, d], k is [B, kvHeads, N, d]. <paramref name="pairs"/> is the number
    /// of (query, key) pairs one head computes when a causal mask is skipped (null: the dense M·N).
    /// </summary>
    public TensorSpec AttentionScores(string name, TensorSpec q, TensorSpec k, long heads, long? pairs = null)
    {
        var lp = recipe.For(name);
        long b = q.Shape[0], m = q.Shape[2], d = q.Shape[3], kvh = k.Shape[1], n = k.Shape[2];
        var rq = Read(q, lp.Activations);
        var rk = Read(k, k.Role == TensorRole.KvCache ? null : lp.Activations);
        var y = lp.Activation(name + ".out", new[] { b, heads, m, n });
        var gemm = new GemmView(b * heads, m, d, n, rq.View, rk.View, y, false, (int)(heads / kvh), lp.Accumulator);
        long active = checked(b * heads * (pairs ?? m * n));
        Add(Reading(new Operator(name, OpKind.AttentionScores, new[] { rq.Edge, rk.Edge }, new[] { y })
        {
            Macs = pairs is null ? gemm.Macs : checked(active * d), Gemm = gemm, VectorOps = active,
            Detail = $"h{heads}/kv{kvh} d{d}" + (pairs is null ? "" : " causal"),
        }, rq, rk));
        return y;
    }

    /// <summary>Context O = P·V per head: p is [B, heads, M, N], v is [B, kvHeads, N, d]; <paramref name="pairs"/> as for scores.</summary>
    public TensorSpec AttentionContext(string name, TensorSpec p, TensorSpec v, long heads, long? pairs = null)
    {
        var lp = recipe.For(name);
        long b = p.Shape[0], m = p.Shape[2], n = p.Shape[3], kvh = v.Shape[1], d = v.Shape[3];
        var rp = Read(p, lp.Activations);
        var rv = Read(v, v.Role == TensorRole.KvCache ? null : lp.Activations);
        var y = lp.Activation(name + ".out", new[] { b, heads, m, d });
        var gemm = new GemmView(b * heads, m, n, d, rp.View, rv.View, y, false, (int)(heads / kvh), lp.Accumulator);
        Add(Reading(new Operator(name, OpKind.AttentionContext, new[] { rp.Edge, rv.Edge }, new[] { y })
        {
            Macs = pairs is null ? gemm.Macs : checked(b * heads * pairs.Value * d), Gemm = gemm,
            Detail = $"h{heads}/kv{kvh} d{d}" + (pairs is null ? "" : " causal"),
        }, rp, rv));
        return y;
    }

    /// <summary>Activation × activation: a is [..., M, K], b is [..., K, N] with the same leading dims (or 2-D, shared).</summary>
    public TensorSpec MatMul(string name, TensorSpec a, TensorSpec b)
    {
        if (a.Shape.Length < 2 || b.Shape.Length < 2)
            throw new MantissaException($"matmul '{name}': operands need at least 2 dimensions, got [{a.ShapeText}] and [{b.ShapeText}]");
        long m = a.Shape[^2], k = a.Shape[^1], k2 = b.Shape[^2], n = b.Shape[^1];
        if (k != k2) throw new MantissaException($"matmul '{name}': inner dimensions differ: [{a.ShapeText}] x [{b.ShapeText}] ({k} vs {k2})");
        long batch = a.Elements / (m * k);
        long bBatch = b.Elements / (k * n);
        if (bBatch != 1 && bBatch != batch)
            throw new MantissaException($"matmul '{name}': batch dimensions of [{a.ShapeText}] and [{b.ShapeText}] do not match");
        var lp = recipe.For(name);
        var ra = Read(a, lp.Activations);
        var rb = Read(b, b.Role == TensorRole.KvCache ? null : lp.Activations);
        var y = lp.Activation(name + ".out", WithLast(a.Shape, n));
        var gemm = new GemmView(batch, m, k, n, ra.View, rb.View, y, false, bBatch == 1 ? (int)Math.Min(batch, int.MaxValue) : 1, lp.Accumulator);
        Add(Reading(new Operator(name, OpKind.MatMul, new[] { ra.Edge, rb.Edge }, new[] { y }) { Macs = gemm.Macs, Gemm = gemm, Detail = $"{m}x{k}x{n}" }, ra, rb));
        return y;
    }

    public TensorSpec Softmax(string name, TensorSpec x) => Unary(name, OpKind.Softmax, x, "softmax", 5);

    /// <summary>Softmax over only <paramref name="unmasked"/> score entries (a causal mask is skipped).</summary>
    public TensorSpec Softmax(string name, TensorSpec x, long unmasked)
    {
        var y = Unary(name, OpKind.Softmax, x, "softmax causal", 5);
        int i = _ops.Count - 1;
        _ops[i] = _ops[i] with { VectorOps = checked(5 * unmasked) };
        return y;
    }

    /// <summary>
    /// Writes <paramref name="newElements"/> new keys or values (taken from <paramref name="x"/>) into a cache of
    /// <paramref name="cacheShape"/>; only the new entries are read and written.
    /// </summary>
    public TensorSpec KvAppend(string name, string cacheName, TensorSpec x, long[] cacheShape, long newElements)
    {
        var lp = recipe.For(name);
        var cache = lp.Kv(cacheName, cacheShape);
        var src = Read(x, null).Edge;
        long written = Math.Min(newElements, cache.Elements);
        Add(new Operator(name, OpKind.KvAppend, new[] { src }, new[] { cache })
        {
            ElementsReadOverride = newElements, BytesReadOverride = src.BytesOf(newElements),
            ElementsWrittenOverride = written, BytesWrittenOverride = cache.BytesOf(written), VectorOps = written,
            Detail = SameFormat(src.Format, cache.Format) ? "append" : $"append {src.Format.Name}->{cache.Format.Name}",
        });
        return cache;
    }

    /// <summary>A view of <paramref name="t"/> under another shape (same name, same elements; no operator).</summary>
    public static TensorSpec Reshape(TensorSpec t, params long[] shape)
    {
        long n = shape.Aggregate(1L, (a, b) => a * b);
        if (n != t.Elements) throw new InvalidOperationException($"reshape of {t} to [{string.Join("x", shape)}] changes the element count");
        return t with { Shape = shape };
    }
}
