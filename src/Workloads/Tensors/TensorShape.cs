using Mantissa.Arch;

namespace Mantissa.Workloads.Tensors;

/// <summary>Element and byte counts of a tensor shape read from a file, in checked 64-bit arithmetic.</summary>
public static class TensorShape
{
    /// <summary>The product of <paramref name="shape"/>, or null when it overflows 64 bits.</summary>
    public static long? TryElementCount(IReadOnlyList<long> shape)
    {
        long n = 1;
        foreach (var d in shape)
        {
            if (d < 0) return null;
            if (d != 0 && n > long.MaxValue / d) return null;
            n *= d;
        }
        return n;
    }

    /// <summary>Elements × <paramref name="elementBytes"/>; throws a user error naming <paramref name="where"/> when it overflows.</summary>
    public static long Bytes(IReadOnlyList<long> shape, int elementBytes, string where)
    {
        var n = TryElementCount(shape);
        if (n is null || n > long.MaxValue / elementBytes)
            throw new MantissaException($"{where}: shape [{string.Join(", ", shape)}] has more elements than any file can hold (its size overflows 64 bits)");
        return n.Value * elementBytes;
    }

    /// <summary>Throws when a tensor chosen for reading has no values (a zero in its shape).</summary>
    public static void RequireValues(IReadOnlyList<long> shape, string where)
    {
        if (TryElementCount(shape) == 0)
            throw new MantissaException($"{where}: shape [{string.Join(", ", shape)}] has no values (a dimension is 0); nothing to quantize");
    }
}
