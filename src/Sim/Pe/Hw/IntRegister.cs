using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>
/// A two's-complement accumulator register of an integer PE (2..64 bits): each pass's exact sum is added once, then the
/// register wraps (drops carries beyond its width) or saturates (clamps to its range). A 64-bit register holds its value
/// in a <see cref="long"/>; the add is checked for overflow there, so wrap and saturate mean the same at every width.
/// </summary>
public readonly struct IntRegister
{
    private readonly long _min, _max;
    private readonly int _bits;
    private readonly bool _saturate;

    public IntRegister(IntFormat format, bool saturate)
    {
        if (!format.Signed) throw new MantissaException($"an integer accumulator register is two's complement: use a signed int format (e.g. int32), got {format.Name}");
        _bits = format.IntBits;
        _min = (long)format.MinValue;
        _max = (long)format.MaxValue;
        _saturate = saturate;
    }

    /// <summary>The register after adding one pass's sum to <paramref name="acc"/> (a value the register holds).</summary>
    public long Add(long acc, long passSum)
    {
        long s = unchecked(acc + passSum);                 // the 64-bit adder: exact unless it overflows 64 bits
        bool overflow64 = ((acc ^ s) & (passSum ^ s)) < 0;
        if (_saturate)
        {
            if (overflow64) return passSum < 0 ? _min : _max;
            return Math.Clamp(s, _min, _max);
        }
        return ResultPacker.SignExtend((ulong)s, _bits); // wrap: keep the low bits (at 64 bits the adder's own wrap)
    }

    /// <summary>The register's value as a code of its format.</summary>
    public ulong Code(long acc) => _bits >= 64 ? (ulong)acc : (ulong)acc & ((1UL << _bits) - 1);
}
