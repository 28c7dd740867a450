namespace Mantissa.Arch.Numerics;

/// <summary>
/// An operand stream in OliVe's outlier–victim pair encoding (Guo et al., ISCA 2023): N-bit element codes, taken two
/// at a time along the reduction (elements 2j and 2j+1 form one pair, <see cref="OutlierVictimPair"/>). A single element
/// code has no value on its own (the identifier 10..0 says its neighbour is an abfloat outlier), so this is a
/// <see cref="NumberFormat"/> for PE operands, not a <see cref="ScalarFormat"/>.
/// </summary>
public sealed record OliveFormat(int ElementBits) : NumberFormat
{
    public override string Name => $"olive{ElementBits}";
    public override int Bits => ElementBits;

    private static readonly OutlierVictimPair?[] Pairs = new OutlierVictimPair?[9];

    /// <summary>The pair codec (the decoder's reference), built once per element width.</summary>
    public OutlierVictimPair Pair => Pairs[ElementBits] ??= new OutlierVictimPair(ElementBits);
}
