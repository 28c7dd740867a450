using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Cost;

/// <summary>The widths a datapath needs from one operand format: storage bits, significand bits, exponent or scale range.</summary>
internal readonly record struct OperandShape(NumberFormat Format, int Bits, int SigBits, bool IsInteger, bool IsPosit, int ExpBits, int MaxExp, int MinExp)
{
    public static OperandShape Of(NumberFormat f)
    {
        switch (f)
        {
            case BlockFormat b: return Of(b.Element) with { Format = f };
            case IntFormat i: return new(f, i.IntBits, i.IntBits, true, false, 0, i.IntBits, 0);
            case TernaryFormat: return new(f, 2, 2, true, false, 0, 1, 0);
            case FloatFormat fl:
            {
                int topCode = (1 << fl.ExponentBits) - 1;
                // IEEE reserves the top exponent code; OCP finite-only and E4M3 use it for numbers.
                int emax = (fl.Flavor == FloatFlavor.Ieee ? topCode - 1 : topCode) - fl.Bias;
                int eminSub = 1 - fl.Bias - fl.MantissaBits;
                return new(f, fl.Bits, fl.MantissaBits + 1, false, false, fl.ExponentBits, emax, eminSub);
            }
            case PositFormat p:
            {
                int maxScale = (p.PositBits - 2) << p.Es;
                int sig = Math.Max(1, p.PositBits - 2 - p.Es);
                int expBits = (int)Math.Ceiling(Math.Log2(2 * maxScale + 1)) + 1;
                return new(f, p.PositBits, sig, false, true, expBits, maxScale, -maxScale);
            }
            case E8M0Format: return new(f, 8, 1, false, false, 8, 127, -127);
            case AntFormat ant:
            {
                // Decoded to sign, significand and shift (ANT, MICRO 2022): flint significands carry at most B−1 bits
                // (its integer half), powers of two one; the largest magnitude is 2^(2B−2) (flint) or 2^(2^B−2) (pot).
                int b = ant.MagnitudeBits;
                int sig = ant.Type == AntType.Pot ? 1 : Math.Max(1, b - 1);
                int maxExp = ant.Type == AntType.Pot ? (1 << b) - 2 : 2 * b - 2;
                return new(f, ant.Bits, sig, false, false, Log2Ceil(maxExp + 1), maxExp, 0);
            }
            case OliveFormat o:
            {
                // Decoded to sign, significand and shift (OliVe, ISCA 2023): a normal element is an (N−1)-bit magnitude,
                // an abfloat outlier (1 + f/2^(N−3))·2^(e+N−1) below 2^(N+3) (abfloat4: at most 96).
                int n = o.ElementBits;
                return new(f, n, n - 1, false, false, 3, n + 2, 0);   // shifts 0..5: 3 bits
            }
            default: throw new MantissaException($"format '{f.Name}' has no datapath cost model");
        }
    }

    /// <summary>Bits of a fixed-point register that holds any product of the two operands exactly.</summary>
    public static int ExactProductSpan(OperandShape w, OperandShape a)
    {
        if (w.IsInteger && a.IsInteger) return w.Bits + a.Bits;
        // Products range from 2^(minW+minA) to just under 2^(maxW+maxA+2); integers contribute their own bit count.
        int hi = (w.IsInteger ? w.Bits : w.MaxExp + 1) + (a.IsInteger ? a.Bits : a.MaxExp + 1);
        int lo = (w.IsInteger ? 0 : w.MinExp) + (a.IsInteger ? 0 : a.MinExp);
        return hi - lo + 1;
    }

    public static int Log2Ceil(int k) => k <= 1 ? 0 : (int)Math.Ceiling(Math.Log2(k));
}
