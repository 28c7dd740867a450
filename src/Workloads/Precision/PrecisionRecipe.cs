using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// Number formats for a whole model: weights, activations, KV cache, accumulators, the vector unit (norms, softmax,
/// element-wise ops and their parameters) and embedding tables, with a weight quantization group size and
/// per-layer overrides matched by glob on operator names (the last matching override wins).
/// </summary>
public sealed record PrecisionRecipe(string Name, LayerPrecision Defaults, IReadOnlyList<LayerOverride> Overrides)
{
    /// <summary>Formats of the backward pass and optimizer of a training step (<see cref="Phase.Train"/>).</summary>
    public TrainingFormats Training { get; init; } = TrainingFormats.Default;

    /// <summary>The formats that apply to the operator named <paramref name="layer"/>.</summary>
    public LayerPrecision For(string layer)
    {
        var p = Defaults;
        foreach (var o in Overrides)
            if (Glob.IsMatch(o.Match, layer)) p = o.ApplyTo(p);
        return p;
    }
}

/// <summary>One per-layer override of a <see cref="PrecisionRecipe"/>; null fields keep the recipe's value.</summary>
public sealed record LayerOverride(
    string Match,
    NumberFormat? Weights = null,
    NumberFormat? Activations = null,
    NumberFormat? KvCache = null,
    NumberFormat? Accumulator = null,
    int? GroupSize = null,
    bool? Asymmetric = null)
{
    public LayerPrecision ApplyTo(LayerPrecision p) => p with
    {
        Weights = Weights ?? p.Weights,
        Embeddings = Weights ?? p.Embeddings,
        Activations = Activations ?? p.Activations,
        KvCache = KvCache ?? p.KvCache,
        Accumulator = Accumulator ?? p.Accumulator,
        GroupSize = GroupSize ?? p.GroupSize,
        Asymmetric = Asymmetric ?? p.Asymmetric,
    };
}

/// <summary>The resolved formats of one layer, with factories for its tensors.</summary>
public sealed record LayerPrecision(
    NumberFormat Weights,
    NumberFormat Activations,
    NumberFormat KvCache,
    NumberFormat Accumulator,
    NumberFormat Vector,
    NumberFormat Embeddings,
    int GroupSize,
    bool Asymmetric,
    int ScaleBits,
    int GroupExtraBits)
{
    /// <summary>A GEMM/conv weight at the layer's weight format, with group scales (none for block formats, which carry their own).</summary>
    public TensorSpec Weight(string name, long[] shape) => Quantized(name, shape, Weights);

    /// <summary>An embedding table at the embedding format.</summary>
    public TensorSpec Embedding(string name, long[] shape) => Quantized(name, shape, Embeddings);

    /// <summary>A small parameter of a vector operator (norm gain, bias) at the vector format.</summary>
    public TensorSpec VectorParam(string name, long[] shape) => new(name, shape, TensorRole.Weight, Vector);

    public TensorSpec Activation(string name, long[] shape, TensorRole role = TensorRole.Activation) => new(name, shape, role, Activations);

    public TensorSpec VectorTensor(string name, long[] shape, TensorRole role = TensorRole.Activation) => new(name, shape, role, Vector);

    public TensorSpec Kv(string name, long[] shape) => new(name, shape, TensorRole.KvCache, KvCache);

    private TensorSpec Quantized(string name, long[] shape, NumberFormat format)
    {
        // Grouping only makes sense for integer-like formats narrower than 16 bits; float16/32 weights need no scales.
        bool grouped = GroupSize > 0 && format is not BlockFormat && format.Bits < 16;
        bool zero = grouped && Asymmetric && format is IntFormat or TernaryFormat;
        return new TensorSpec(name, shape, TensorRole.Weight, format,
            grouped ? GroupSize : 0, ScaleBits, zero ? format.Bits : 0, grouped ? GroupExtraBits : 0);
    }
}
