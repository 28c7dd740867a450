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
            {
                var fit = FormatFit.Of(arch.Pe, g.Right.Format, g.Left.Format);
                string? note = fit == FormatFitKind.Native ? null :
                    $"{op.Name}: {g.Right.Format.Name}×{g.Left.Format.Name} " +
                    (fit == FormatFitKind.Widened ? "widened exactly to" : "cannot run on") +
                    $" {arch.Pe.Kind.Name} {arch.Pe.WeightFormat.Name}×{arch.Pe.ActivationFormat.Name}" +
                    (fit == FormatFitKind.Widened ? "" : "; timed as if it could");
                // Causal attention: the operator counts only the unmasked (query, key) pairs, the view keeps the dense shape.
                double density = op.Macs < g.Macs ? (double)op.Macs / g.Macs : 1;
                yield return new SimOperator(op.Name, op.Kind, Problem(g, arch) with { Density = density }, Fit: fit, FormatNote: note);
            }
            else
                yield return new SimOperator(op.Name, op.Kind, null,
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

    // The weight-side operand is the Right matrix. Formats the PE runs natively take their own cycles; widened ones run
    // at the PE's formats. An unsupported format is costed by its width where the PE's cycle model counts widths (a
    // bit-serial PE takes 8 passes over a 16-bit operand), else at the PE's formats (PeOperandFormats); Lower notes both on the operator.
    private static PeThroughput Throughput(PeSpec pe, GemmView g)
    {
        var fit = FormatFit.Of(pe, g.Right.Format, g.Left.Format);
        if (fit == FormatFitKind.Widened) return PeThroughput.For(pe);
        return PeThroughput.From(PeOperandFormats.Resolve(pe, g.Right.Format, g.Left.Format).Cycles);
    }

    /// <summary>
    /// Rejects a workload whose GEMM MACs mostly use formats the PE cannot run (fp16 activations on an int8 MAC):
    /// simulating it would rank a design on work it cannot do. A minority of such MACs (an fp16 KV cache or lm_head
    /// kept by an int8 recipe) is timed as if the PE ran it, with a note per layer.
    /// </summary>
    public static void CheckFormats(IReadOnlyList<SimOperator> ops, ArchitectureSpec arch)
    {
        double all = 0, bad = 0;
        SimOperator? first = null;
        foreach (var op in ops)
        {
            if (op.Gemm is not { } g) continue;
            all += g.Macs;
            if (op.Fit != FormatFitKind.Unsupported) continue;
            bad += g.Macs; first ??= op;
        }
        if (first is null || bad <= 0.5 * all) return;
        throw new MantissaException(
            $"{bad / all:P0} of the workload's MACs use formats PE '{arch.Pe.Kind.Name}' of '{arch.Name}' cannot run " +
            $"(first: {first.FormatNote!.Replace("; timed as if it could", "")}); " +
            $"{arch.Pe.Kind.Name} runs {arch.Pe.WeightFormat.Name} weights × {arch.Pe.ActivationFormat.Name} activations " +
            "(and formats that widen exactly into them): choose a recipe in those formats or a PE that runs it");
    }


    public static (double Tokens, double Frames) Throughput(Workload w) =>
        w.Unit == WorkUnit.Frame ? (0, w.Batch) : (w.TokensProduced, 0);
}
