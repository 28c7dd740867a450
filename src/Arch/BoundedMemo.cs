using System.Collections.Concurrent;

namespace Mantissa.Arch;

/// <summary>A thread-safe memo that starts over once it has taken <c>capacity</c> entries, so a long sweep's caches stay bounded.</summary>
/// <remarks>Entries are counted apart from the dictionary: <see cref="ConcurrentDictionary{TKey,TValue}.Count"/> takes every
/// bucket lock (the most contended lock of a 2-job sweep when called on every miss), and the first such call in a process
/// builds the collections' EventSource by reflection (about 1.5 % of `simulate`'s main-thread instructions).</remarks>
public sealed class BoundedMemo<TKey, TValue> where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, TValue> _map;
    private readonly int _capacity;
    private int _added;

    /// <summary>A memo holding at most <paramref name="capacity"/> entries, keys compared by <paramref name="comparer"/> (default equality when null).</summary>
    public BoundedMemo(int capacity, IEqualityComparer<TKey>? comparer = null)
    {
        if (capacity < 1) throw new ArgumentOutOfRangeException(nameof(capacity), "capacity must be positive");
        _capacity = capacity;
        _map = new ConcurrentDictionary<TKey, TValue>(comparer);
    }

    /// <summary>The value kept for <paramref name="key"/>, if any.</summary>
    public bool TryGetValue(TKey key, out TValue value) => _map.TryGetValue(key, out value!);

    /// <summary>Keeps <paramref name="value"/> for <paramref name="key"/>, first starting over when the memo is full.</summary>
    public void Add(TKey key, TValue value)
    {
        // a race may count one entry twice or clear twice: the bound holds and the memo only forgets
        if (Interlocked.Increment(ref _added) > _capacity)
        {
            _map.Clear();
            Volatile.Write(ref _added, 1);
        }
        _map[key] = value;
    }
}
