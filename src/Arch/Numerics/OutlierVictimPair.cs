namespace Mantissa.Arch.Numerics;

/// <summary>
/// OliVe's outlier–victim pair encoding (Guo et al., ISCA 2023) of two adjacent N-bit elements in integer units.
/// A normal element is a two's-complement intN limited to ±(2^(N−1)−1); its spare code 10..0 is the identifier. An
/// element that rounds past the normal range is an outlier: it is stored as <see cref="AbFloatFormat"/> and its
/// neighbour becomes the victim (pruned to 0, stored as the identifier). If both are outliers the first is kept and
/// the second is the victim, as OliVe's public quantizer does (olive_quantization/antquant/quant_modules.py: the odd
/// element after an outlier is the victim before the even one is considered).
/// </summary>
/// <remarks>
/// Pair code layout: the first element in the low N bits, the second in the high N bits. Each element is rounded
/// once onto the combined magnitude grid 0, 1, ..., 2^(N−1)−1, then the abfloat outliers; a tie goes to the even
/// index of that grid, which is round-half-even between integers, the even code between outliers, and the outlier
/// at the boundary between the normal maximum and the smallest outlier (OliVe's quantizer also picks the outlier
/// there). Directed modes round the magnitude as the sign dictates; values beyond the largest outlier saturate.
/// </remarks>
public sealed class OutlierVictimPair
{
    private readonly MagnitudeTable _grid;
    private readonly int _normalMax;

    public OutlierVictimPair(int elementBits)
    {
        if (elementBits is < 4 or > 8) throw new MantissaException($"OliVe pair elements must be 4..8 bits, got {elementBits}");
        ElementBits = elementBits;
        Normal = new IntFormat(elementBits, true);
        Outlier = new AbFloatFormat(elementBits);
        _normalMax = (1 << (elementBits - 1)) - 1;
        var mags = new List<(ulong, int)>();
        for (int i = 0; i <= _normalMax; i++) mags.Add(((ulong)i, 0));
        for (ulong c = 1; c < 1UL << (elementBits - 1); c++) mags.Add(Outlier.Magnitude(c));
        _grid = new MagnitudeTable(mags);
    }

    public int ElementBits { get; }

    /// <summary>Bits of one pair code (two elements).</summary>
    public int PairBits => 2 * ElementBits;

    /// <summary>The normal element format (the code 10..0 is reserved as the identifier).</summary>
    public IntFormat Normal { get; }

    /// <summary>The outlier element format.</summary>
    public AbFloatFormat Outlier { get; }

    /// <summary>The code a victim holds (the normal int's unused most negative code).</summary>
    public ulong Identifier => 1UL << (ElementBits - 1);

    public string Name => $"olive{ElementBits}";

    private ulong ElementMask => (1UL << ElementBits) - 1;

    /// <summary>The two exact values of a pair code (bits above <see cref="PairBits"/> are ignored).</summary>
    public (ExactValue First, ExactValue Second) Decode(ulong pair)
    {
        ulong a = pair & ElementMask, b = (pair >> ElementBits) & ElementMask;
        if (a == Identifier) return (ExactValue.Zero, Outlier.Decode(b).Value);
        if (b == Identifier) return (Outlier.Decode(a).Value, ExactValue.Zero);
        return (Normal.Decode(a).Value, Normal.Decode(b).Value);
    }

    /// <summary>Whether the pair holds an outlier (one of its codes is the identifier).</summary>
    public bool HasOutlier(ulong pair) =>
        (pair & ElementMask) == Identifier || ((pair >> ElementBits) & ElementMask) == Identifier;

    /// <summary>Encodes two values, rounding each once, then pruning the victim of an outlier.</summary>
    public ulong Encode(ExactValue first, ExactValue second, RoundingMode mode = RoundingMode.Rne, Random? rng = null)
    {
        var (na, ia) = RoundElement(first, mode, rng);
        var (nb, ib) = RoundElement(second, mode, rng);
        if (ia > _normalMax) return Identifier << ElementBits | OutlierCode(na, ia);
        if (ib > _normalMax) return OutlierCode(nb, ib) << ElementBits | Identifier;
        return NormalCode(nb, ib) << ElementBits | NormalCode(na, ia);
    }

    public ulong Encode(double first, double second, RoundingMode mode = RoundingMode.Rne, Random? rng = null) =>
        Encode(ExactValue.FromDouble(first), ExactValue.FromDouble(second), mode, rng);

    /// <summary>The sign and combined-grid index an element rounds to (NaN → 0, ±inf → the largest outlier).</summary>
    private (bool Negative, int Index) RoundElement(ExactValue v, RoundingMode mode, Random? rng) => v.Kind switch
    {
        ExactKind.NaN or ExactKind.Zero => (false, 0),
        ExactKind.Infinity => (v.Negative, _grid.Count - 1),
        _ => (v.Negative, _grid.Round(v.ToUnrounded(), MagnitudeRoundingOf.For(mode, v.Negative), rng)),
    };

    private ulong NormalCode(bool negative, int index) => (ulong)(negative ? -index : index) & ElementMask;

    private ulong OutlierCode(bool negative, int index) =>
        (negative ? 1UL << (ElementBits - 1) : 0) | (ulong)(uint)(index - _normalMax);
}
