using System.Collections;

namespace Mantissa.Sim.Results;

/// <summary>
/// Per operator, its priced result, held once per slot: the operators that price alike share a slot (a Llama-2-7B decode
/// step's 643 operators in a few dozen), so a run keeps a slot table shared by the runs of its operator list or plan and
/// one short array of results, not an array of every operator's. Immutable.
/// </summary>
internal sealed class SlotLayers : IReadOnlyList<LayerResult>
{
    private readonly int[] _slotOf;
    private readonly LayerResult[] _results;

    /// <param name="slotOf">Per operator, its slot (shared, not modified).</param>
    /// <param name="results">Per slot, its result (this instance keeps the array).</param>
    public SlotLayers(int[] slotOf, LayerResult[] results)
    {
        _slotOf = slotOf; _results = results;
    }

    public int Count => _slotOf.Length;

    public LayerResult this[int index] => _results[_slotOf[index]];

    public IEnumerator<LayerResult> GetEnumerator()
    {
        for (int i = 0; i < _slotOf.Length; i++) yield return _results[_slotOf[i]];
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
