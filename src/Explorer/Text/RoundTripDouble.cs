using System.Globalization;
using System.Numerics;

namespace Mantissa.Explorer.Text;

/// <summary>
/// Writes a double as <c>value.ToString("R", CultureInfo.InvariantCulture)</c> does, character for character, without
/// .NET's general number formatter: the shortest digits that read back as the same double (the closest such digits, ties
/// to even) by Ryu (Ulf Adams, "Ryū: fast float-to-string conversion", PLDI 2018), laid out by .NET's "R" rules. A sweep
/// writes ten or so of these per results row, and .NET's path (Grisu3 into a digit buffer, then its general layout) cost
/// about a quarter of a shared-mapping point. RoundTripDoubleTests checks it against .NET over millions of doubles.
/// </summary>
public static class RoundTripDouble
{
    /// <summary>The most characters <see cref="TryWrite"/> writes ("-2.2250738585072014E-308" is 24).</summary>
    public const int MaxLength = 32;

    /// <summary>
    /// Writes <paramref name="value"/> to <paramref name="destination"/> as "R" with the invariant culture writes it;
    /// false when it is too short. NaN, the infinities and the powers of two go through .NET: the first are rare and their
    /// text is the culture's; for a few powers of two .NET writes digits one place shorter than the shortest that read back
    /// as the same double (2^-25 as 2.980232238769531E-08, which reads back as the double below it), and its text is the
    /// one to match.
    /// </summary>
    public static bool TryWrite(double value, Span<char> destination, out int written)
    {
        if (!double.IsFinite(value)) return value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        if (destination.Length < MaxLength) return value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
        ulong bits = BitConverter.DoubleToUInt64Bits(value);
        int at = 0;
        if ((long)bits < 0) destination[at++] = '-';
        ulong mantissa = bits & ((1UL << MantissaBits) - 1);
        uint exponent = (uint)(bits >> MantissaBits) & 0x7FF;
        if (mantissa == 0)
        {
            if (exponent != 0) return value.TryFormat(destination, out written, "R", CultureInfo.InvariantCulture);
            destination[at++] = '0';
            written = at;
            return true;
        }
        var (digits, exponent10) = Shortest(mantissa, exponent);
        // .NET's digit buffer holds no trailing zeros
        while (digits % 10 == 0) { digits /= 10; exponent10++; }
        written = at + Layout(digits, exponent10, destination[at..]);
        return true;
    }

    // The "R" layout of digits × 10^exponent10 (digits has no trailing zero): .NET's general format with as many
    // significant digits as the number has, at least 17 (the most a double needs to round-trip): scientific notation
    // ("1E+17", "1.5E-05", at least two exponent digits, sign always) when the decimal point would fall more than that
    // many digits to the right of the first digit, or more than three zeros to its left.
    private static int Layout(ulong digits, int exponent10, Span<char> to)
    {
        Span<char> text = stackalloc char[20];
        int n = 20;
        for (ulong d = digits; d != 0; d /= 10) text[--n] = (char)('0' + (int)(d % 10));
        var ds = text[n..];
        int count = ds.Length;
        int scale = count + exponent10; // value = 0.ds × 10^scale
        int at = 0;
        if (scale > Math.Max(count, 17) || scale < -3)
        {
            to[at++] = ds[0];
            if (count > 1)
            {
                to[at++] = '.';
                ds[1..].CopyTo(to[at..]);
                at += count - 1;
            }
            int e = scale - 1;
            to[at++] = 'E';
            to[at++] = e < 0 ? '-' : '+';
            if (e < 0) e = -e;
            if (e >= 100) to[at++] = (char)('0' + e / 100);
            to[at++] = (char)('0' + e / 10 % 10);
            to[at++] = (char)('0' + e % 10);
            return at;
        }
        if (scale <= 0)
        {
            to[at++] = '0';
            to[at++] = '.';
            for (int z = scale; z < 0; z++) to[at++] = '0';
            ds.CopyTo(to[at..]);
            return at + count;
        }
        if (scale >= count)
        {
            ds.CopyTo(to);
            at = count;
            for (int z = count; z < scale; z++) to[at++] = '0';
            return at;
        }
        ds[..scale].CopyTo(to);
        at = scale;
        to[at++] = '.';
        ds[scale..].CopyTo(to[at..]);
        return at + count - scale;
    }

