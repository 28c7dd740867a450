using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>Bit-level decoder and RNE encoder of binary floating-point formats (IEEE, OCP finite-only, OCP E4M3).</summary>
public readonly struct FloatDatapathCodec
{
    private readonly int _e, _m, _bias;
    private readonly FloatFlavor _flavor;
    private readonly uint _expMask;

    public FloatDatapathCodec(FloatFormat f)
    {
        _e = f.ExponentBits;
        _m = f.MantissaBits;
        _bias = f.Bias;
        _flavor = f.Flavor;
        _expMask = (1u << _e) - 1;
        Format = f;
    }

    public FloatFormat Format { get; }

    private int Width => 1 + _e + _m;

    /// <summary>Decodes a code into sign, integer significand (hidden bit included for normals) and exponent.</summary>
    public Operand Unpack(uint code)
    {
        bool neg = ((code >> (_e + _m)) & 1) != 0;
        uint ef = (code >> _m) & _expMask;
        ulong frac = code & ((1u << _m) - 1);
        if (ef == _expMask)
        {
            if (_flavor == FloatFlavor.Ieee) return frac == 0 ? Operand.Inf(neg) : Operand.NaN;
            if (_flavor == FloatFlavor.OcpE4M3 && frac == (1u << _m) - 1) return Operand.NaN;
        }
        if (ef == 0) return Operand.Finite(neg, frac, 1 - _bias - _m);
        return Operand.Finite(neg, frac | (1UL << _m), (int)ef - _bias - _m);
    }

    /// <summary>Code of the canonical NaN (IEEE quiet NaN; E4M3 S.1111.111); finite-only formats have none and return max.</summary>
    public uint NaNCode => _flavor switch
    {
        FloatFlavor.Ieee => (_expMask << _m) | (1u << (_m - 1 < 0 ? 0 : _m - 1)),
        FloatFlavor.OcpE4M3 => (_expMask << _m) | ((1u << _m) - 1),
        _ => MaxCode,
    };

    public uint InfCode(bool neg) => _flavor == FloatFlavor.Ieee ? Sign(neg) | (_expMask << _m) : Sign(neg) | MaxCode;

    /// <summary>Largest finite positive code.</summary>
    public uint MaxCode => _flavor switch
    {
        FloatFlavor.Ieee => ((_expMask - 1) << _m) | ((1u << _m) - 1),
        FloatFlavor.OcpE4M3 => (_expMask << _m) | ((1u << _m) - 2),
        _ => (_expMask << _m) | ((1u << _m) - 1),
    };

    private uint Sign(bool neg) => neg ? 1u << (_e + _m) : 0u;

    /// <summary>
    /// Rounds ±Mag·2^Exp to nearest-even. Overflow gives ±Inf in IEEE formats and saturates to ±max in OCP formats
    /// (which have no infinity). Zero keeps its sign, and so does a value that underflows to zero (IEEE 754 §6.3):
    /// the callers give an exact zero the sign the IEEE rules give it (+0 for x − x).
    /// </summary>
    public uint Pack(in WideValue v)
    {
        if (v.IsZero) return Sign(v.Neg);
        int msb = v.Msb;
        int emin = 1 - _bias;
        int unbiased = msb + v.Exp;                       // exponent of the leading bit
        int lsbWeight = Math.Max(unbiased, emin) - _m;     // weight of the last kept significand bit
        int shift = lsbWeight - v.Exp;
        UInt128 q;
        if (shift <= 0) q = v.Mag << -shift;
        else if (shift > 128) q = 0;                        // far below the smallest subnormal: rounds to zero
        else
        {
            q = shift == 128 ? UInt128.Zero : v.Mag >> shift;
            UInt128 rem = shift == 128 ? v.Mag : v.Mag & ((UInt128.One << shift) - 1);
            UInt128 half = UInt128.One << (shift - 1);
            if (rem > half || (rem == half && (q & 1) != 0)) q++;
        }
        // q holds the hidden bit at position _m for normals; adding the biased exponent minus one lets a rounding
        // carry out of the significand bump the exponent field, exactly as the hardware's single adder does.
        UInt128 mag = q;
        if (q >> _m != 0)
        {
            int biased = Math.Max(unbiased, emin) + _bias;
            mag = ((UInt128)(uint)(biased - 1) << _m) + q;
        }
        if (mag > MaxCode) return InfCode(v.Neg);
        return Sign(v.Neg) | (uint)mag;
    }

    /// <summary>Packs a class-aware result (NaN, ±Inf or a wide finite value).</summary>
    public uint Pack(OperandClass cls, bool neg, in WideValue v) => cls switch
    {
        OperandClass.NaN => NaNCode,
        OperandClass.Inf => InfCode(neg),
        _ => Pack(v),
    };
}
