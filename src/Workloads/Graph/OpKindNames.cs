namespace Mantissa.Workloads;

/// <summary>The one lower-case name of each <see cref="OpKind"/>, used in tables, reports, JSON and CSV.</summary>
public static class OpKindNames
{
    public static string Name(this OpKind k) => k switch
    {
        OpKind.Gemm => "gemm",
        OpKind.MatMul => "matmul",
        OpKind.Conv2d => "conv2d",
        OpKind.AttentionScores => "attn_qk",
        OpKind.AttentionContext => "attn_pv",
        OpKind.Softmax => "softmax",
        OpKind.KvAppend => "kv_append",
        OpKind.Elementwise => "eltwise",
        OpKind.Activation => "act",
        OpKind.LayerNorm => "layernorm",
        OpKind.RmsNorm => "rmsnorm",
        OpKind.BatchNorm => "batchnorm",
        OpKind.Pool => "pool",
        OpKind.Embedding => "embedding",
        OpKind.Router => "router",
        _ => throw new ArgumentOutOfRangeException(nameof(k), k, "operator kind without a name"),
    };
}
