using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

using Mantissa.Sim.Pe;

namespace Mantissa.Verification.Reference;

/// <summary>
/// The arithmetic definition of every PE kind with exact rationals: products and sums are exact, and rounding happens
/// only where the kind's specification names it. Reads a model's configuration (formats, group size, modes), never its
/// datapath.
/// </summary>
public static class PeReference
{
    private static readonly FloatFormat Fp32 = (FloatFormat)NumberFormat.Parse("fp32");
    private static readonly FloatFormat Fp16 = (FloatFormat)NumberFormat.Parse("fp16");

    public static ulong Expected(PeModel pe, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        var s = pe.Spec;
        return s.Kind.Arithmetic(s) switch
        {
            PeArithmetic.IntegerPasses => IntPasses(s, a, w, (IntFormat)s.Accumulator, pe.Output),
            PeArithmetic.FusedIntegerPasses => IntPasses(s with { DotWidth = s.DotWidth * FusedProducts(s) }, a, w, (IntFormat)s.Accumulator, pe.Output),
            PeArithmetic.OliveIntegerPasses => OliveInt(s, a, w, (IntFormat)s.Accumulator, pe.Output),
            PeArithmetic.IntegerWeightsFp32Passes => Fp32Passes(pe, a, IntegerValues(s.WeightFormat, w)),
            PeArithmetic.OliveWeightsFp32Passes => Fp32Passes(pe, a, OliveValues((OliveFormat)s.WeightFormat, w)),
            PeArithmetic.DequantizedGroups => Dequantized(pe, a, w, scales, zeros),
            PeArithmetic.LookupTable => Lut(pe, a, w, scales),
            PeArithmetic.ExactSumRoundedOnce => Final(pe.Output, ExactSum(s, a, w)),
            PeArithmetic.PositFmaPerProduct => PositFma(pe, a, w),
            PeArithmetic.FloatAddPerProduct => FloatPerAdd(pe, a, w),
            PeArithmetic.MxBlocks => Mx(pe, a, w, scales),
            _ => throw new MantissaException($"no reference rule for PE kind {s.Kind.Name}"),
        };
    }

    private static RefValue Dec(NumberFormat f, uint code) => RefFormats.Decode((ScalarFormat)f, code);

    private static ulong Final(ScalarFormat output, RefValue v) => RefFormats.Round(output, v);

    /// <summary>
    /// An OliVe operand stream: the pair codec's exact values (elements 2j and 2j+1 decode together; an odd last element
    /// pairs with code 0). A decoded zero is +0 (the decoder outputs the integer 0).
    /// </summary>
    private static System.Numerics.BigInteger[] OliveValues(OliveFormat olive, ReadOnlySpan<uint> w)
    {
        var pair = olive.Pair;
        var values = new System.Numerics.BigInteger[w.Length];
        for (int j = 0; j < w.Length; j += 2)
        {
            ulong hi = j + 1 < w.Length ? w[j + 1] : 0;
            var (first, second) = pair.Decode((hi << olive.ElementBits) | w[j]);
            values[j] = Integer(first);
            if (j + 1 < w.Length) values[j + 1] = Integer(second);
        }
        return values;
    }

    private static System.Numerics.BigInteger Integer(ExactValue v)
    {
        if (v.Kind == ExactKind.Zero) return 0;
        var n = v.Exp2 >= 0 ? v.Num << v.Exp2 : v.Num >> -v.Exp2;
        n /= v.Den;
        return v.Negative ? -n : n;
    }

    private static ulong OliveInt(PeSpec s, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, IntFormat acc, ScalarFormat output)
    {
        var wv = OliveValues((OliveFormat)s.WeightFormat, w);
        // W4A4 mode: activations pair-coded too, decoded by the same codec.
        var av = s.ActivationFormat is OliveFormat ao ? OliveValues(ao, a) : null;
        var mod = System.Numerics.BigInteger.One << acc.IntBits;
        System.Numerics.BigInteger y = 0;
        for (int p = 0; p < a.Length; p += s.DotWidth)
        {
            for (int i = p; i < Math.Min(a.Length, p + s.DotWidth); i++) y += (av is null ? Dec(s.ActivationFormat, a[i]).V.Num : av[i]) * wv[i];
            if (s.Parameters.Overflow == OverflowMode.Saturate) y = System.Numerics.BigInteger.Clamp(y, acc.MinValue, acc.MaxValue);
            else
            {
                y = ((y % mod) + mod) % mod;
                if (y > acc.MaxValue) y -= mod;
            }
        }
        return Final(output, RefValue.Of(y));
    }

