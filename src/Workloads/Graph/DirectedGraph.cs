using Mantissa.Arch;

namespace Mantissa.Workloads;

/// <summary>A small directed graph keyed by node name, with duplicate, dangling-edge and cycle checks.</summary>
public sealed class DirectedGraph<T>
{
    private readonly Dictionary<string, T> _nodes = new(StringComparer.Ordinal);
    private readonly List<string> _order = new();
    private readonly Dictionary<string, List<string>> _out = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<string>> _in = new(StringComparer.Ordinal);

    public int Count => _nodes.Count;
    public IReadOnlyList<string> Names => _order;
    public T this[string name] => _nodes.TryGetValue(name, out var v) ? v : throw new MantissaException($"no node named '{name}' in the graph");
    public bool Contains(string name) => _nodes.ContainsKey(name);

    public void AddNode(string name, T value)
    {
        if (_nodes.ContainsKey(name)) throw new MantissaException($"graph already has a node named '{name}'");
        _nodes[name] = value;
        _order.Add(name);
        _out[name] = new List<string>();
        _in[name] = new List<string>();
    }

    /// <summary>Adds the edge <paramref name="from"/> → <paramref name="to"/>; both ends must already exist.</summary>
    public void AddEdge(string from, string to)
    {
        if (!_nodes.ContainsKey(from)) throw new MantissaException($"dangling edge '{from}' -> '{to}': there is no node '{from}'");
        if (!_nodes.ContainsKey(to)) throw new MantissaException($"dangling edge '{from}' -> '{to}': there is no node '{to}'");
        if (_out[from].Contains(to, StringComparer.Ordinal)) return;
        _out[from].Add(to);
        _in[to].Add(from);
    }

    public IReadOnlyList<string> Successors(string name) => _out.TryGetValue(name, out var l) ? l : throw new MantissaException($"no node named '{name}' in the graph");
    public IReadOnlyList<string> Predecessors(string name) => _in.TryGetValue(name, out var l) ? l : throw new MantissaException($"no node named '{name}' in the graph");

    public IEnumerable<(string From, string To)> Edges => _order.SelectMany(f => _out[f].Select(t => (f, t)));

    /// <summary>Kahn's algorithm, stable in insertion order; a cycle is reported with its nodes in order.</summary>
    public IReadOnlyList<string> TopologicalOrder()
    {
        var indeg = _order.ToDictionary(n => n, n => _in[n].Count, StringComparer.Ordinal);
        var ready = new PriorityQueue<string, int>();
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int i = 0; i < _order.Count; i++) index[_order[i]] = i;
        foreach (var n in _order) if (indeg[n] == 0) ready.Enqueue(n, index[n]);
        var result = new List<string>(_order.Count);
        while (ready.TryDequeue(out var n, out _))
        {
            result.Add(n);
            foreach (var s in _out[n])
                if (--indeg[s] == 0) ready.Enqueue(s, index[s]);
        }
        if (result.Count != _order.Count) throw new MantissaException("the graph has a cycle: " + string.Join(" -> ", FindCycle(indeg)));
        return result;
    }

    private List<string> FindCycle(Dictionary<string, int> indeg)
    {
        // Every node left with in-degree > 0 has a predecessor also left over; walk back until a node repeats.
        string start = _order.First(n => indeg[n] > 0);
        var seen = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        string cur = start;
        while (!seen.ContainsKey(cur))
        {
            seen[cur] = path.Count;
            path.Add(cur);
            cur = _in[cur].First(p => indeg[p] > 0);
        }
        var cycle = path.Skip(seen[cur]).Reverse().ToList();
        // Start at the node added first, so the message is stable.
        int first = cycle.IndexOf(cycle.MinBy(n => _order.IndexOf(n))!);
        cycle = cycle.Skip(first).Concat(cycle.Take(first)).ToList();
        cycle.Add(cycle[0]);
        return cycle;
    }
}
