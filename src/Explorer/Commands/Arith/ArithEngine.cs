using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Explorer.Commands.Arith;

/// <summary>The operation of one <c>mantissa arith</c> request: add, sub, mul, div, fma or cvt:FORMAT.</summary>
internal enum ArithOp { Add, Sub, Mul, Div, Fma, Cvt }

/// <summary>Parses operation names and format names (cached) and applies an operation to codes.</summary>
internal sealed class ArithEngine
{
    private readonly Dictionary<string, ScalarFormat> _formats = new(StringComparer.Ordinal);
    private readonly Dictionary<string, ScalarFormat>.AlternateLookup<ReadOnlySpan<char>> _formatsBySpan;

    public ArithEngine(RoundingMode mode, bool saturate, Random rng)
    {
        Mode = mode; Saturate = saturate; Rng = rng;
        _formatsBySpan = _formats.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public RoundingMode Mode { get; }
    public bool Saturate { get; }
    public Random Rng { get; }

    public const string OpNames = "add, sub, mul, div, fma, cvt:FORMAT, decode, encode";

    public static int Arity(ArithOp op) => op switch { ArithOp.Fma => 3, ArithOp.Cvt => 1, _ => 2 };

    public static bool TryParseOp(ReadOnlySpan<char> s, out ArithOp op)
    {
        op = ArithOp.Add;
        if (s.Equals("add", StringComparison.OrdinalIgnoreCase)) op = ArithOp.Add;
        else if (s.Equals("sub", StringComparison.OrdinalIgnoreCase)) op = ArithOp.Sub;
        else if (s.Equals("mul", StringComparison.OrdinalIgnoreCase)) op = ArithOp.Mul;
        else if (s.Equals("div", StringComparison.OrdinalIgnoreCase)) op = ArithOp.Div;
        else if (s.Equals("fma", StringComparison.OrdinalIgnoreCase)) op = ArithOp.Fma;
        else if (s.StartsWith("cvt:", StringComparison.OrdinalIgnoreCase)) op = ArithOp.Cvt;
        else return false;
        return true;
    }

    /// <summary>The scalar format named <paramref name="name"/>, parsed once and cached.</summary>
    public bool TryFormat(ReadOnlySpan<char> name, out ScalarFormat format, out string error)
    {
        error = "";
        if (_formatsBySpan.TryGetValue(name, out format!)) return true;
        string key = name.ToString();
        if (!NumberFormat.TryParse(key, out var f, out error)) return false;
        if (f is OliveFormat olive)
        {
            error = $"'{key}' is an OliVe outlier-victim pair stream (a PE operand); arith works on scalar codes (its normal elements are int{olive.ElementBits}, its outliers abfloat{olive.ElementBits})";
            return false;
        }
        if (f is not ScalarFormat sf)
        {
            var block = (BlockFormat)f!;
            error = $"'{key}' is a block format; arith works on scalar codes (its element format is {block.Element.Name}, its scale {block.Scale.Name})";
            return false;
        }
        _formats[key] = format = sf;
        return true;
    }

    public ScalarFormat Format(string name) =>
        TryFormat(name, out var f, out var error) ? f : throw new MantissaException(error);

    public ulong Apply(ArithOp op, ScalarFormat f, ScalarFormat? target, ReadOnlySpan<ulong> x) => op switch
    {
        ArithOp.Add => FormatArithmetic.Add(f, x[0], x[1], Mode, Saturate, Rng),
        ArithOp.Sub => FormatArithmetic.Sub(f, x[0], x[1], Mode, Saturate, Rng),
        ArithOp.Mul => FormatArithmetic.Mul(f, x[0], x[1], Mode, Saturate, Rng),
        ArithOp.Div => FormatArithmetic.Div(f, x[0], x[1], Mode, Saturate, Rng),
        ArithOp.Fma => FormatArithmetic.Fma(f, x[0], x[1], x[2], Mode, Saturate, Rng),
        _ => FormatArithmetic.Convert(f, target!, x[0], Mode, Saturate, Rng),
    };
}