    /// <summary>Integer-valued weight codes (ANT flint/pot, int) as exact integers; a zero (also a sign-magnitude −0) is 0.</summary>
    private static System.Numerics.BigInteger[] IntegerValues(NumberFormat f, ReadOnlySpan<uint> w)
    {
        var values = new System.Numerics.BigInteger[w.Length];
        for (int i = 0; i < w.Length; i++)
        {
            var v = Dec(f, w[i]);
            values[i] = v.V.IsZero ? 0 : v.V.Num;
        }
        return values;
    }

    /// <summary>
    /// Integer weights × fp16 activations (olive_mac, ant_mac): per pass, the exact sum of the pass's products, then
    /// y ← RNE_fp32(y + sum), from −0.
    /// </summary>
    private static ulong Fp32Passes(PeModel pe, ReadOnlySpan<uint> a, System.Numerics.BigInteger[] wv)
    {
        var s = pe.Spec;
        var acc = (FloatFormat)s.Accumulator;
        var y = RefValue.NegZero;
        for (int p = 0; p < a.Length; p += s.DotWidth)
        {
            var sum = RefValue.NegZero;
            for (int i = p; i < Math.Min(a.Length, p + s.DotWidth); i++) sum += Dec(s.ActivationFormat, a[i]) * RefValue.Of(wv[i]);
            y = RefFormats.Decode(acc, RefFormats.RoundFloat(acc, y + sum));
        }
        return Final(pe.Output, y);
    }

    /// <summary>
    /// Products a Bit Fusion unit forms at once (ISCA 2018): 16 BitBricks of 2 × 2 bits, operands fused to 2, 4 or 8
    /// bits, so 16 / ((fused weight bits / 2) · (fused activation bits / 2)) products per unit.
    /// </summary>
    private static int FusedProducts(PeSpec s)
    {
        static int Fused(NumberFormat f) => f.Bits <= 2 ? 2 : f.Bits <= 4 ? 4 : f.Bits <= 8 ? 8 : throw new MantissaException($"Bit Fusion has no mode for {f.Name}");
        return 16 / (Fused(s.WeightFormat) / 2 * (Fused(s.ActivationFormat) / 2));
    }

    /// <summary>Integer dot product, pass sums of DotWidth exact products added to a wrapping or saturating register.</summary>
    private static ulong IntPasses(PeSpec s, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, IntFormat acc, ScalarFormat output)
    {
        var mod = System.Numerics.BigInteger.One << acc.IntBits;
        System.Numerics.BigInteger y = 0;
        for (int p = 0; p < a.Length; p += s.DotWidth)
        {
            System.Numerics.BigInteger pass = 0;
            for (int i = p; i < Math.Min(a.Length, p + s.DotWidth); i++) pass += Dec(s.ActivationFormat, a[i]).V.Num * Dec(s.WeightFormat, w[i]).V.Num;
            y += pass;
            if (s.Parameters.Overflow == OverflowMode.Saturate) y = System.Numerics.BigInteger.Clamp(y, acc.MinValue, acc.MaxValue);
            else
            {
                y = ((y % mod) + mod) % mod;
                if (y > acc.MaxValue) y -= mod;
            }
        }
        return Final(output, RefValue.Of(y));
    }

