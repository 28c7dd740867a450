namespace Mantissa.Workloads;

/// <summary>The kind of an operator; GEMM-like kinds carry a <see cref="GemmView"/>.</summary>
public enum OpKind
{
    /// <summary>Fully connected layer / batched matrix multiply against a weight.</summary>
    Gemm,
    /// <summary>Matrix multiply of two activations (hand-written graphs).</summary>
    MatMul,
    /// <summary>2-D convolution (stride, padding, dilation, groups; depthwise when groups = channels).</summary>
    Conv2d,
    /// <summary>Attention scores Q·Kᵀ against the KV cache.</summary>
    AttentionScores,
    /// <summary>Attention context P·V against the KV cache.</summary>
    AttentionContext,
    /// <summary>Row softmax.</summary>
    Softmax,
    /// <summary>Writes the new tokens' keys or values into the KV cache.</summary>
    KvAppend,
    /// <summary>Element-wise add/mul of two tensors (residuals, gating).</summary>
    Elementwise,
    /// <summary>Element-wise activation function (relu, gelu, silu, ...).</summary>
    Activation,
    /// <summary>LayerNorm.</summary>
    LayerNorm,
    /// <summary>RMSNorm.</summary>
    RmsNorm,
    /// <summary>Inference BatchNorm (per-channel scale and shift).</summary>
    BatchNorm,
    /// <summary>Max or average pooling (including global average pooling).</summary>
    Pool,
    /// <summary>Embedding-table lookup: reads only the gathered rows.</summary>
    Embedding,
    /// <summary>Mixture-of-experts router: gate logits and top-k selection.</summary>
    Router,
}
