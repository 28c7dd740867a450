using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>
/// A DAG of operators connected by tensor names: an edge runs from the operator that writes a tensor to each
/// operator that reads it. Weights and declared graph inputs need no producer; any other input without one is a
/// dangling edge. The structure and its order are a QuikGraph graph (<see cref="OperatorDag"/>);
/// <see cref="Operators"/> is in topological order.
/// </summary>
public sealed class WorkloadGraph
{
    private readonly OperatorDag _dag = new();
    private readonly Dictionary<string, Operator> _ops = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string> _producer = new(StringComparer.Ordinal);

    public WorkloadGraph(IEnumerable<Operator> operators, IEnumerable<TensorSpec> inputs)
    {
        Inputs = inputs.ToList();
        var inputNames = new HashSet<string>(Inputs.Select(t => t.Name), StringComparer.Ordinal);
        var ops = operators.ToList();
        foreach (var op in ops)
        {
            _dag.AddVertex(op.Name);
            _ops[op.Name] = op;
            foreach (var t in op.Outputs)
            {
                if (_producer.TryGetValue(t.Name, out var other))
                    throw new MantissaException($"tensor '{t.Name}' is written by both '{other}' and '{op.Name}'");
                if (inputNames.Contains(t.Name))
                    throw new MantissaException($"tensor '{t.Name}' is a graph input but operator '{op.Name}' writes it");
                _producer[t.Name] = op.Name;
            }
        }
        foreach (var op in ops)
            foreach (var t in op.Inputs.DistinctBy(t => t.Name, StringComparer.Ordinal))
            {
                if (_producer.TryGetValue(t.Name, out var from))
                    _dag.AddEdge(from, op.Name, t.Name);
                else if (t.Role != TensorRole.Weight && !inputNames.Contains(t.Name))
                    throw new MantissaException($"dangling edge: operator '{op.Name}' reads tensor '{t.Name}', which no operator writes and which is not a graph input");
            }
        Operators = _dag.TopologicalOrder().Select(n => _ops[n]).ToList();
        Edges = ops.SelectMany(op => _dag.EdgesInto(op.Name)).Select(e => new GraphEdge(e.Source, e.Target, e.Tag)).ToList();
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

    public Operator this[string name] => _ops.TryGetValue(name, out var op) ? op : throw new MantissaException($"no operator named '{name}' in the graph");

    /// <summary>Operators whose outputs <paramref name="name"/> reads (each once).</summary>
    public IEnumerable<Operator> Predecessors(string name) => _dag.Predecessors(this[name].Name).Select(n => _ops[n]);

    /// <summary>Operators reading an output of <paramref name="name"/> (each once).</summary>
    public IEnumerable<Operator> Successors(string name) => _dag.Successors(this[name].Name).Select(n => _ops[n]);

    /// <summary>Name of the operator writing <paramref name="tensor"/>, or null for inputs and weights.</summary>
    public string? ProducerOf(string tensor) => _producer.GetValueOrDefault(tensor);

    /// <summary>Operators reading <paramref name="tensor"/> (none for a graph output; inputs and weights have no edges).</summary>
    public IEnumerable<Operator> ConsumersOf(string tensor) =>
        _producer.TryGetValue(tensor, out var p) ? _dag.Consumers(p, tensor).Select(n => _ops[n]) : Enumerable.Empty<Operator>();

    /// <summary>Multiply-accumulates of all operators.</summary>
    public long Macs { get; }

    /// <summary>Distinct weight tensors read by the pass (a tied embedding counts once, at its largest view).</summary>
    public IReadOnlyList<TensorSpec> Weights { get; }

    /// <summary>Bytes of the distinct weights the pass reads.</summary>
    public double WeightBytes { get; }

    /// <summary>Per-operator statistics in topological order.</summary>
    public IReadOnlyList<NodeStats> Stats() => Operators.Select(o => new NodeStats(
        o, o.Macs, o.ElementsRead, o.BytesRead, o.ElementsWritten, o.BytesWritten, o.WeightElements, o.WeightBytes,
        _dag.Predecessors(o.Name).Count(), _dag.Successors(o.Name).Count())).ToList();
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
