using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Search;

/// <summary>
/// A thread's reusable search state (<see cref="Mapper"/>): traffic buffers, tile counts, per-depth child buffers, the
/// leaf log and the class bounds. A sweep builds a mapper per design point; taking these from the thread instead of
/// allocating them per mapper keeps a point's search free of allocation. A mapper runs one search at a time on one
/// thread, and every search refills what it reads, so mappers on a thread share them safely.
/// </summary>
internal sealed class SearchScratch
{
    [ThreadStatic] private static SearchScratch? t_current;

    /// <summary>The calling thread's scratch.</summary>
    public static SearchScratch Current => t_current ??= new SearchScratch();

    private TrafficBits? _bits, _dramBits;
    private SearchChildren[] _children = Array.Empty<SearchChildren>();

    public readonly LeafLog Log = new();
    public readonly TileCounts Counts = new();
    public readonly ClassBounds ClassBounds = new();
    public readonly LeafScorer LeafScorer = new();

    /// <summary>The scoring traffic buffer for <paramref name="levels"/> memory levels.</summary>
    public TrafficBits Bits(int levels) => _bits is { } b && b.Levels == levels ? b : _bits = new TrafficBits(levels);

    /// <summary>A second traffic buffer (the class bound's reference), for <paramref name="levels"/> memory levels.</summary>
    public TrafficBits DramBits(int levels) => _dramBits is { } b && b.Levels == levels ? b : _dramBits = new TrafficBits(levels);

    /// <summary>Child buffers for at least <paramref name="depths"/> depths.</summary>
    public SearchChildren[] Children(int depths)
    {
        if (_children.Length < depths)
        {
            int had = _children.Length;
            Array.Resize(ref _children, depths);
            for (int i = had; i < depths; i++) _children[i] = new SearchChildren();
        }
        return _children;
    }
}

/// <summary>The unexplored children of one node: tile, loop order and bound, reused across nodes at the same depth.</summary>
internal sealed class SearchChildren
{
    public readonly long[] Sizes = new long[3 * Mapspace.MaxSizes];
    // grown on first use: a mapspace with one on-chip level has no inner nodes
    private int _capacity;
    public long[] M = Array.Empty<long>(), K = Array.Empty<long>(), N = Array.Empty<long>();
    public byte[] Order = Array.Empty<byte>();
    public double[] Key = Array.Empty<double>();
    public double[] SortKey = Array.Empty<double>();
    public int[] Index = Array.Empty<int>();

    public void Add(int at, long m, long k, long n, int order, double key)
    {
        if (at == _capacity) Grow();
        M[at] = m; K[at] = k; N[at] = n; Order[at] = (byte)order; Key[at] = key;
    }

    public void Sort(int count)
    {
        for (int i = 0; i < count; i++) { Index[i] = i; SortKey[i] = Key[i]; }
        Array.Sort(SortKey, Index, 0, count);
    }

    // the bound the child was sorted by; the other key is re-checked on the next Score when it is expanded
    public (double Primary, double Secondary) Bound(int at, bool second) => second ? (double.NegativeInfinity, Key[at]) : (Key[at], 0);

    private void Grow()
    {
        _capacity = Math.Max(256, 2 * _capacity);
        Array.Resize(ref M, _capacity); Array.Resize(ref K, _capacity); Array.Resize(ref N, _capacity);
        Array.Resize(ref Order, _capacity); Array.Resize(ref Key, _capacity);
        Array.Resize(ref SortKey, _capacity); Array.Resize(ref Index, _capacity);
    }
}
