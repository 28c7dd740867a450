using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Pe;
using Mantissa.Sim.Fusion;
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
    /// <summary>A workload lowered for one PE: its operators, the activations fusion may keep on chip, the attention chains.</summary>
    internal sealed record Lowered(IReadOnlyList<SimOperator> Ops, IReadOnlyList<FusibleTensor> Fusible, IReadOnlyList<AttentionChain> Chains);

    // Lowering reads only the workload and the PE (formats, kind, throughput), so the designs of a sweep that share a PE
    // share one lowering; keyed on the workload object (workloads are immutable) and the PE's value.
    private static readonly ConditionalWeakTable<Workload, BoundedMemo<PeSpec, Lowered>> Memo = new();
    private const int MaxPesPerWorkload = 64;

    /// <summary><see cref="Lower"/>, <see cref="FusibleTensors"/> and <see cref="AttentionChains"/> of <paramref name="w"/> on <paramref name="arch"/>'s PE, memoised.</summary>
    public static Lowered For(Workload w, ArchitectureSpec arch)
    {
        var byPe = Memo.GetValue(w, _ => new BoundedMemo<PeSpec, Lowered>(MaxPesPerWorkload));
        if (byPe.TryGetValue(arch.Pe, out var hit)) return hit;
        var ops = Lower(w, arch).ToList();
        var candidates = CandidatesOf(w, ops);
        var lowered = new Lowered(ops, candidates.Tensors, candidates.Chains);
        byPe.Add(arch.Pe, lowered);
        return lowered;
    }

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
                yield return new SimOperator(op.Name, op.Kind, Problem(g, arch) with { Density = density }, Fit: fit, FormatNote: note)
                    { Uses = GemmUses(op, g) };
            }
            else
                yield return new SimOperator(op.Name, op.Kind, null,
                    Math.Max(op.VectorOps, Math.Max(op.ElementsRead, op.ElementsWritten)), op.BytesRead, op.BytesWritten)
                    { Uses = VectorUses(op) };
        }
    }

    // An operator that moves only part of a tensor (an embedding gathering rows, a KV append writing new tokens) or
    // whose GEMM view does not name its tensors keeps all its traffic in DRAM: it has no uses fusion could move.
    private static bool Partial(Operator op) => op.ElementsReadOverride is not null || op.BytesReadOverride is not null ||
        op.ElementsWrittenOverride is not null || op.BytesWrittenOverride is not null || op.Kind is OpKind.KvAppend or OpKind.Embedding;

    // A GEMM reading a slice of a tensor (the query third of a fused qkv projection) uses the slice's bytes: its view.
    private static IReadOnlyList<TensorUse> GemmUses(Operator op, GemmView g)
    {
        if (op.ElementsWrittenOverride is not null || op.BytesWrittenOverride is not null || !op.Inputs.Any(t => t.Name == g.Left.Name) || !op.Inputs.Any(t => t.Name == g.Right.Name) ||
            !op.Outputs.Any(t => t.Name == g.Output.Name)) return Array.Empty<TensorUse>();
        return new[]
        {
            new TensorUse(g.Left.Name, g.Left.Bytes, false, Tensor.Left), new TensorUse(g.Right.Name, g.Right.Bytes, false, Tensor.Right),
            new TensorUse(g.Output.Name, g.Output.Bytes, true, Tensor.Output),
        };
    }

    private static IReadOnlyList<TensorUse> VectorUses(Operator op) => Partial(op) ? Array.Empty<TensorUse>()
        : op.Inputs.Select(t => new TensorUse(t.Name, t.Bytes, false)).Concat(op.Outputs.Select(t => new TensorUse(t.Name, t.Bytes, true))).ToList();

    // Fusion candidates depend on the graph alone (names, bytes, uses and order; never on the architecture), and a
    // WorkloadGraph is immutable, so they are found once per graph and kept as long as the graph lives.
    private static readonly ConditionalWeakTable<WorkloadGraph, FusionCandidates> Candidates = new();

    /// <summary>
    /// The workload's fusion candidates (<see cref="FusibleTensors"/>, <see cref="AttentionChains"/>), found once per graph:
    /// <paramref name="ops"/> must be <paramref name="w"/> lowered (any architecture; the candidates do not depend on it).
    /// </summary>
    public static FusionCandidates CandidatesOf(Workload w, IReadOnlyList<SimOperator> ops) =>
        Candidates.GetValue(w.Graph, _ => new FusionCandidates(FusibleTensors(w, ops), AttentionChains(w, ops)));

    /// <summary>
    /// The attention blocks whose score matrix goes only from Q·Kᵀ through element-wise operators (softmax, converts) to
    /// P·V, each score-shaped tensor read by exactly the next operator (found with the graph's consumer queries): the
    /// candidates for FlashAttention-style tiling.
    /// </summary>
    public static IReadOnlyList<AttentionChain> AttentionChains(Workload w, IReadOnlyList<SimOperator> ops)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ops.Count; i++) index[ops[i].Name] = i;
        var result = new List<AttentionChain>();
        for (int i = 0; i < ops.Count; i++)
        {
            if (ops[i].Kind != OpKind.AttentionScores || ops[i].Uses.FirstOrDefault(u => u.Written) is not { } scores) continue;
            var tensors = new List<string> { scores.Name };
            string t = scores.Name;
            while (true)
            {
                var consumers = w.Graph.ConsumersOf(t).ToList();
                if (consumers.Count != 1 || ops[index[consumers[0].Name]].Uses.Count == 0) break;
                var c = consumers[0];
                if (c.Kind == OpKind.AttentionContext && c.Gemm!.Left.Name == t)
                {
                    result.Add(new AttentionChain(i, index[c.Name], tensors));
                    break;
                }
                if (c.Gemm is not null || c.Kind is not (OpKind.Softmax or OpKind.Elementwise or OpKind.Activation) || c.Outputs.Count != 1) break;
                t = c.Outputs[0].Name;
                tensors.Add(t);
            }
        }
        return result;
    }

    /// <summary>
    /// The activations that could stay on chip between operators: each written by one operator and read by at least
    /// one, found with the graph's producer and consumer queries, with the span of operators (indices into
    /// <paramref name="ops"/>, which are in the graph's topological order) over which the tensor is live. Graph outputs,
    /// KV caches and weights always live in DRAM.
    /// </summary>
    public static IReadOnlyList<FusibleTensor> FusibleTensors(Workload w, IReadOnlyList<SimOperator> ops)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < ops.Count; i++) index[ops[i].Name] = i;
        var result = new List<FusibleTensor>();
        foreach (var op in ops)
            foreach (var out_ in op.Uses.Where(u => u.Written))
            {
                if (w.Graph.ProducerOf(out_.Name) != op.Name) continue;
                var spec = w.Graph[op.Name].Outputs.First(t => t.Name == out_.Name);
                if (spec.Role != TensorRole.Activation) continue;
                var consumers = w.Graph.ConsumersOf(out_.Name).Select(c => index[c.Name]).ToList();
                if (consumers.Count == 0 || consumers.Any(c => !ops[c].Uses.Any(u => !u.Written && u.Name == out_.Name))) continue;
                result.Add(new FusibleTensor(out_.Name, spec.Bytes, index[op.Name], consumers.Max()));
            }
        return result;
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
        // the sums depend on the operators alone: found once per operator list
        var classes = OperatorClasses.Of(ops);
        double all = classes.GemmMacs, bad = classes.UnsupportedMacs;
        var first = classes.FirstUnsupported;
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
