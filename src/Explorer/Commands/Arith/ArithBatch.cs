using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Explorer.Commands.Arith;

/// <summary>
/// <c>mantissa arith --batch</c>: one request per input line (<c>FORMAT OP HEX [HEX [HEX]]</c>, or
/// <c>FORMAT encode DECIMAL</c> / <c>FORMAT decode HEX</c>), one result per output line, in order. A bad line gives
/// <c>error: reason</c> on its output line and processing continues. Blank lines and # comments are skipped.
/// </summary>
internal sealed class ArithBatch(ArithEngine engine)
{
    public int Errors { get; private set; }
    public long Lines { get; private set; }
    /// <summary>Input line number (1-based, counting blank and comment lines) of the line being processed.</summary>
    public long LineNumber { get; private set; }

    public void Run(TextReader input, TextWriter output)
    {
        Span<char> buf = stackalloc char[20];
        Span<ulong> codes = stackalloc ulong[3];
        string? line;
        while ((line = input.ReadLine()) is not null)
        {
            LineNumber++;
            var span = line.AsSpan().Trim();
            // Blank and comment lines answer with an empty line, so output line N always answers input line N.
            if (span.IsEmpty || span[0] == '#') { output.Write('\n'); continue; }
            Lines++;
            try
            {
                if (TryProcess(span, codes, buf, output, out string? error)) continue;
                WriteError(output, error);
            }
            catch (MantissaException e)
            {
                WriteError(output, e.Message);
            }
        }
    }

    private void WriteError(TextWriter output, string? reason)
    {
        Errors++;
        output.Write("error: line ");
        output.Write(LineNumber);
        output.Write(": ");
        output.Write(reason);
        output.Write('\n');
    }

    private bool TryProcess(ReadOnlySpan<char> line, Span<ulong> codes, Span<char> buf, TextWriter output, out string? error)
    {
        error = null;
        Span<Range> parts = stackalloc Range[6];
        int n = line.SplitAny(parts, " \t", StringSplitOptions.RemoveEmptyEntries);
        if (n < 3) { error = $"expected 'FORMAT OP HEX [HEX [HEX]]', got '{line}'"; return false; }
        if (n > 5) { error = $"too many fields in '{line}'"; return false; }
        if (!engine.TryFormat(line[parts[0]], out var f, out error)) return false;
        var opText = line[parts[1]];
        if (opText.Equals("encode", StringComparison.OrdinalIgnoreCase))
        {
            if (n != 3) { error = "encode takes one decimal value"; return false; }
            if (!ExactValue.TryParse(line[parts[2]].ToString(), out var v)) { error = $"'{line[parts[2]]}' is not a number"; return false; }
            ulong c = f.Encode(v, engine.Mode, engine.Saturate, engine.Rng);
            output.Write(buf[..HexCode.Format(c, f.Bits, buf)]);
            output.Write('\n');
            return true;
        }
        if (opText.Equals("decode", StringComparison.OrdinalIgnoreCase))
        {
            if (n != 3) { error = "decode takes one code"; return false; }
            if (!HexCode.TryParse(line[parts[2]], f.Bits, out var c, out error)) return false;
            output.Write(DecodeReport.OneLine(f, c));
            output.Write('\n');
            return true;
        }
        if (!ArithEngine.TryParseOp(opText, out var op)) { error = $"unknown operation '{opText}'; expected one of {ArithEngine.OpNames}"; return false; }
        ScalarFormat? target = null;
        if (op == ArithOp.Cvt && !engine.TryFormat(opText[4..], out target, out error)) return false;
        int arity = ArithEngine.Arity(op);
        if (n - 2 != arity) { error = $"{opText} takes {arity} operand{(arity == 1 ? "" : "s")}, got {n - 2}"; return false; }
        for (int i = 0; i < arity; i++)
            if (!HexCode.TryParse(line[parts[2 + i]], f.Bits, out codes[i], out error)) return false;
        ulong result = engine.Apply(op, f, target, codes[..arity]);
        output.Write(buf[..HexCode.Format(result, (target ?? f).Bits, buf)]);
        output.Write('\n');
        return true;
    }
}
