using System.Text.RegularExpressions;

namespace Mantissa.Arch.Numerics;

/// <summary>Parses format names such as <c>int8</c>, <c>fp8e4m3</c>, <c>posit16es1</c> or <c>mxfp4</c>.</summary>
internal static partial class FormatNameParser
{
    public const string ValidPatterns =
        "int2..int64, uint1..uint64 (the wide ones are accumulators, e.g. int48), ternary, fp4e2m1, fp6e2m3, fp6e3m2, fp8e4m3, fp8e5m2, fp16, bf16, fp32, " +
        "fp<N>e<E>m<M> (3<=N<=32, N=1+E+M), posit<N>es<ES> (2<=N<=32, 0<=ES<=4), e8m0, " +
        "mxfp4, mxfp6e2m3, mxfp6e3m2, mxfp8e4m3, mxfp8e5m2, mxint8, nvfp4, " +
        "ANT flint3..flint8, uflint2..uflint8, pot2..pot8, upot2..upot8, OliVe abfloat4..abfloat8, olive4..olive8 (outlier-victim pair streams, PE operands)";

    public static NumberFormat Parse(string name)
    {
        if (TryParse(name, out var f, out var error)) return f!;
        throw new MantissaException(error);
    }

    public static bool TryParse(string name, out NumberFormat? format, out string error)
    {
        format = Resolve((name ?? "").Trim().ToLowerInvariant(), out var why);
        error = format is null ? $"unknown number format '{name}'{why}; valid formats: {ValidPatterns}" : "";
        return format is not null;
    }

    private static NumberFormat? Resolve(string n, out string why)
    {
        why = "";
        switch (n)
        {
            case "ternary": return TernaryFormat.Instance;
            case "e8m0": return E8M0Format.Instance;
            case "fp4e2m1": case "fp4": return Fp(2, 1, FloatFlavor.FiniteOnly);
            case "fp6e2m3": return Fp(2, 3, FloatFlavor.FiniteOnly);
            case "fp6e3m2": return Fp(3, 2, FloatFlavor.FiniteOnly);
            case "fp8e4m3": return Fp(4, 3, FloatFlavor.OcpE4M3);
            case "fp8e5m2": return Fp(5, 2, FloatFlavor.Ieee);
            case "fp16": case "fp16e5m10": return new FloatFormat(5, 10, FloatFlavor.Ieee, "fp16");
            case "bf16": case "fp16e8m7": return new FloatFormat(8, 7, FloatFlavor.Ieee, "bf16");
            case "fp32": case "fp32e8m23": return new FloatFormat(8, 23, FloatFlavor.Ieee, "fp32");
            case "mxfp4": return Block("mxfp4", Fp(2, 1, FloatFlavor.FiniteOnly), E8M0Format.Instance, 32);
            case "mxfp6e2m3": return Block("mxfp6e2m3", Fp(2, 3, FloatFlavor.FiniteOnly), E8M0Format.Instance, 32);
            case "mxfp6e3m2": return Block("mxfp6e3m2", Fp(3, 2, FloatFlavor.FiniteOnly), E8M0Format.Instance, 32);
            case "mxfp8e4m3": return Block("mxfp8e4m3", Fp(4, 3, FloatFlavor.OcpE4M3), E8M0Format.Instance, 32);
            case "mxfp8e5m2": return Block("mxfp8e5m2", Fp(5, 2, FloatFlavor.Ieee), E8M0Format.Instance, 32);
            case "mxint8": return Block("mxint8", new IntFormat(8, true), E8M0Format.Instance, 32) with { ElementScaleExponent = -6 };
            case "nvfp4": return Block("nvfp4", Fp(2, 1, FloatFlavor.FiniteOnly), Fp(4, 3, FloatFlavor.OcpE4M3), 16);
        }

        var m = IntPattern().Match(n);
        if (m.Success)
        {
            bool signed = m.Groups[1].Value == "int";
            int bits = Width(m.Groups[2].Value);
            int min = signed ? 2 : 1;
            if (bits >= min && bits <= IntFormat.MaxBits) return new IntFormat(bits, signed);
            why = $" ({m.Groups[1].Value} width must be {min}..{IntFormat.MaxBits})";
            return null;
        }

        m = AntPattern().Match(n);
        if (m.Success)
        {
            bool signed = m.Groups[1].Value == "";
            var type = m.Groups[2].Value == "flint" ? AntType.Flint : AntType.Pot;
            int bits = Width(m.Groups[3].Value);
            // ANT's flint needs at least 2 magnitude bits (quant_modules.py asserts value_bit >= 2).
            int min = type == AntType.Flint && signed ? 3 : 2;
            if (bits >= min && bits <= 8) return new AntFormat(type, bits, signed);
            why = $" ({m.Groups[1].Value}{m.Groups[2].Value} width must be {min}..8)";
            return null;
        }

        m = AbFloatPattern().Match(n);
        if (m.Success)
        {
            int bits = Width(m.Groups[1].Value);
            if (bits >= 4 && bits <= 8) return new AbFloatFormat(bits);
            why = " (abfloat width must be 4..8)";
            return null;
        }

        m = OlivePattern().Match(n);
        if (m.Success)
        {
            int bits = Width(m.Groups[1].Value);
            if (bits >= 4 && bits <= 8) return new OliveFormat(bits);
            why = " (olive element width must be 4..8)";
            return null;
        }

        m = FloatPattern().Match(n);
        if (m.Success)
        {
            int total = Width(m.Groups[1].Value), e = Width(m.Groups[2].Value), mb = Width(m.Groups[3].Value);
            if (total != 1L + e + mb) { why = $" (N must equal 1+E+M, here 1+{e}+{mb}={1L + e + mb})"; return null; }
            if (total < 3 || total > 32) { why = " (N must be 3..32)"; return null; }
            if (e < 1 || e > 8) { why = " (E must be 1..8)"; return null; }
            // Named formats (OCP minifloats, fp16, bf16, fp32) were matched above; any other shape is IEEE-style.
            return new FloatFormat(e, mb, FloatFlavor.Ieee);
        }

        m = PositPattern().Match(n);
        if (m.Success)
        {
            int bits = Width(m.Groups[1].Value), es = Width(m.Groups[2].Value);
            if (bits < 2 || bits > 32) { why = " (posit width must be 2..32)"; return null; }
            if (es > 4) { why = " (posit es must be 0..4)"; return null; }
            return new PositFormat(bits, es);
        }
        return null;
    }

    // Saturates rather than throwing: "int99999999999" must reach the range check and its message, not overflow.
    private static int Width(string digits) =>
        int.TryParse(digits, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int v) ? v : int.MaxValue;

    private static FloatFormat Fp(int e, int m, FloatFlavor flavor) => new(e, m, flavor);

    private static BlockFormat Block(string name, ScalarFormat element, ScalarFormat scale, int size) => new(name, element, scale, size);

    [GeneratedRegex(@"^(int|uint)([0-9]+)$")] private static partial Regex IntPattern();
    [GeneratedRegex(@"^fp([0-9]+)e([0-9]+)m([0-9]+)$")] private static partial Regex FloatPattern();
    [GeneratedRegex(@"^posit([0-9]+)es([0-9]+)$")] private static partial Regex PositPattern();
    [GeneratedRegex(@"^(u?)(flint|pot)([0-9]+)$")] private static partial Regex AntPattern();
    [GeneratedRegex(@"^abfloat([0-9]+)$")] private static partial Regex AbFloatPattern();
    [GeneratedRegex(@"^olive([0-9]+)$")] private static partial Regex OlivePattern();
}
