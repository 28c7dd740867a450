using System.Collections;
using Mantissa.Sim.Fusion;

namespace Mantissa.Sim.Results;

/// <summary>
/// A workload run's layers: per operator, the priced result it shares with the other operators of its shape (the
/// simulator prices each shape once), under the operator's own name and kind, with its format note (GEMMs) and fused
/// group. The named copies are made the first time the layers are read, all at once; a sweep reads only the totals
/// (<see cref="Priced"/>, whose numbers are the named layers') and <see cref="FormatFallbacks"/>, so it makes none.
/// </summary>
internal sealed class NamedLayers : IReadOnlyList<LayerResult>
{
    private readonly IReadOnlyList<SimOperator> _ops;
    private readonly int[]? _groupOf;
    private LayerResult[]? _named;

    /// <param name="ops">The operators, in run order (not modified later: the lowering memo's list).</param>
    /// <param name="priced">Per operator its priced result (this instance keeps the list: the caller must not change it).</param>
    /// <param name="groupOf">Per operator its 1-based fused group, 0 for none (shared, not modified); null: no fusion.</param>
    public NamedLayers(IReadOnlyList<SimOperator> ops, IReadOnlyList<LayerResult> priced, int[]? groupOf)
    {
        if (priced.Count != ops.Count) throw new ArgumentException($"{priced.Count} results for {ops.Count} operators");
        _ops = ops; Priced = priced; _groupOf = groupOf;
    }

    /// <summary>Per operator, the shared priced result: cycles, traffic, energy and MACs as the named layer has them.</summary>
    public IReadOnlyList<LayerResult> Priced { get; }

    /// <summary>Layers whose GEMM ran at the PE's own formats (a format note), counted without naming the layers.</summary>
    public int FormatFallbacks
    {
        // counted once per operator list
        get => OperatorClasses.Of(_ops).FormatFallbacks;
    }

    public int Count => _ops.Count;

    public LayerResult this[int index] => Named()[index];

    public IEnumerator<LayerResult> GetEnumerator() => ((IEnumerable<LayerResult>)Named()).GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // Each operator's result under its own name and kind, with its format note (GEMMs) and fused group; a result that
    // already has them is kept as it is. Built once (concurrent first readers may each build it; one copy is kept).
    private LayerResult[] Named()
    {
        if (Volatile.Read(ref _named) is { } done) return done;
        var named = new LayerResult[_ops.Count];
        for (int i = 0; i < named.Length; i++)
        {
            var (op, r) = (_ops[i], Priced[i]);
            string? note = op.Gemm is null ? null : op.FormatNote;
            int? group = _groupOf is not null && _groupOf[i] > 0 ? _groupOf[i] : null;
            named[i] = r.Name == op.Name && r.Kind == op.Kind && r.FormatNote == note && r.FusionGroup == group
                ? r : r with { Name = op.Name, Kind = op.Kind, FormatNote = note, FusionGroup = group };
        }
        return Interlocked.CompareExchange(ref _named, named, null) ?? named;
    }
}
