using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>
/// A floating-point accumulator register (fp32 or fp16) updated by a fused add: y ← RNE(y + t) for an exact term t,
/// with IEEE special values (NaN absorbs, +Inf + −Inf is NaN) and IEEE zero signs: (−0) + (−0) = −0, other zero
/// sums and exact cancellations are +0, and an underflow to zero keeps the sign. Starts at +0 (a cleared register), or at
/// −0 when it sums products in K order: −0 is the identity of IEEE addition, so the result is then that of the sum.
/// </summary>
public struct RoundingAccumulator
{
    private readonly FloatDatapathCodec _codec;
    private uint _code;

    public RoundingAccumulator(FloatFormat format, bool startNegativeZero = false)
    {
        _codec = new FloatDatapathCodec(format);
        _code = startNegativeZero ? 1u << (format.Bits - 1) : 0;
    }

    private readonly bool IsZero => (_code & ~(1u << (_codec.Format.Bits - 1))) == 0;

    private readonly bool SignBit => (_code >> (_codec.Format.Bits - 1)) != 0;

    /// <summary>The register's value with the sign of a zero kept (for the final rounding into the output format).</summary>
    public readonly WideValue Value => IsZero ? new WideValue(SignBit, UInt128.Zero, 0) : WideValue.From(Current);

    /// <summary>y ← y + (±0): changes only a zero register, which stays −0 only when both are −0.</summary>
    public void AddZero(bool neg)
    {
        if (IsZero && !(SignBit && neg)) _code = 0;
    }

    public readonly uint Code => _code;

    public readonly FloatFormat Format => _codec.Format;

    /// <summary>The register's current value, unpacked.</summary>
    public readonly Operand Current => _codec.Unpack(_code);

    /// <summary>y ← RNE(y + t), t exact (or jammed); <paramref name="cls"/>/<paramref name="neg"/> describe a special t.</summary>
    public void Add(OperandClass cls, bool neg, in WideValue t)
    {
        var y = _codec.Unpack(_code);
        if (y.Class == OperandClass.NaN) return;
        if (cls == OperandClass.NaN) { _code = _codec.NaNCode; return; }
        if (y.Class == OperandClass.Inf)
        {
            if (cls == OperandClass.Inf && neg != y.Neg) _code = _codec.NaNCode;
            return;
        }
        if (cls == OperandClass.Inf) { _code = _codec.InfCode(neg); return; }
        if (t.IsZero) { AddZero(t.Neg); return; }
        _code = _codec.Pack(WideAdder.Add(WideValue.From(y), t));
    }

    public void Add(in Operand p) => Add(p.Class, p.Neg, WideValue.From(p));

    /// <summary>Adds s·X for an unpacked scale s and an exact fixed-point group sum X with special flags.</summary>
    public void AddScaled(in Operand s, in FixedAccumulator x)
    {
        var sp = x.Special;
        OperandClass xc = sp.Class;
        if (s.Class == OperandClass.NaN || xc == OperandClass.NaN) { Add(OperandClass.NaN, false, default); return; }
        var xv = x.Value;
        if (s.Class == OperandClass.Inf || xc == OperandClass.Inf)
        {
            bool sZero = s.IsZero, xZero = xc == OperandClass.Finite && xv.IsZero;
            if (sZero || xZero) { Add(OperandClass.NaN, false, default); return; }
            bool xNeg = xc == OperandClass.Inf ? sp.InfNegative : xv.Neg;
            Add(OperandClass.Inf, s.Neg ^ xNeg, default);
            return;
        }
        if (s.Sig == 0 || xv.IsZero) { AddZero(s.Neg ^ xv.Neg); return; }
        var v = xv;
        // Group sums stay below ~80 bits and a scale significand adds ≤ 24, so the product is exact in 128 bits.
        if (v.Msb + 64 - (int)ulong.LeadingZeroCount(s.Sig) > 127) throw new InvalidOperationException("scaled group sum exceeds 128 bits");
        Add(OperandClass.Finite, false, new WideValue(s.Neg ^ v.Neg, v.Mag * s.Sig, v.Exp + s.Exp));
    }
}
