namespace Mantissa.Workloads.Tests;

/// <summary>Structural checks over every bundled model: GEMM views agree with their tensors, and the graph is connected.</summary>
public class GraphInvariantTests
{
    public static IEnumerable<object[]> Models() =>
        WorkloadCatalog.Names.SelectMany(n => WorkloadCatalog.Describe(n).Kind == WorkloadKind.Llm
            ? new[] { new object[] { n, Phase.Prefill }, new object[] { n, Phase.Decode } }
            : new[] { new object[] { n, Phase.Prefill } });

    [Theory]
    [MemberData(nameof(Models))]
    public void Gemm_views_match_their_operand_tensors(string model, Phase phase)
    {
        var w = WorkloadCatalog.Build(model, new WorkloadOptions(phase, Batch: 2, Seq: phase == Phase.Prefill && WorkloadCatalog.Describe(model).Kind is WorkloadKind.Llm ? 64 : null,
                                                                  Kv: phase == Phase.Decode ? 96 : null));
        Assert.Equal(w.Graph.Operators.Sum(o => o.Gemm?.Macs ?? 0), w.Macs);
        foreach (var op in w.Graph.Operators)
        {
            Assert.Equal(op.Gemm?.Macs ?? 0, op.Macs);
            if (op.Gemm is not { } g) continue;
            Assert.Equal(g.Batch * g.M * g.N, g.Output.Elements);
            Assert.Equal(g.Batch * g.K * g.N, g.Right.Elements * g.RightSharedBy);
            if (op.Kind != OpKind.Conv2d) Assert.Equal(g.Batch * g.M * g.K, g.Left.Elements);
            Assert.Equal(g.RightIsWeight, g.Right.Role == TensorRole.Weight);
            Assert.Contains(op.Inputs, t => t.Name == g.Left.Name && t.Format == g.Left.Format);
            Assert.Contains(op.Inputs, t => t.Name == g.Right.Name && t.Format == g.Right.Format);
        }
        // Every operator output but the final one feeds another operator.
        var sinks = w.Graph.Operators.Where(o => !w.Graph.Successors(o.Name).Any()).Select(o => o.Name).ToList();
        Assert.Single(sinks);
        Assert.Contains(w.Graph[sinks[0]].Outputs, t => t.Role == TensorRole.Output);
    }
}
