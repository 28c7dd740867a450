namespace Mantissa.Arch.Cost;

/// <summary>
/// A lossy, fixed-size record of hash codes seen before (one direct-mapped slot per code): <see cref="SeenBefore"/> says
/// whether a code was offered earlier and not yet displaced. Memos use it to keep an entry only when its key comes back,
/// so a sweep of designs that never repeat does not fill them with entries the garbage collector then copies through
/// every generation before they are dropped. Thread-safe; a wrong answer costs only time (a lost or an extra entry).
/// </summary>
public sealed class SeenFilter
{
    private readonly int[] _slots;
    private readonly int _mask;

    /// <param name="bits">Log2 of the slot count (16: 65,536 slots, 256 KB).</param>
    public SeenFilter(int bits = 16)
    {
        if (bits is < 1 or > 24) throw new ArgumentOutOfRangeException(nameof(bits), "bits must be 1..24");
        _slots = new int[1 << bits];
        _mask = _slots.Length - 1;
    }

    /// <summary>
    /// True when <paramref name="hash"/> was offered before (and its slot not taken since); records it either way. The slots
    /// start at 0, so a code of 0 counts as seen from the start (one entry kept early: time, not correctness).
    /// </summary>
    public bool SeenBefore(int hash)
    {
        // mix the high bits in: the memos' hash codes come from HashCode, whose low bits are already well spread, but a
        // caller's own GetHashCode might not be
        ref int slot = ref _slots[(hash ^ (hash >>> 16)) & _mask];
        if (Volatile.Read(ref slot) == hash) return true;
        Volatile.Write(ref slot, hash);
        return false;
    }
}
