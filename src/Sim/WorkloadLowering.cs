using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Pe;
using Mantissa.Workloads;

namespace Mantissa.Sim;

/// <summary>
/// Turns a workload's operators into simulator operators. A GEMM keeps its view's shape; each operand's width is
/// its tensor's unique bytes spread over the view (so an im2col'd convolution input, a KV head shared by several
/// query heads, and group scales are all counted at their real size). The PE's throughput is taken on the
/// operator's own formats (the serial operand of a bit-serial PE decides its cycles).
/// </summary>
internal static class WorkloadLowering
{
    public static IEnumerable<SimOperator> Lower(Workload w, ArchitectureSpec arch)
    {
        foreach (var op in w.Graph.Operators)
        {
            if (op.Gemm is { } g)
                yield return new SimOperator(op.Name, KindName(op.Kind), Problem(g, arch));
            else
                yield return new SimOperator(op.Name, KindName(op.Kind), null,
                    Math.Max(op.VectorOps, Math.Max(op.ElementsRead, op.ElementsWritten)), op.BytesRead, op.BytesWritten);
        }
    }

    public static GemmProblem Problem(GemmView g, ArchitectureSpec arch)
    {
        double gemms = g.Batch;
        double left = g.Left.Bytes * 8 / (gemms * g.M * g.K);
        double right = g.Right.Bytes * 8 / (gemms * g.K * g.N);
        double output = g.Output.Bytes * 8 / (gemms * g.M * g.N);
        double acc = (g.Accumulator ?? arch.Pe.Accumulator).Bits;
        return new GemmProblem(g.Batch, g.M, g.K, g.N, left, right, output, acc, g.RightIsWeight, Throughput(arch.Pe, g));
    }

    // The weight-side operand is the Right matrix.
    private static PeThroughput Throughput(PeSpec pe, GemmView g) =>
        PeThroughput.From(PeOperandFormats.Resolve(pe, g.Right.Format, g.Left.Format).Cycles);

    public static (double Tokens, double Frames) Throughput(Workload w) =>
        w.Family is "cnn" or "vision" or "vit" ? (0, w.Batch) : (w.TokensProduced, 0);

    public static string KindName(OpKind k) => k switch
    {
        OpKind.AttentionScores => "attn_scores",
        OpKind.AttentionContext => "attn_context",
        OpKind.KvAppend => "kv_append",
        OpKind.LayerNorm => "layernorm",
        OpKind.RmsNorm => "rmsnorm",
        OpKind.BatchNorm => "batchnorm",
        _ => k.ToString().ToLowerInvariant(),
    };
}
