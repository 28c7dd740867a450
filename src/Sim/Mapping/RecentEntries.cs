using System.Collections.Concurrent;

namespace Mantissa.Sim.Mapping;

/// <summary>
/// The last <c>count</c> entries added, looked up by key (first in, first out): a short memory for results that are kept
/// for longer only when their key comes back (<see cref="MappingCache"/>). Lookups take no lock; adds take one.
/// </summary>
internal sealed class RecentEntries<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _entries = new();
    private readonly TKey[] _order;
    private readonly bool[] _used;
    private int _next;
    private readonly Lock _lock = new();

    public RecentEntries(int count)
    {
        if (count < 1) throw new ArgumentOutOfRangeException(nameof(count), "count must be positive");
        _order = new TKey[count];
        _used = new bool[count];
    }

    public bool TryGetValue(TKey key, out TValue value) => _entries.TryGetValue(key, out value!);

    /// <summary>Adds <paramref name="key"/> (a key already present keeps its value) and drops the oldest entry when full.</summary>
    public void Add(TKey key, TValue value)
    {
        lock (_lock)
        {
            if (!_entries.TryAdd(key, value)) return;
            if (_used[_next]) _entries.TryRemove(_order[_next], out _);
            _order[_next] = key;
            _used[_next] = true;
            _next = (_next + 1) % _order.Length;
        }
    }
}
