using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads;

/// <summary>
/// The GEMM lowering of an operator: <see cref="Batch"/> independent products of an M×K <see cref="Left"/> by a
/// K×N <see cref="Right"/>. The tensors are the real operands (their bytes are the unique traffic: an im2col'd
/// convolution input is counted at its true size, not M×K). <see cref="RightSharedBy"/> consecutive batch entries use
/// the same Right matrix: with grouped-query attention a KV head serves heads/kv_heads query heads, and the
/// KV-cache tensor is shaped per KV head, so its bytes count K/V once per KV head.
/// </summary>
public sealed record GemmView(
    long Batch,
    long M,
    long K,
    long N,
    TensorSpec Left,
    TensorSpec Right,
    TensorSpec Output,
    bool RightIsWeight,
    int RightSharedBy = 1,
    NumberFormat? Accumulator = null)
{
    /// <summary>Multiply-accumulates: Batch·M·K·N.</summary>
    public long Macs => checked(Batch * M * K * N);
}
