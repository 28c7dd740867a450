namespace Mantissa.Sim.Mapping;

/// <summary>
/// Bits read and written at each memory level (indexed like <c>ArchitectureSpec.Memory</c>), per tensor. The mapper
/// keeps one and refills it for every candidate, so scoring allocates nothing.
/// </summary>
public sealed class TrafficBits
{
    private readonly PerTensor[] _reads, _writes;

    public TrafficBits(int levels) { _reads = new PerTensor[levels]; _writes = new PerTensor[levels]; }

    public int Levels => _reads.Length;

    public ref PerTensor Reads(int level) => ref _reads[level];
    public ref PerTensor Writes(int level) => ref _writes[level];

    public void Clear() { Array.Clear(_reads); Array.Clear(_writes); }
}
