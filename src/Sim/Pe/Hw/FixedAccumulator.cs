using Mantissa.Arch;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>
/// A Kulisch accumulator / posit quire: a two's-complement fixed-point register (up to 127 bits) whose LSB weighs
/// 2^LsbExp, plus IEEE special-value flags. Adds are exact; rounding happens only when the caller packs the result.
/// </summary>
public struct FixedAccumulator
{
    private Int128 _acc;
    private SpecialFlags _special;

    public FixedAccumulator(int lsbExp) { LsbExp = lsbExp; _acc = 0; _special = default; }

    public int LsbExp { get; }

    public readonly Int128 Raw => _acc;

    public readonly SpecialFlags Special => _special;

    /// <summary>Bits a register needs for <paramref name="terms"/> products with leading bit below 2^maxExp and LSB 2^lsbExp.</summary>
    public static int BitsNeeded(int maxExp, int lsbExp, long terms) =>
        maxExp - lsbExp + 1 + (int)Math.Ceiling(Math.Log2(Math.Max(terms, 1)));

    /// <summary>Throws when a register of the modelled 127 bits cannot hold the sum exactly.</summary>
    public static void CheckFits(int maxExp, int lsbExp, long terms, string what)
    {
        int bits = BitsNeeded(maxExp, lsbExp, terms);
        if (bits > 126)
            throw new MantissaException($"{what}: an exact accumulator for {terms} terms needs {bits} bits; the model holds 126 (use a rounding accumulator such as fp32, fewer terms, or a narrower format)");
    }

    public void Add(in Operand p)
    {
        if (p.Class != OperandClass.Finite) { _special.Add(p); return; }
        if (p.Sig == 0) return;
        int shift = p.Exp - LsbExp;
        Int128 v;
        if (shift >= 0) v = (Int128)(UInt128)p.Sig << shift;
        else
        {
            // A significand with trailing zeros may sit below the LSB; only zeros may fall off.
            if (-shift >= 64 || (p.Sig & ((1UL << -shift) - 1)) != 0)
                throw new InvalidOperationException($"value 2^{p.Exp} below the accumulator LSB 2^{LsbExp}");
            v = (Int128)(p.Sig >> -shift);
        }
        _acc += p.Neg ? -v : v;
    }

    /// <summary>Adds a signed integer already in units of 2^LsbExp·2^shift.</summary>
    public void AddScaled(Int128 value, int shift) => _acc += value << shift;

    public readonly WideValue Value => WideValue.FromSigned(_acc, LsbExp);

    public void Clear() { _acc = 0; _special = default; }
}

/// <summary>IEEE special-value bookkeeping for an accumulation: any NaN, or +Inf and −Inf together, give NaN.</summary>
public struct SpecialFlags
{
    private bool _nan, _pos, _neg;

    public void Add(in Operand p)
    {
        if (p.Class == OperandClass.NaN) _nan = true;
        else if (p.Class == OperandClass.Inf) { if (p.Neg) _neg = true; else _pos = true; }
    }

    public readonly OperandClass Class => _nan || (_pos && _neg) ? OperandClass.NaN : _pos || _neg ? OperandClass.Inf : OperandClass.Finite;

    public readonly bool InfNegative => _neg;
}
