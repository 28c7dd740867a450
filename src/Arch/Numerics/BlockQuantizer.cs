namespace Mantissa.Arch.Numerics;

/// <summary>
/// Quantizes blocks of doubles to OCP MX v1.0 blocks (E8M0 scale) and NVFP4 blocks (E4M3 scale), exactly.
/// </summary>
/// <remarks>
/// MX: shared exponent = floor(log2(amax)) − emax(element), clamped below at −127; a block holding NaN or ±inf, or
/// whose exponent exceeds 127, gets the NaN scale 0xFF (the whole block decodes as NaN), as in the OCP MX v1.0
/// spec §6.3 and Microsoft's microxcaling reference (mx_ops.py). An all-zero block gets scale 2^−127 and zero
/// elements. Elements are v / 2^shared rounded with the chosen mode and saturated to the element's largest
/// magnitude. MXINT8 elements are two's-complement k/64 (emax 0); −2 (code 0x80) is representable.
/// NVFP4: block scale = amax / 6 rounded to nearest-even into E4M3 and saturated at 448 (NVIDIA's recipe with the
/// per-tensor FP32 scale set to 1); a nonzero amax whose scale would round to zero gets the smallest E4M3 subnormal
/// (2^−9) so the block is not wiped out. Elements are v / scale, computed exactly and rounded, saturating at ±6.
/// </remarks>
public static class BlockQuantizer
{
    /// <summary>The exponent of the element format's largest power of two (E2M1: 2, E4M3: 8, E5M2: 15, MXINT8: 0).</summary>
    public static int ElementMaxExponent(BlockFormat f)
    {
        return f.Element switch
        {
            FloatFormat ff => ff.Flavor == FloatFlavor.Ieee ? (1 << ff.ExponentBits) - 2 - ff.Bias : (1 << ff.ExponentBits) - 1 - ff.Bias,
            IntFormat inf => 63 - System.Numerics.BitOperations.LeadingZeroCount((ulong)inf.MaxValue) + f.ElementScaleExponent,
            _ => throw new MantissaException($"block format '{f.Name}' has an unsupported element format '{f.Element.Name}'"),
        };
    }

    /// <summary>
    /// Quantizes one block (at most <see cref="BlockFormat.BlockSize"/> values) into <paramref name="elementCodes"/>
    /// and returns the scale code.
    /// </summary>
    public static ulong Quantize(BlockFormat f, ReadOnlySpan<double> values, Span<ulong> elementCodes, RoundingMode mode = RoundingMode.Rne, Random? rng = null)
    {
        if (values.Length > f.BlockSize)
            throw new ArgumentException($"a {f.Name} block holds at most {f.BlockSize} values, got {values.Length}", nameof(values));
        if (elementCodes.Length < values.Length)
            throw new ArgumentException("elementCodes is shorter than values", nameof(elementCodes));
        var elem = f.Element.Codec;
        var scale = f.Scale.Codec;
        double amax = 0;
        bool special = false;
        foreach (double v in values)
        {
            if (!double.IsFinite(v)) special = true;
            else amax = Math.Max(amax, Math.Abs(v));
        }
        if (special)
        {
            elementCodes[..values.Length].Clear();
            return scale.EncodeNaN();
        }
        if (amax == 0)
        {
            for (int i = 0; i < values.Length; i++) elementCodes[i] = elem.EncodeZero(double.IsNegative(values[i]));
            return scale.EncodeZero(false);
        }
        return f.Scale is E8M0Format
            ? QuantizeMx(f, values, elementCodes, amax, mode, rng)
            : QuantizeScaled(f, values, elementCodes, amax, mode, rng);
    }

    private static ulong QuantizeMx(BlockFormat f, ReadOnlySpan<double> values, Span<ulong> codes, double amax, RoundingMode mode, Random? rng)
    {
        var elem = f.Element.Codec;
        int shared = Math.ILogB(amax) - ElementMaxExponent(f);
        if (shared > 127)
        {
            codes[..values.Length].Clear();
            return 0xFF;
        }
        shared = Math.Max(shared, -127);
        int delta = -shared - f.ElementScaleExponent;
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            codes[i] = v == 0 ? elem.EncodeZero(double.IsNegative(v))
                : elem.EncodeFinite(Unrounded.FromDouble(v).Scaled(delta), mode, saturate: true, rng);
        }
        return (ulong)(shared + 127);
    }

    private static ulong QuantizeScaled(BlockFormat f, ReadOnlySpan<double> values, Span<ulong> codes, double amax, RoundingMode mode, Random? rng)
    {
        var elem = f.Element.Codec;
        var scaleCodec = f.Scale.Codec;
        // scale = amax / elemMax and element = v / scale, both exact divisions by small integers (no BigInteger).
        var em = elem.Decode(elem.MaxFiniteCode);
        ulong scaleCode = scaleCodec.EncodeFinite(Unrounded.FromDouble(amax).DividedBy(em.Significand).Scaled(-em.Exponent),
            RoundingMode.Rne, saturate: true, rng: null);
        if ((scaleCode & ~(1UL << (scaleCodec.Bits - 1))) == 0) scaleCode = 1; // rounded to zero: smallest subnormal
        var s = scaleCodec.Decode(scaleCode);
        for (int i = 0; i < values.Length; i++)
        {
            double v = values[i];
            codes[i] = v == 0 ? elem.EncodeZero(double.IsNegative(v))
                : elem.EncodeFinite(Unrounded.FromDouble(v).DividedBy(s.Significand).Scaled(-s.Exponent), mode, saturate: true, rng);
        }
        return scaleCode;
    }

    /// <summary>Decodes a block: element × scale × 2^ElementScaleExponent (exact in double); a NaN scale gives NaN.</summary>
    public static void Dequantize(BlockFormat f, ReadOnlySpan<ulong> elementCodes, ulong scaleCode, Span<double> values)
    {
        if (values.Length < elementCodes.Length) throw new ArgumentException("values is shorter than elementCodes", nameof(values));
        var elem = f.Element.Codec;
        double scale = Math.ScaleB(f.Scale.Codec.ToDouble(scaleCode), f.ElementScaleExponent);
        for (int i = 0; i < elementCodes.Length; i++) values[i] = elem.ToDouble(elementCodes[i]) * scale;
    }

    /// <summary>Quantizes a whole vector block by block; <paramref name="scaleCodes"/> gets one code per block.</summary>
    public static void QuantizeAll(BlockFormat f, ReadOnlySpan<double> values, Span<ulong> elementCodes, Span<ulong> scaleCodes, RoundingMode mode = RoundingMode.Rne, Random? rng = null)
    {
        int blocks = (values.Length + f.BlockSize - 1) / f.BlockSize;
        if (scaleCodes.Length < blocks) throw new ArgumentException($"need {blocks} scale codes", nameof(scaleCodes));
        for (int b = 0; b < blocks; b++)
        {
            int start = b * f.BlockSize, len = Math.Min(f.BlockSize, values.Length - start);
            scaleCodes[b] = Quantize(f, values.Slice(start, len), elementCodes.Slice(start, len), mode, rng);
        }
    }
}
