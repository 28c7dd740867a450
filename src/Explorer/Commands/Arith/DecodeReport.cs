using System.Text;
using Mantissa.Arch.Numerics;

namespace Mantissa.Explorer.Commands.Arith;

/// <summary>The text <c>mantissa arith FORMAT decode HEX</c> prints: class, exact value, and the bit fields.</summary>
internal static class DecodeReport
{
    public static string Render(ScalarFormat f, ulong code)
    {
        var d = f.Decode(code);
        var v = d.Value;
        var fl = d.Fields;
        var sb = new StringBuilder();
        void Line(string key, string value) => sb.Append(key.PadRight(10)).Append(value).Append('\n');
        Line("format", f.Name);
        Line("code", $"{HexCode.Format(code, f.Bits)} (0b{HexCode.Binary(code, f.Bits)})");
        Line("class", ClassName(f, d.Class));
        Line("value", v.ToFractionString());
        Line("decimal", v.ToDecimalString());
        switch (f)
        {
            case PositFormat p:
                Line("sign", fl.SignBit.ToString());
                if (d.IsFinite && d.Class != NumberClass.Zero)
                {
                    Line("regime", $"k={fl.Regime} ({fl.RegimeLength} bits)");
                    Line("exponent", p.Es == 0 ? "none (es=0)"
                        : $"0b{HexCode.Binary(fl.ExponentField, p.Es)} ({fl.ExponentLength} of {p.Es} bits present), scale 2^{fl.UnbiasedExponent}");
                    Line("fraction", Bits(fl.Fraction, fl.FractionLength));
                }
                break;
            case FloatFormat ff:
                Line("sign", fl.SignBit.ToString());
                Line("exponent", $"0b{HexCode.Binary(fl.ExponentField, fl.ExponentLength)} = {fl.ExponentField}, unbiased {fl.UnbiasedExponent} (bias {ff.Bias})");
                Line("fraction", Bits(fl.Fraction, fl.FractionLength));
                break;
            case E8M0Format:
                Line("exponent", $"0b{HexCode.Binary(fl.ExponentField, 8)} = {fl.ExponentField}, unbiased {fl.UnbiasedExponent} (bias 127)");
                break;
            default:
                Line("sign", fl.SignBit.ToString());
                break;
        }
        return sb.ToString();
    }

    /// <summary>One line for batch output: class, fraction, decimal.</summary>
    public static string OneLine(ScalarFormat f, ulong code)
    {
        var d = f.Decode(code);
        return $"{ClassName(f, d.Class)} {d.Value.ToFractionString()} {d.Value.ToDecimalString()}";
    }

    private static string Bits(ulong value, int length) => length == 0 ? "none (0 bits)" : $"0b{HexCode.Binary(value, length)} ({length} bits)";

    private static string ClassName(ScalarFormat f, NumberClass c) => c switch
    {
        NumberClass.NaN => f is PositFormat ? "nar" : "nan",
        NumberClass.Infinity => "infinity",
        _ => c.ToString().ToLowerInvariant(),
    };
}
