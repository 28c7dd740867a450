namespace Mantissa.Sim.Search;

/// <summary>
/// The leaves the first pass of <see cref="Mapper"/> visited in a mapspace with one on-chip level, per segment (dataflow
/// and bypass choice), in search order: tile, loop order and keys, exact when the leaf was scored, else the lower bound
/// (<see cref="LeafBound"/>, or the order class's bound) that let the first pass skip it. Reused across searches.
/// </summary>
internal sealed class LeafLog
{
    private int _capacity, _count;
    public long[] M = Array.Empty<long>(), K = Array.Empty<long>(), N = Array.Empty<long>();
    public byte[] Order = Array.Empty<byte>();
    public double[] Primary = Array.Empty<double>(), Secondary = Array.Empty<double>();
    /// <summary>False when the keys are a lower bound (the leaf was not scored).</summary>
    public bool[] Exact = Array.Empty<bool>();
    /// <summary>The lower bound is the leaf's order class bound (<see cref="Mapper"/>'s ClassBound), not its tile's.</summary>
    public bool[] ClassBound = Array.Empty<bool>();
    private int[] _from = Array.Empty<int>(), _to = Array.Empty<int>();

    public void Reset(int segments)
    {
        _count = 0;
        if (_from.Length < segments) { _from = new int[segments]; _to = new int[segments]; }
        Array.Fill(_from, -1, 0, segments);
    }

    public bool Logged(int segment) => _from[segment] >= 0;
    public (int From, int To) Range(int segment) => (_from[segment], _to[segment]);
    public void Begin(int segment) => _from[segment] = _count;
    public void End(int segment) => _to[segment] = _count;

    public void Add(long m, long k, long n, int order, double primary, double secondary, bool exact, bool classBound = false)
    {
        if (_count == _capacity) Grow();
        M[_count] = m; K[_count] = k; N[_count] = n; Order[_count] = (byte)order;
        Primary[_count] = primary; Secondary[_count] = secondary; Exact[_count] = exact; ClassBound[_count] = classBound;
        _count++;
    }

    private void Grow()
    {
        _capacity = Math.Max(256, 2 * _capacity);
        Array.Resize(ref M, _capacity); Array.Resize(ref K, _capacity); Array.Resize(ref N, _capacity);
        Array.Resize(ref Order, _capacity); Array.Resize(ref Primary, _capacity); Array.Resize(ref Secondary, _capacity);
        Array.Resize(ref Exact, _capacity); Array.Resize(ref ClassBound, _capacity);
    }
}
