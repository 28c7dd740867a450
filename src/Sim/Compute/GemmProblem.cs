namespace Mantissa.Sim.Compute;

/// <summary>
/// One GEMM as the simulator sees it: Batch independent products Out[M×N] = Left[M×K] · Right[K×N],
/// with the storage bits per element of each operand (block formats include their amortised scale) and, when the
/// operator's formats differ from the PE's own, the PE throughput on those formats. <see cref="Density"/> is the
/// fraction of the Batch·M·K·N products a kernel computes (below 1 for causal attention, whose masked blocks are skipped).
/// <see cref="OnChip"/> names the operands layer fusion holds on chip (none by default); the mapper searches with them
/// there, so it is part of every mapping key.
/// </summary>
public readonly record struct GemmProblem(
    long Batch, long M, long K, long N,
    double LeftBits, double RightBits, double OutputBits, double AccumulatorBits,
    bool RightIsWeight = true, PeThroughput? Pe = null, double Density = 1, OnChipOperands OnChip = default)
{
    /// <summary>Products computed: the dense Batch·M·K·N times <see cref="Density"/>.</summary>
    public long Macs => Density >= 1 ? Batch * M * K * N : (long)Math.Round(Batch * M * K * N * Density);

    /// <summary>Element count of a tensor of one batch entry.</summary>
    public long Elements(Tensor t) => t switch
    {
        Tensor.Left => M * K,
        Tensor.Right => K * N,
        _ => M * N,
    };

    public double Bits(Tensor t, bool partial) => t switch
    {
        Tensor.Left => LeftBits,
        Tensor.Right => RightBits,
        _ => partial ? AccumulatorBits : OutputBits,
    };

    public long Extent(Dim d) => d switch { Dim.M => M, Dim.K => K, _ => N };
}

/// <summary>The three GEMM loop dimensions.</summary>
public enum Dim : byte { M = 0, K = 1, N = 2 }

/// <summary>The three GEMM tensors: Left (activations, M×K), Right (weights when a layer has them, K×N), Output (M×N).</summary>
public enum Tensor : byte { Left = 0, Right = 1, Output = 2 }

/// <summary>Which dimensions index which tensor.</summary>
public static class TensorDims
{
    public static bool Indexes(Tensor t, Dim d) => t switch
    {
        Tensor.Left => d != Dim.N,
        Tensor.Right => d != Dim.M,
        _ => d != Dim.K,
    };

    /// <summary>The one dimension that does not index <paramref name="t"/> (N for Left, M for Right, K for Output).</summary>
    public static Dim NotIndexing(Tensor t) => t switch { Tensor.Left => Dim.N, Tensor.Right => Dim.M, _ => Dim.K };
}