    /// <summary>Σ_g: y ← RNE_fp32(y + s_g·Σ_{k∈g} a_k·(w_k − z_g)), then the output rounding.</summary>
    private static ulong Dequantized(PeModel pe, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        var s = pe.Spec;
        int k = a.Length, g = s.Parameters.GroupSize <= 0 ? k : s.Parameters.GroupSize;
        var y = RefValue.Zero;
        for (int gs = 0, gi = 0; gs < k; gs += g, gi++)
        {
            int z = zeros.Length == 0 ? 0 : zeros[gi];
            // A mixed BitMoD format reads the group integer as its type selector instead of a zero point.
            var wf = s.WeightFormat is BitModFormat { Mixed: true } bm ? bm.WithType(z) : (ScalarFormat)s.WeightFormat;
            if (s.WeightFormat is BitModFormat { Mixed: true }) z = 0;
            var x = RefValue.Zero;
            for (int i = gs; i < Math.Min(k, gs + g); i++)
                x += Dec(s.ActivationFormat, a[i]) * RefValue.Of(Dec(wf, w[i]).V - z);
            y = Round32(y + RefFormats.Decode(pe.ScaleFormat!, scales[gi]) * x);
        }
        return Final(pe.Output, y);
    }

    private static RefValue Round32(RefValue v) => RefFormats.Decode(Fp32, RefFormats.RoundFloat(Fp32, v));

    private static RefValue ExactSum(PeSpec s, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w)
    {
        // The exact sum of the products: starting from −0, IEEE addition's identity, gives −0 when every product is −0.
        var sum = RefValue.NegZero;
        for (int i = 0; i < a.Length; i++) sum += Dec(s.ActivationFormat, a[i]) * Dec(s.WeightFormat, w[i]);
        if (s.WeightFormat is PositFormat && !sum.IsFinite) return RefValue.NaN;
        if (s.WeightFormat is PositFormat && sum.IsFinite && sum.V.IsZero) return RefValue.Zero;   // a posit zero has no sign
        return sum;
    }

    private static ulong PositFma(PeModel pe, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w)
    {
        var acc = (PositFormat)pe.Spec.Accumulator;
        var y = RefValue.Zero;
        for (int i = 0; i < a.Length; i++)
        {
            var p = Dec(pe.Spec.ActivationFormat, a[i]) * Dec(pe.Spec.WeightFormat, w[i]);
            if (!p.IsFinite || !y.IsFinite) { y = RefValue.NaN; continue; }
            y = RefFormats.Decode(acc, RefFormats.RoundPosit(acc, y.V + p.V));
        }
        return Final(pe.Output, y);
    }

    private static ulong FloatPerAdd(PeModel pe, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w)
    {
        var acc = (FloatFormat)pe.Spec.Accumulator;
        var y = RefValue.NegZero;   // the sum of the products in K order, each add rounded
        for (int i = 0; i < a.Length; i++)
            y = RefFormats.Decode(acc, RefFormats.RoundFloat(acc, y + Dec(pe.Spec.ActivationFormat, a[i]) * Dec(pe.Spec.WeightFormat, w[i])));
        return Final(pe.Output, y);
    }

    private static ulong Mx(PeModel pe, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales)
    {
        var ba = (BlockFormat)pe.Spec.ActivationFormat;
        var bw = (BlockFormat)pe.Spec.WeightFormat;
        int k = a.Length, bs = ba.BlockSize, nb = (k + bs - 1) / bs;
        var y = RefValue.Zero;
        for (int b = 0; b < nb; b++)
        {
            var sum = RefValue.Zero;
            for (int i = b * bs; i < Math.Min(k, (b + 1) * bs); i++) sum += Element(ba.Element, a[i]) * Element(bw.Element, w[i]);
            var scale = RefFormats.Decode(E8M0Format.Instance, scales[b]) * RefFormats.Decode(E8M0Format.Instance, scales[nb + b]);
            y = Round32(y + scale * sum);
        }
        return Final(pe.Output, y);
    }

    /// <summary>An MX element: float elements as coded; MXINT8 is int8 × 2^−6.</summary>
    private static RefValue Element(ScalarFormat f, uint code) =>
        f is IntFormat i ? RefValue.Of(RefFormats.IntValue(i, code) * Rational.Pow2(-6)) : RefFormats.Decode(f, code);

