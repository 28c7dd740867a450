using Mantissa.Sim.Compute;
using Mantissa.Sim.Results;

namespace Mantissa.Sim;

/// <summary>
/// Priced layers by their GEMM problem, as a dictionary keyed by the problem would keep them, with the first entry held
/// inline: a sweep builds one simulator per design point, and a GEMM point prices a single problem, for which a
/// dictionary's tables were about 500 bytes a point. A mutable struct: keep it in a field and call it in place.
/// </summary>
internal struct LayerMemo
{
    private GemmProblem _firstKey;
    private LayerResult? _first;
    private Dictionary<GemmProblem, LayerResult>? _rest;
    private int _capacity;

    /// <summary>Room for <paramref name="count"/> entries when the table is made (a workload run knows its shapes).</summary>
    public void Expect(int count)
    {
        // the first entry is held inline
        _capacity = Math.Max(_capacity, count - 1);
        _rest?.EnsureCapacity(count - 1);
    }

    public readonly bool TryGetValue(in GemmProblem p, out LayerResult result)
    {
        if (_first is not null && _firstKey.Equals(p)) { result = _first; return true; }
        if (_rest is not null && _rest.TryGetValue(p, out var found)) { result = found; return true; }
        result = null!;
        return false;
    }

    /// <summary>Sets (or replaces) the result of <paramref name="p"/>; returns it.</summary>
    public LayerResult Set(in GemmProblem p, LayerResult result)
    {
        if (_first is null || _firstKey.Equals(p)) { _firstKey = p; _first = result; }
        else (_rest ??= new Dictionary<GemmProblem, LayerResult>(_capacity))[p] = result;
        return result;
    }
}
