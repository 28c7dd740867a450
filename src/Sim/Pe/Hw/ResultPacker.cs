using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe.Hw;

/// <summary>The output stage: rounds an exact (or sticky-jammed) result into the output format's code.</summary>
public static class ResultPacker
{
    public static ulong Pack(ScalarFormat format, OperandClass cls, bool infNeg, in WideValue v)
    {
        switch (format)
        {
            case FloatFormat f:
                return new FloatDatapathCodec(f).Pack(cls, infNeg, v);
            case PositFormat p:
                return new PositDatapathCodec(p).Pack(cls, v);
            case IntFormat i:
                if (cls != OperandClass.Finite) throw new MantissaException($"an integer output ({i.Name}) cannot hold NaN or infinity");
                return PackInt(i, v);
            default:
                throw new MantissaException($"{format.Name} is not a supported output format (use an int, fp or posit format)");
        }
    }

    /// <summary>Rounds to the nearest integer (ties to even) and saturates to the format's range.</summary>
    public static ulong PackInt(IntFormat f, in WideValue v)
    {
        Int128 q;
        if (v.Exp >= 0) q = v.Msb + v.Exp > 100 ? (Int128)1 << 100 : (Int128)(v.Mag << v.Exp);
        else
        {
            int s = -v.Exp;
            UInt128 t = s >= 128 ? 0 : v.Mag >> s;
            UInt128 rem = s >= 128 ? v.Mag : v.Mag & ((UInt128.One << s) - 1);
            if (s <= 128)
            {
                UInt128 half = UInt128.One << (s - 1);
                if (rem > half || (rem == half && (t & 1) != 0)) t++;
            }
            q = (Int128)t;
        }
        if (v.Neg) q = -q;
        q = Int128.Clamp(q, f.MinValue, f.MaxValue);
        return (ulong)q & f.CodeMask;
    }

    /// <summary>Sign-extends an n-bit two's-complement code (n ≤ 32).</summary>
    public static long SignExtend(uint code, int bits) => bits >= 64 ? code : ((long)code << (64 - bits)) >> (64 - bits);

    /// <summary>Sign-extends an n-bit two's-complement code (n ≤ 64).</summary>
    public static long SignExtend(ulong code, int bits) => bits >= 64 ? (long)code : ((long)code << (64 - bits)) >> (64 - bits);
}
