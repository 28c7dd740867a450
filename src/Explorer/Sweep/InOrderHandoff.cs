using System.Diagnostics;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// Results of work items 0..count-1, finished in any order by several workers, handed on in index order. Whichever worker
/// finishes the item that is next in order takes the lock and hands on every consecutive finished item; a worker that
/// finds the lock taken does not wait for it but returns to its next item, since the holder checks again for finished
/// items after it lets go. So no worker ever blocks on another's ordering, formatting or writing of rows.
/// </summary>
internal sealed class InOrderHandoff<T> where T : class
{
    private readonly T?[] _slots;
    private readonly object _gate = new();
    private readonly Action<List<T>> _handOn;
    private readonly List<T> _ready = new();
    private int _next;

    /// <param name="handOn">Called under the lock with the next run of consecutive finished items, in index order.</param>
    public InOrderHandoff(int count, Action<List<T>> handOn)
    {
        _slots = new T?[count];
        _handOn = handOn;
    }

    /// <summary>Item <paramref name="index"/> is finished: hands it on, with the items it was holding up, unless another worker is handing on (it will).</summary>
    public void Complete(int index, T item, WorkerMeter meter)
    {
        Volatile.Write(ref _slots[index], item);
        while (true)
        {
            // TryEnter is an interlocked operation, so the item is visible to a holder that has not yet let go
            if (!Monitor.TryEnter(_gate)) { meter.Deferred(); return; }
            long start = Stopwatch.GetTimestamp();
            try { HandOnReady(); }
            finally
            {
                Monitor.Exit(_gate);
                meter.Held(Stopwatch.GetTimestamp() - start);
            }
            // An item finished while this worker held the lock may be next now, and its worker did not wait: look again.
            // The barrier keeps this read after the release, which the other worker's failed TryEnter saw.
            Interlocked.MemoryBarrier();
            int next = Volatile.Read(ref _next);
            if (next >= _slots.Length || Volatile.Read(ref _slots[next]) is null) return;
        }
    }

    /// <summary>Finished items not yet handed on because an earlier one is unfinished, in index order (after the workers have stopped).</summary>
    public List<T> Stranded()
    {
        lock (_gate)
        {
            HandOnReady();
            var rest = new List<T>();
            for (int i = _next; i < _slots.Length; i++)
                if (_slots[i] is { } item) rest.Add(item);
            return rest;
        }
    }

    private void HandOnReady()
    {
        _ready.Clear();
        int next = _next;
        while (next < _slots.Length && Volatile.Read(ref _slots[next]) is { } item)
        {
            _ready.Add(item);
            _slots[next] = null; // keep no finished rows in memory once handed on
            next++;
        }
        Volatile.Write(ref _next, next);
        if (_ready.Count > 0) _handOn(_ready);
    }
}
