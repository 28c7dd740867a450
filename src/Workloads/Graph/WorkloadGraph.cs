using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>
/// A DAG of operators connected by tensor names: an edge runs from the operator that writes a tensor to each
/// operator that reads it. Weights and declared graph inputs need no producer; any other input without one is a
/// dangling edge. <see cref="Operators"/> is in topological order.
/// </summary>
public sealed class WorkloadGraph
{
    private readonly DirectedGraph<Operator> _graph = new();
    private readonly Dictionary<string, string> _producer = new(StringComparer.Ordinal);

    public WorkloadGraph(IEnumerable<Operator> operators, IEnumerable<TensorSpec> inputs)
    {
        Inputs = inputs.ToList();
        var inputNames = new HashSet<string>(Inputs.Select(t => t.Name), StringComparer.Ordinal);
        var ops = operators.ToList();
        foreach (var op in ops)
        {
            _graph.AddNode(op.Name, op);
            foreach (var t in op.Outputs)
            {
                if (_producer.TryGetValue(t.Name, out var other))
                    throw new MantissaException($"tensor '{t.Name}' is written by both '{other}' and '{op.Name}'");
                if (inputNames.Contains(t.Name))
                    throw new MantissaException($"tensor '{t.Name}' is a graph input but operator '{op.Name}' writes it");
                _producer[t.Name] = op.Name;
            }
        }
        var edges = new List<GraphEdge>();
        foreach (var op in ops)
            foreach (var t in op.Inputs)
            {
                if (_producer.TryGetValue(t.Name, out var from))
                {
                    _graph.AddEdge(from, op.Name);
                    edges.Add(new GraphEdge(from, op.Name, t.Name));
                }
                else if (t.Role != TensorRole.Weight && !inputNames.Contains(t.Name))
                    throw new MantissaException($"dangling edge: operator '{op.Name}' reads tensor '{t.Name}', which no operator writes and which is not a graph input");
            }
        Operators = _graph.TopologicalOrder().Select(n => _graph[n]).ToList();
        Edges = edges;
        Macs = Operators.Sum(o => o.Macs);
        Weights = Operators.SelectMany(o => o.Weights).GroupBy(t => t.Name, StringComparer.Ordinal)
                           .Select(g => g.MaxBy(t => t.Bytes)!).ToList();
        WeightBytes = Weights.Sum(t => t.Bytes);
    }

    /// <summary>Operators in topological order (stable: builders' order when it is already valid).</summary>
    public IReadOnlyList<Operator> Operators { get; }

    /// <summary>Tensors fed from outside the graph (token ids, images, the past KV cache of hand-written graphs).</summary>
    public IReadOnlyList<TensorSpec> Inputs { get; }

    /// <summary>Producer → consumer edges, labelled by tensor name.</summary>
    public IReadOnlyList<GraphEdge> Edges { get; }

    public Operator this[string name] => _graph[name];

    public IEnumerable<Operator> Predecessors(string name) => _graph.Predecessors(name).Select(n => _graph[n]);
    public IEnumerable<Operator> Successors(string name) => _graph.Successors(name).Select(n => _graph[n]);

    /// <summary>Name of the operator writing <paramref name="tensor"/>, or null for inputs and weights.</summary>
    public string? ProducerOf(string tensor) => _producer.GetValueOrDefault(tensor);

    /// <summary>Multiply-accumulates of all operators.</summary>
    public long Macs { get; }

    /// <summary>Distinct weight tensors read by the pass (a tied embedding counts once, at its largest view).</summary>
    public IReadOnlyList<TensorSpec> Weights { get; }

    /// <summary>Bytes of the distinct weights the pass reads.</summary>
    public double WeightBytes { get; }

    /// <summary>Per-operator statistics in topological order.</summary>
    public IReadOnlyList<NodeStats> Stats() => Operators.Select(o => new NodeStats(
        o, o.Macs, o.ElementsRead, o.BytesRead, o.ElementsWritten, o.BytesWritten, o.WeightElements, o.WeightBytes,
        _graph.Predecessors(o.Name).Count, _graph.Successors(o.Name).Count)).ToList();
}

/// <summary>An edge of a <see cref="WorkloadGraph"/>: <see cref="Tensor"/> flows from <see cref="From"/> to <see cref="To"/>.</summary>
public sealed record GraphEdge(string From, string To, string Tensor);

/// <summary>Traffic and compute of one operator, with its fan-in and fan-out.</summary>
public sealed record NodeStats(
    Operator Op, long Macs, long ElementsRead, double BytesRead, long ElementsWritten, double BytesWritten,
    long WeightElements, double WeightBytes, int FanIn, int FanOut)
{
    /// <summary>MACs per byte moved (read + written), the roofline x-axis when nothing is reused on chip.</summary>
    public double MacsPerByte => BytesRead + BytesWritten == 0 ? 0 : Macs / (BytesRead + BytesWritten);
}
