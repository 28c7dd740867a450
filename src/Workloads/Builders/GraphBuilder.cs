using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>
/// Appends operators to a graph under construction, assigning each tensor the format the recipe gives the operator
/// that touches it, and records every parameter tensor of the model (also those no operator of this pass reads).
/// </summary>
internal sealed class GraphBuilder(PrecisionRecipe recipe)
{
    private readonly List<Operator> _ops = new();
    private readonly List<TensorSpec> _inputs = new();
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
        _inputs.Add(t);
        return t;
    }

    public void AddInput(TensorSpec t) => _inputs.Add(t);

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
        var left = lp.Activation(x.Name, xs, x.Role == TensorRole.Output ? TensorRole.Activation : x.Role);
        var w = weight is null ? lp.Weight(name + ".weight", new[] { outFeatures, k }) : lp.Embedding(weight, new[] { outFeatures, k });
        var y = outRole == TensorRole.Output ? lp.VectorTensor(name + ".out", WithLast(xs, outFeatures), outRole)
                                             : lp.Activation(name + ".out", WithLast(xs, outFeatures), outRole);
        var inputs = new List<TensorSpec> { left, w };
        if (bias) inputs.Add(lp.VectorParam(name + ".bias", new[] { outFeatures }));
        var gemm = new GemmView(1, m, k, outFeatures, left, w, y, true, 1, lp.Accumulator);
        Add(new Operator(name, OpKind.Gemm, inputs, new[] { y })
        {
            Macs = gemm.Macs, Gemm = gemm, VectorOps = bias ? m * outFeatures : 0,
            Detail = $"{k}->{outFeatures}",
        });
        return y;
    }

    /// <summary>2-D convolution over NCHW input; weight [Cout, Cin/groups, KH, KW]; lowered by implicit im2col.</summary>
    public TensorSpec Conv2d(string name, TensorSpec x, long outChannels, int kernel, int stride = 1, int padding = 0,
                             int dilation = 1, int groups = 1, bool bias = false, int? kernelW = null, string? weightName = null)
    {
        if (x.Shape.Length != 4) throw new MantissaException($"conv '{name}': input '{x.Name}' must be NCHW, got [{x.ShapeText}]");
        long n = x.Shape[0], cin = x.Shape[1], h = x.Shape[2], wd = x.Shape[3];
        int kh = kernel, kw = kernelW ?? kernel;
        if (groups < 1 || cin % groups != 0 || outChannels % groups != 0)
            throw new MantissaException($"conv '{name}': groups={groups} must divide in_channels={cin} and out_channels={outChannels}");
        long oh = (h + 2L * padding - dilation * (kh - 1) - 1) / stride + 1;
        long ow = (wd + 2L * padding - dilation * (kw - 1) - 1) / stride + 1;
        if (oh < 1 || ow < 1) throw new MantissaException($"conv '{name}': a {kh}x{kw} kernel does not fit a {h}x{wd} input with padding {padding}");
        var lp = recipe.For(name);
        var left = lp.Activation(x.Name, x.Shape);
        var w = lp.Weight(weightName ?? name + ".weight", new[] { outChannels, cin / groups, (long)kh, kw });
        var y = lp.Activation(name + ".out", new[] { n, outChannels, oh, ow });
        var inputs = new List<TensorSpec> { left, w };
        if (bias) inputs.Add(lp.VectorParam(name + ".bias", new[] { outChannels }));
        var gemm = new GemmView(groups, n * oh * ow, cin / groups * kh * kw, outChannels / groups, left, w, y, true, 1, lp.Accumulator);
        string detail = $"k{kh}{(kw != kh ? "x" + kw : "")} s{stride} p{padding}" + (dilation != 1 ? $" d{dilation}" : "") +
                        (groups == cin && groups > 1 ? " dw" : groups > 1 ? $" g{groups}" : "");
        Add(new Operator(name, OpKind.Conv2d, inputs, new[] { y }) { Macs = gemm.Macs, Gemm = gemm, Detail = detail });
        return y;
    }

    /// <summary>An element-wise op with a parameter-free cost of <paramref name="opsPerElement"/> per output element.</summary>
    public TensorSpec Unary(string name, OpKind kind, TensorSpec x, string detail, int opsPerElement = 1, IEnumerable<TensorSpec>? parameters = null)
    {
        var lp = recipe.For(name);
        var xin = lp.VectorTensor(x.Name, x.Shape);
        var y = lp.VectorTensor(name + ".out", x.Shape);
        var inputs = new List<TensorSpec> { xin };
        if (parameters is not null) inputs.AddRange(parameters);
        Add(new Operator(name, kind, inputs, new[] { y }) { VectorOps = x.Elements * opsPerElement, Detail = detail });
        return y;
    }

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
        Add(new Operator(name, OpKind.Elementwise, new[] { lp.VectorTensor(a.Name, a.Shape), lp.VectorTensor(b.Name, b.Shape) }, new[] { y })
        { VectorOps = n, Detail = fn });
        return y;
    }

    public TensorSpec Pool(string name, TensorSpec x, int kernel, int stride, int padding, string kind)
    {
        long n = x.Shape[0], c = x.Shape[1], h = x.Shape[2], w = x.Shape[3];
        bool global = kernel <= 0;
        long oh = global ? 1 : (h + 2L * padding - kernel) / stride + 1;
        long ow = global ? 1 : (w + 2L * padding - kernel) / stride + 1;
        var lp = recipe.For(name);
        var y = lp.VectorTensor(name + ".out", global ? new[] { n, c } : new[] { n, c, oh, ow });
        long window = global ? h * w : (long)kernel * kernel;
        Add(new Operator(name, OpKind.Pool, new[] { lp.VectorTensor(x.Name, x.Shape) }, new[] { y })
        { VectorOps = n * c * oh * ow * window, Detail = global ? $"global {kind}" : $"{kind} k{kernel} s{stride} p{padding}" });
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

    /// <summary>Scores S = Q·Kᵀ per head: q is [B, heads, M, d], k is [B, kvHeads, N, d].</summary>
    public TensorSpec AttentionScores(string name, TensorSpec q, TensorSpec k, long heads)
    {
        var lp = recipe.For(name);
        long b = q.Shape[0], m = q.Shape[2], d = q.Shape[3], kvh = k.Shape[1], n = k.Shape[2];
        var left = lp.Activation(q.Name, q.Shape);
        var right = k.Role == TensorRole.KvCache ? lp.Kv(k.Name, k.Shape) : lp.Activation(k.Name, k.Shape);
        var y = lp.Activation(name + ".out", new[] { b, heads, m, n });
        var gemm = new GemmView(b * heads, m, d, n, left, right, y, false, (int)(heads / kvh), lp.Accumulator);
        Add(new Operator(name, OpKind.AttentionScores, new[] { left, right }, new[] { y })
        { Macs = gemm.Macs, Gemm = gemm, VectorOps = y.Elements, Detail = $"h{heads}/kv{kvh} d{d}" });
        return y;
    }

    /// <summary>Context O = P·V per head: p is [B, heads, M, N], v is [B, kvHeads, N, d].</summary>
    public TensorSpec AttentionContext(string name, TensorSpec p, TensorSpec v, long heads)
    {
        var lp = recipe.For(name);
        long b = p.Shape[0], m = p.Shape[2], n = p.Shape[3], kvh = v.Shape[1], d = v.Shape[3];
        var left = lp.Activation(p.Name, p.Shape);
        var right = v.Role == TensorRole.KvCache ? lp.Kv(v.Name, v.Shape) : lp.Activation(v.Name, v.Shape);
        var y = lp.Activation(name + ".out", new[] { b, heads, m, d });
        var gemm = new GemmView(b * heads, m, n, d, left, right, y, false, (int)(heads / kvh), lp.Accumulator);
        Add(new Operator(name, OpKind.AttentionContext, new[] { left, right }, new[] { y })
        { Macs = gemm.Macs, Gemm = gemm, Detail = $"h{heads}/kv{kvh} d{d}" });
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
        var left = lp.Activation(a.Name, a.Shape);
        var right = b.Role == TensorRole.KvCache ? lp.Kv(b.Name, b.Shape) : lp.Activation(b.Name, b.Shape);
        var y = lp.Activation(name + ".out", WithLast(a.Shape, n));
        var gemm = new GemmView(batch, m, k, n, left, right, y, false, bBatch == 1 ? (int)Math.Min(batch, int.MaxValue) : 1, lp.Accumulator);
        Add(new Operator(name, OpKind.MatMul, new[] { left, right }, new[] { y }) { Macs = gemm.Macs, Gemm = gemm, Detail = $"{m}x{k}x{n}" });
        return y;
    }

    public TensorSpec Softmax(string name, TensorSpec x) => Unary(name, OpKind.Softmax, x, "softmax", 5);

    /// <summary>
    /// Writes <paramref name="newElements"/> new keys or values (taken from <paramref name="x"/>) into a cache of
    /// <paramref name="cacheShape"/>; only the new entries are read and written.
    /// </summary>
    public TensorSpec KvAppend(string name, string cacheName, TensorSpec x, long[] cacheShape, long newElements)
    {
        var lp = recipe.For(name);
        var cache = lp.Kv(cacheName, cacheShape);
        var src = lp.Activation(x.Name, x.Shape);
        long written = Math.Min(newElements, cache.Elements);
        Add(new Operator(name, OpKind.KvAppend, new[] { src }, new[] { cache })
        {
            ElementsReadOverride = newElements, BytesReadOverride = src.BytesOf(newElements),
            ElementsWrittenOverride = written, BytesWrittenOverride = cache.BytesOf(written), VectorOps = written, Detail = "append",
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
