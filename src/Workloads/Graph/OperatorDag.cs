using Mantissa.Arch;
using QuikGraph;
using QuikGraph.Algorithms.Search;

namespace Mantissa.Workloads;

/// <summary>
/// The operator DAG as a QuikGraph bidirectional graph: vertices are operator names, each edge carries the tensor
/// that flows along it. Topological order and cycle detection come from QuikGraph's depth-first search.
/// </summary>
internal sealed class OperatorDag
{
    private readonly BidirectionalGraph<string, TaggedEdge<string, string>> _graph = new(allowParallelEdges: true);

    public void AddVertex(string name)
    {
        if (!_graph.AddVertex(name)) throw new MantissaException($"graph already has an operator named '{name}'");
    }

    public void AddEdge(string from, string to, string tensor) => _graph.AddEdge(new TaggedEdge<string, string>(from, to, tensor));

    /// <summary>Edges into <paramref name="name"/>, in the order its inputs name the tensors.</summary>
    public IEnumerable<TaggedEdge<string, string>> EdgesInto(string name) => _graph.InEdges(name);

    /// <summary>Distinct producers of the operator's inputs, in the order its inputs name them.</summary>
    public IEnumerable<string> Predecessors(string name) => _graph.InEdges(name).Select(e => e.Source).Distinct(StringComparer.Ordinal);

    /// <summary>Distinct consumers of the operator's outputs.</summary>
    public IEnumerable<string> Successors(string name) => _graph.OutEdges(name).Select(e => e.Target).Distinct(StringComparer.Ordinal);

    /// <summary>Operators reading the tensor <paramref name="tensor"/> written by <paramref name="producer"/>.</summary>
    public IEnumerable<string> Consumers(string producer, string tensor) =>
        _graph.OutEdges(producer).Where(e => e.Tag == tensor).Select(e => e.Target).Distinct(StringComparer.Ordinal);

    /// <summary>
    /// A topological order that keeps the order vertices were added wherever that order is already valid: a depth-first
    /// search of the reversed graph, in insertion order, emits each operator once all its producers are emitted
    /// (postorder), pulling a producer listed later forward to just before its first consumer.
    /// A back edge of the search is a cycle, reported with its operators in order.
    /// </summary>
    public IReadOnlyList<string> TopologicalOrder()
    {
        var reversed = new ReversedBidirectionalGraph<string, TaggedEdge<string, string>>(_graph);
        var dfs = new DepthFirstSearchAlgorithm<string, SReversedEdge<string, TaggedEdge<string, string>>>(reversed);
        var order = new List<string>(_graph.VertexCount);
        var parent = new Dictionary<string, string>(StringComparer.Ordinal);
        List<string>? cycle = null;
        dfs.TreeEdge += e => parent[e.Target] = e.Source;
        dfs.FinishVertex += v => order.Add(v);
        dfs.BackEdge += e =>
        {
            if (cycle is not null) return;
            // The reversed edge consumer → producer closes a loop to an operator still on the search path. Walking the search
            // tree up from the consumer (each step a reversed edge, so a data-flow edge forwards) reaches that producer,
            // and the producer feeds the consumer: the walk is the loop in data-flow order.
            var path = new List<string> { e.Source };
            for (string cur = e.Source; cur != e.Target; ) { cur = parent[cur]; path.Add(cur); }
            cycle = path;
        };
        dfs.Compute();
        if (cycle is not null) throw new MantissaException("the graph has a cycle: " + string.Join(" -> ", InDataFlowOrder(cycle)));
        return order;
    }

    // Start the loop at the operator added first, so the message does not depend on where the search entered it.
    private List<string> InDataFlowOrder(List<string> loop)
    {
        var cycle = loop;
        var index = _graph.Vertices.Select((v, i) => (v, i)).ToDictionary(x => x.v, x => x.i, StringComparer.Ordinal);
        int first = cycle.IndexOf(cycle.MinBy(n => index[n])!);
        cycle = cycle.Skip(first).Concat(cycle.Take(first)).ToList();
        cycle.Add(cycle[0]);
        return cycle;
    }
}