    private const int MantissaBits = 52;
    private const int ExponentBias = 1023;
    private const int Pow5InvBitCount = 125;
    private const int Pow5BitCount = 125;

    // Ryu's tables, computed here exactly as its generator does rather than pasted: 5^i scaled to 125 bits (truncated), and
    // floor(2^(bitlength(5^i) - 1 + 125) / 5^i) + 1, each as (low, high) 64-bit halves.
    private static readonly ulong[] Pow5Split = Table(326, inverse: false);
    private static readonly ulong[] Pow5InvSplit = Table(342, inverse: true);

    private static ulong[] Table(int size, bool inverse)
    {
        var table = new ulong[2 * size];
        var mask = (BigInteger.One << 64) - 1;
        for (int i = 0; i < size; i++)
        {
            var pow = BigInteger.Pow(5, i);
            int length = (int)pow.GetBitLength();
            var v = inverse ? (BigInteger.One << (length - 1 + Pow5InvBitCount)) / pow + 1
                : length >= Pow5BitCount ? pow >> (length - Pow5BitCount) : pow << (Pow5BitCount - length);
            table[2 * i] = (ulong)(v & mask);
            table[2 * i + 1] = (ulong)(v >> 64);
        }
        return table;
    }

    // Ryu's d2d: the shortest decimal digits × 10^exponent in the interval of reals that round to the double, the closest
    // to it when several are as short (ties to even digits), bounds included when the mantissa is even (round-half-even
    // reading).
    private static (ulong Digits, int Exponent) Shortest(ulong ieeeMantissa, uint ieeeExponent)
    {
        int e2;
        ulong m2;
        if (ieeeExponent == 0)
        {
            e2 = 1 - ExponentBias - MantissaBits - 2;
            m2 = ieeeMantissa;
        }
        else
        {
            e2 = (int)ieeeExponent - ExponentBias - MantissaBits - 2;
            m2 = (1UL << MantissaBits) | ieeeMantissa;
        }
        bool acceptBounds = (m2 & 1) == 0;
        ulong mv = 4 * m2;
        uint mmShift = ieeeMantissa != 0 || ieeeExponent <= 1 ? 1u : 0u;
        ulong vr, vp, vm;
        int e10;
        bool vmIsTrailingZeros = false, vrIsTrailingZeros = false;
        if (e2 >= 0)
        {
            uint q = Log10Pow2(e2) - (e2 > 3 ? 1u : 0u);
            e10 = (int)q;
            int k = Pow5InvBitCount + Pow5Bits((int)q) - 1;
            int i = -e2 + (int)q + k;
            vr = MulShiftAll(m2, Pow5InvSplit, (int)q, i, out vp, out vm, mmShift);
            if (q <= 21)
            {
                if (mv % 5 == 0) vrIsTrailingZeros = MultipleOfPowerOf5(mv, q);
                else if (acceptBounds) vmIsTrailingZeros = MultipleOfPowerOf5(mv - 1 - mmShift, q);
                else vp -= MultipleOfPowerOf5(mv + 2, q) ? 1UL : 0UL;
            }
        }
        else
        {
            uint q = Log10Pow5(-e2) - (-e2 > 1 ? 1u : 0u);
            e10 = (int)q + e2;
            int i = -e2 - (int)q;
            int k = Pow5Bits(i) - Pow5BitCount;
            int j = (int)q - k;
            vr = MulShiftAll(m2, Pow5Split, i, j, out vp, out vm, mmShift);
            if (q <= 1)
            {
                vrIsTrailingZeros = true;
                if (acceptBounds) vmIsTrailingZeros = mmShift == 1;
                else --vp;
            }
            else if (q < 63)
            {
                vrIsTrailingZeros = (mv & ((1UL << (int)q) - 1)) == 0;
            }
        }

        int removed = 0;
        uint lastRemovedDigit = 0;
        ulong output;
        if (vmIsTrailingZeros || vrIsTrailingZeros)
        {
            // the rare general case (~0.7 % of doubles)
            for (;;)
            {
                ulong vpDiv10 = vp / 10, vmDiv10 = vm / 10;
                if (vpDiv10 <= vmDiv10) break;
                uint vmMod10 = (uint)(vm - 10 * vmDiv10);
                ulong vrDiv10 = vr / 10;
                uint vrMod10 = (uint)(vr - 10 * vrDiv10);
                vmIsTrailingZeros &= vmMod10 == 0;
                vrIsTrailingZeros &= lastRemovedDigit == 0;
                lastRemovedDigit = vrMod10;
                vr = vrDiv10; vp = vpDiv10; vm = vmDiv10;
                ++removed;
            }
            if (vmIsTrailingZeros)
            {
                for (;;)
                {
                    ulong vmDiv10 = vm / 10;
                    uint vmMod10 = (uint)(vm - 10 * vmDiv10);
                    if (vmMod10 != 0) break;
                    ulong vpDiv10 = vp / 10, vrDiv10 = vr / 10;
                    uint vrMod10 = (uint)(vr - 10 * vrDiv10);
                    vrIsTrailingZeros &= lastRemovedDigit == 0;
                    lastRemovedDigit = vrMod10;
                    vr = vrDiv10; vp = vpDiv10; vm = vmDiv10;
                    ++removed;
                }
            }
            // round half to even when the exact value ends in ...50..0
            if (vrIsTrailingZeros && lastRemovedDigit == 5 && vr % 2 == 0) lastRemovedDigit = 4;
            output = vr + ((vr == vm && (!acceptBounds || !vmIsTrailingZeros)) || lastRemovedDigit >= 5 ? 1UL : 0UL);
        }
        else
        {
            bool roundUp = false;
            ulong vpDiv100 = vp / 100, vmDiv100 = vm / 100;
            if (vpDiv100 > vmDiv100)
            {
                ulong vrDiv100 = vr / 100;
                uint vrMod100 = (uint)(vr - 100 * vrDiv100);
                roundUp = vrMod100 >= 50;
                vr = vrDiv100; vp = vpDiv100; vm = vmDiv100;
                removed += 2;
            }
            for (;;)
            {
                ulong vpDiv10 = vp / 10, vmDiv10 = vm / 10;
                if (vpDiv10 <= vmDiv10) break;
                ulong vrDiv10 = vr / 10;
                uint vrMod10 = (uint)(vr - 10 * vrDiv10);
                roundUp = vrMod10 >= 5;
                vr = vrDiv10; vp = vpDiv10; vm = vmDiv10;
                ++removed;
            }
            output = vr + (vr == vm || roundUp ? 1UL : 0UL);
        }
        return (output, e10 + removed);
    }

