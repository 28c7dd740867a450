namespace Mantissa.Arch.Numerics;

/// <summary>An immutable description of a number format, identified by its canonical lower-case name.</summary>
public abstract record NumberFormat
{
    /// <summary>Canonical lower-case name, e.g. <c>fp8e4m3</c>, <c>posit8es0</c>, <c>mxfp4</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Storage bits of one element (for block formats: of one element, without the shared scale).</summary>
    public abstract int Bits { get; }

    /// <summary>Average storage bits per element including any shared scale (block formats amortise their scale).</summary>
    public virtual double BitsPerElement => Bits;

    /// <summary>The accepted format names, for help texts and error messages.</summary>
    public const string ValidPatternsText = FormatNameParser.ValidPatterns;

    public static NumberFormat Parse(string name) => FormatNameParser.Parse(name);

    public static bool TryParse(string name, out NumberFormat? format, out string error) =>
        FormatNameParser.TryParse(name, out format, out error);

    public sealed override string ToString() => Name;
}

/// <summary>A format whose values are encoded one per code (everything except block formats).</summary>
public abstract record ScalarFormat : NumberFormat
{
    /// <summary>The exact codec of this format (cached); keep it in hot loops.</summary>
    public FormatCodec Codec => FormatCodec.For(this);

    public Decoded Decode(ulong code) => Codec.Decode(code);

    public ulong Encode(ExactValue value, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null) =>
        Codec.Encode(value, mode, saturate, rng);

    public double ToDouble(ulong code) => Codec.ToDouble(code);

    public ulong FromDouble(double x, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null) =>
        Codec.FromDouble(x, mode, saturate, rng);
}

/// <summary>
/// Two's-complement (signed) or unsigned binary integers of 1..64 bits (signed: 2..64). Widths above 32 are for
/// accumulators (PE operands stay at most 16 bits); <see cref="MinValue"/> and <see cref="MaxValue"/> are
/// <see cref="Int128"/> so uint64's 2^64 − 1 is exact.
/// </summary>
public sealed record IntFormat(int IntBits, bool Signed) : ScalarFormat
{
    /// <summary>The widest integer format: 64 bits (int64, uint64).</summary>
    public const int MaxBits = 64;

    public override string Name => (Signed ? "int" : "uint") + IntBits;
    public override int Bits => IntBits;
    public Int128 MinValue => Signed ? -(Int128.One << (IntBits - 1)) : 0;
    public Int128 MaxValue => Signed ? (Int128.One << (IntBits - 1)) - 1 : (Int128.One << IntBits) - 1;

    /// <summary>All-ones mask of the code width (2^IntBits − 1).</summary>
    public ulong CodeMask => IntBits >= 64 ? ulong.MaxValue : (1UL << IntBits) - 1;
}

/// <summary>BitNet-style ternary weights {-1, 0, +1} stored in 2 bits (two's complement; code 10 is unused).</summary>
public sealed record TernaryFormat : ScalarFormat
{
    public static readonly TernaryFormat Instance = new();
    public override string Name => "ternary";
    public override int Bits => 2;
}

/// <summary>How a binary floating-point format uses its top exponent code.</summary>
public enum FloatFlavor
{
    /// <summary>IEEE 754 style: subnormals, the top exponent is ±inf (zero fraction) or NaN.</summary>
    Ieee,
    /// <summary>OCP finite-only minifloats (FP4/FP6): every code is a number; overflow saturates.</summary>
    FiniteOnly,
    /// <summary>OCP FP8 E4M3: no infinities, NaN only at S.1111.111.</summary>
    OcpE4M3,
}

/// <summary>A binary floating-point format with sign, E exponent bits (bias 2^(E-1)-1) and M fraction bits.</summary>
public sealed record FloatFormat(int ExponentBits, int MantissaBits, FloatFlavor Flavor, string? Alias = null) : ScalarFormat
{
    public override string Name => Alias ?? $"fp{1 + ExponentBits + MantissaBits}e{ExponentBits}m{MantissaBits}";
    public override int Bits => 1 + ExponentBits + MantissaBits;
    public int Bias => (1 << (ExponentBits - 1)) - 1;
}

/// <summary>A posit(n, es) format (Posit Standard 2022 semantics apart from es, which may be 0..4).</summary>
public sealed record PositFormat(int PositBits, int Es) : ScalarFormat
{
    public override string Name => $"posit{PositBits}es{Es}";
    public override int Bits => PositBits;
}

/// <summary>The OCP MX shared scale E8M0: value 2^(x-127), code 0xFF is NaN.</summary>
public sealed record E8M0Format : ScalarFormat
{
    public static readonly E8M0Format Instance = new();
    public override string Name => "e8m0";
    public override int Bits => 8;
}

/// <summary>A block format: <see cref="BlockSize"/> elements sharing one scale (OCP MX v1.0, NVFP4).</summary>
public sealed record BlockFormat(string BlockName, ScalarFormat Element, ScalarFormat Scale, int BlockSize) : NumberFormat
{
    public override string Name => BlockName;
    public override int Bits => Element.Bits;
    public override double BitsPerElement => Element.Bits + (double)Scale.Bits / BlockSize;

    /// <summary>Implicit power of two applied to every element (MXINT8: −6, its elements are k/64); 0 otherwise.</summary>
    public int ElementScaleExponent { get; init; }
}