    /// <summary>LUT PE by its definition: per table and plane T = Σ_j (bit ? +a_j : −a_j), read directly (no symmetrization).</summary>
    private static ulong Lut(PeModel pe, ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales)
    {
        var s = pe.Spec;
        var wcodes = w.ToArray();
        var wf = (IntFormat)s.WeightFormat;
        int B = wf.IntBits, g = s.Parameters.LutGroup, k = a.Length;
        var mode = s.Parameters.LutEntries;
        if (mode == LutEntryMode.Exact)
        {
            Rational sum = 0;
            for (int i = 0; i < k; i++) sum += Dec(s.ActivationFormat, a[i]).V * Dec(s.WeightFormat, w[i]).V;
            return Final(pe.Output, RefValue.Of(sum));
        }
        var c = wf.Signed ? new Rational(-1, 2) : new Rational((1L << B) - 1, 2);
        int gl = s.Parameters.GroupSize <= 0 ? k : s.Parameters.GroupSize;
        var y = RefValue.Zero;
        for (int gs = 0, gi = 0; gs < k; gs += gl, gi++)
        {
            int ge = Math.Min(k, gs + gl);
            var acts = new List<RefValue>();
            for (int i = gs; i < ge; i++) acts.Add(Dec(s.ActivationFormat, a[i]));
            var sw = RefFormats.Decode(pe.ScaleFormat!, scales[gi]);
            if (acts.Any(v => !v.IsFinite)) { y = RefValue.NaN; continue; }
            Rational S = 0;
            foreach (var v in acts) S += v.V;
            // Weight bit b of the offset-binary code q = w − minvalue.
            int Bit(int i, int b) => (int)(((RefFormats.IntValue(wf, wcodes[i]) - wf.MinValue) >> b) & 1);
            Rational Entry(int t, int b)
            {
                Rational e = 0;
                for (int j = t; j < Math.Min(ge, t + g); j++) e += Bit(j, b) == 1 ? acts[j - gs].V : -acts[j - gs].V;
                return e;
            }
            if (mode == LutEntryMode.Int8)
            {
                Rational M = 0;
                for (int t = gs; t < ge; t += g)
                {
                    Rational m = 0;
                    for (int j = t; j < Math.Min(ge, t + g); j++) m += acts[j - gs].V.Abs();
                    if (m > M) M = m;
                }
                var sT = Round32(RefValue.Of(M / 127)).V;
                var accF = (IntFormat)s.Accumulator;
                Rational inner = 0;
                for (int b = 0; b < B; b++)
                {
                    System.Numerics.BigInteger acc = 0;
                    for (int t = gs; t < ge; t += g)
                    {
                        var q = sT.IsZero ? 0 : System.Numerics.BigInteger.Clamp((Entry(t, b) / sT).RoundHalfEven(), -127, 127);
                        acc += q;
                        acc = s.Parameters.Overflow == OverflowMode.Saturate
                            ? System.Numerics.BigInteger.Clamp(acc, accF.MinValue, accF.MaxValue)
                            : Wrap(acc, accF.IntBits);
                    }
                    inner += Rational.Pow2(b - 1) * sT * acc;
                }
                y = Round32(y + sw * RefValue.Of(inner + c * S));
            }
            else
            {
                var inner = RefValue.Zero;
                for (int b = 0; b < B; b++)
                {
                    var acc = RefValue.Zero;
                    for (int t = gs; t < ge; t += g)
                        acc = Round32(acc + RefFormats.Decode(Fp16, RefFormats.RoundFloat(Fp16, RefValue.Of(Entry(t, b)))));
                    inner += RefValue.Of(Rational.Pow2(b - 1)) * acc;
                }
                y = Round32(y + sw * (inner + RefValue.Of(c * S)));
            }
        }
        return Final(pe.Output, y);
    }

    private static System.Numerics.BigInteger Wrap(System.Numerics.BigInteger v, int bits)
    {
        var mod = System.Numerics.BigInteger.One << bits;
        v = ((v % mod) + mod) % mod;
        return v >= mod >> 1 ? v - mod : v;
    }
}