    private static ulong MulShiftAll(ulong m, ulong[] table, int index, int j, out ulong vp, out ulong vm, uint mmShift)
    {
        ulong low = table[2 * index], high = table[2 * index + 1];
        vp = MulShift(4 * m + 2, low, high, j);
        vm = MulShift(4 * m - 1 - mmShift, low, high, j);
        return MulShift(4 * m, low, high, j);
    }

    // (m × (high·2^64 + low)) >> j, for j ≥ 64 (m is at most 55 bits)
    private static ulong MulShift(ulong m, ulong low, ulong high, int j)
    {
        ulong high1 = Math.BigMul(m, high, out ulong low1);
        ulong high0 = Math.BigMul(m, low, out _);
        ulong sum = high0 + low1;
        if (sum < high0) ++high1;
        int shift = j - 64;
        return (high1 << (64 - shift)) | (sum >> shift);
    }

    private static bool MultipleOfPowerOf5(ulong value, uint p)
    {
        uint count = 0;
        while (value % 5 == 0) { value /= 5; count++; }
        return count >= p;
    }

    // ceil(log2(5^e)) for 0 ≤ e ≤ 3528 (1217359 / 2^19 ≈ log2 5)
    private static int Pow5Bits(int e) => (int)(((uint)e * 1217359) >> 19) + 1;

    // floor(log10(2^e)) for 0 ≤ e ≤ 1650 (78913 / 2^18 ≈ log10 2)
    private static uint Log10Pow2(int e) => ((uint)e * 78913) >> 18;

    // floor(log10(5^e)) for 0 ≤ e ≤ 2620 (732923 / 2^20 ≈ log10 5)
    private static uint Log10Pow5(int e) => ((uint)e * 732923) >> 20;
}
