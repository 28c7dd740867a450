using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe;
using Mantissa.Sim.Pe.Hw;
using Mantissa.Verification.Reference;

namespace Mantissa.Explorer.Commands.Pe;

/// <summary>Formats a PE result as <c>HEX exact-decimal</c> (lower-case hex, no 0x, as <c>mantissa arith</c> prints codes).</summary>
internal static class DotResultText
{
    public static string Format(PeResult r)
    {
        int digits = (r.Format.Bits + 3) / 4;
        string hex = r.Code.ToString("x" + digits);
        var v = RefFormats.Decode(r.Format, r.Code);
        string dec = v.Class switch
        {
            OperandClass.NaN => r.Format is PositFormat ? "nar" : "nan",
            OperandClass.Inf => v.InfNeg ? "-inf" : "inf",
            _ => v.V.ToString(),
        };
        return $"{hex} {dec}";
    }
}
