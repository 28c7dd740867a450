using Mantissa.Sim.Results;
using QuikGraph;
using QuikGraph.Algorithms.ConnectedComponents;

namespace Mantissa.Sim.Fusion;

/// <summary>
/// Groups the operators joined by tensors kept on chip: the connected components (QuikGraph) of the graph whose edges
/// run from each resident tensor's producer to its consumers. Groups are numbered by their first operator.
/// </summary>
internal static class FusionGroups
{
    public static List<FusionGroup> Build(IReadOnlyList<SimOperator> ops, HashSet<string> resident, HashSet<string> tiled, double[] live,
        IReadOnlyList<LayerResult> unfused, IReadOnlyList<LayerResult> fused)
    {
        var graph = new UndirectedGraph<int, Edge<int>>();
        var producer = new Dictionary<string, int>(StringComparer.Ordinal);
        var bytes = new Dictionary<string, double>(StringComparer.Ordinal);
        for (int i = 0; i < ops.Count; i++)
            foreach (var u in ops[i].Uses)
                if (u.Written && resident.Contains(u.Name)) { producer[u.Name] = i; bytes[u.Name] = u.Bytes; graph.AddVertex(i); }
        for (int i = 0; i < ops.Count; i++)
            foreach (var u in ops[i].Uses)
                if (!u.Written && producer.TryGetValue(u.Name, out int from))
                {
                    graph.AddVertex(i);
                    graph.AddEdge(new Edge<int>(from, i));
                }
        var components = new ConnectedComponentsAlgorithm<int, Edge<int>>(graph);
        components.Compute();
        var groups = new List<FusionGroup>();
        // Each kept tensor belongs to its producer's component; bucketing them once keeps this linear in the operators.
        var tensorsOf = producer.GroupBy(kv => components.Components[kv.Value])
            .ToDictionary(g => g.Key, g => g.OrderBy(kv => kv.Value).Select(kv => kv.Key).ToList());
        foreach (var (component, members) in components.Components.GroupBy(kv => kv.Value)
                     .Select(g => (g.Key, g.Select(kv => kv.Key).OrderBy(i => i).ToList())).OrderBy(m => m.Item2[0]))
        {
            var tensors = tensorsOf.GetValueOrDefault(component) ?? new List<string>();
            groups.Add(new FusionGroup(groups.Count + 1, members.Select(i => ops[i].Name).ToList(), tensors, tensors.Sum(t => bytes[t]),
                members.Max(i => live[i]),
                members.Sum(i => unfused[i].DramBytes), members.Sum(i => fused[i].DramBytes), Compulsory(ops, members, resident))
            {
                TiledAttention = tensors.Any(tiled.Contains),
            });
        }
        return groups;
    }

    // Every tensor the group reads from or leaves for DRAM (inputs, weights, outputs not kept on chip), once.
    private static double Compulsory(IReadOnlyList<SimOperator> ops, List<int> members, HashSet<string> resident)
    {
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        foreach (int i in members)
            foreach (var u in ops[i].Uses)
                if (!resident.Contains(u.Name)) seen[u.Name] = Math.Max(seen.GetValueOrDefault(u.Name), u.Bytes);
        return seen.Values.Sum();
    }
}
