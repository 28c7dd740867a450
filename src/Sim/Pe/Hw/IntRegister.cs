using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>
/// A two's-complement accumulator register of an integer PE: each pass's exact sum is added once, then the register
/// wraps (drops carries beyond its width) or saturates (clamps to its range).
/// </summary>
public readonly struct IntRegister(IntFormat format, bool saturate)
{
    /// <summary>The register after adding one pass's sum to <paramref name="acc"/>.</summary>
    public long Add(long acc, long passSum)
    {
        long s = acc + passSum;
        return saturate ? Math.Clamp(s, format.MinValue, format.MaxValue) : ResultPacker.SignExtend((uint)(ulong)s, format.IntBits);
    }

    /// <summary>The register's value as a code of its format.</summary>
    public uint Code(long acc) => (uint)(ulong)acc & (format.IntBits == 32 ? uint.MaxValue : (1u << format.IntBits) - 1);
}
