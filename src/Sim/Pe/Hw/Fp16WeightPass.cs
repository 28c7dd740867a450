namespace Mantissa.Sim.Pe.Hw;

/// <summary>
/// One pass of fp16 activations times decoded integer-significand weights (ANT, OliVe as BitMoD runs them): each product
/// is exact, the pass sums them in fixed point and is rounded once into the float register, with IEEE's zero sign.
/// </summary>
public struct Fp16WeightPass
{
    private const int Fp16Lsb = -24;   // fp16 minimum subnormal exponent: LSB of the exact fp16 pass sum
    private FixedAccumulator _sum;
    private ZeroSign _zero;

    /// <summary>An empty pass.</summary>
    public static Fp16WeightPass Start() => new() { _sum = new FixedAccumulator(Fp16Lsb) };

    /// <summary>Adds the exact product of the fp16 code <paramref name="a"/> and the weight (−1)^neg · sig · 2^shift.</summary>
    public void Add(in FloatDatapathCodec fp16, uint a, bool negative, ulong sig, int shift)
    {
        var p = Operand.Multiply(fp16.Unpack(a), Operand.Finite(negative, sig, shift));
        _zero.Product(((a >> 15) & 1) != 0, negative, p.IsZero);
        _sum.Add(p);
    }

    /// <summary>Rounds the pass sum once into <paramref name="y"/> (a zero sum keeps the sign IEEE gives it).</summary>
    public readonly void RoundInto(ref RoundingAccumulator y)
    {
        var v = _sum.Value;
        if (v.IsZero) v = new WideValue(_zero.Negative, UInt128.Zero, 0);
        y.Add(_sum.Special.Class, _sum.Special.InfNegative, v);
    }
}
