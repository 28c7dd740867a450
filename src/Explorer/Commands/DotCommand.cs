using Mantissa.Arch;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands.Pe;
using Mantissa.Sim.Pe;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa dot</c>: evaluates one dot product on a bit-exact PE datapath and prints the result code and value.</summary>
public sealed class DotCommand : ICommand
{
    private static readonly OptionSpec[] OperandOptions =
    {
        new("--a", "HEX,...", "Activation codes in hex (mx_dot: one block SS:e0,...,e31 with the E8M0 scale first)."),
        new("--w", "HEX,...", "Weight codes in hex (mx_dot: one block SS:e0,...,e31)."),
        new("--scales", "HEX,...", "Per-group weight scale codes (in --scale-format) for bit_serial, lut (int8/fp16 tables) and shift_add."),
        new("--zeros", "N,...", "Per-group integer zero points (shift_add with uint weights)."),
        new("--types", "T,...", "Per-group BitMoD types (er_pos, er_neg, ea_pos, ea_neg) for bitmod_fp3_mixed / bitmod_fp4_mixed weights."),
    };

    public CommandSpec Spec { get; } = new(
        "dot",
        "Evaluate one dot product on a bit-exact PE datapath.",
        "mantissa dot --pe KIND [--format F | --wformat F --aformat F] [--accum A] [--out F] [PE options]\n" +
        "             --a HEX,HEX,... --w HEX,HEX,... [--scales HEX,...] [--zeros N,...]\n" +
        "mantissa dot --pe KIND ... --batch < lines      (each line: --a ... --w ... [--scales ...] [--zeros ...|--types ...])",
        [
            new OptionSpec("--pe", "KIND", string.Join(", ", PeFactory.ModelledKinds.Select(k => k.Name)) + ". The PE options are the YAML pe: keys, bound with the same defaults and checks."),
            new OptionSpec("--format", "F", "Format of both operands (e.g. posit8es0, fp4e2m1, mxfp4)."),
            new OptionSpec("--wformat", "F", "Weight format (e.g. int4, uint4, bitmod_fp4_er_pos, bitmod_fp4_mixed, fp8e4m3, mxfp6e2m3)."),
            new OptionSpec("--aformat", "F", "Activation format (e.g. int8, fp16)."),
            new OptionSpec("--accum", "A", "exact|quire (one final rounding), fp32|fp16 (rounded every add), intN up to int64 (integer register, e.g. int32, int48), or a posit format (posit fma)."),
            new OptionSpec("--out", "F", "Format of the final rounding (default: the accumulator's; fp32 for exact float sums)."),
            new OptionSpec("--dot-width", "N", "MACs per pass (the YAML dot_width: default 1; lut g, mx_dot 32); only changes the cycle count."),
            .. DotPeBuilder.KindOptions,
            new OptionSpec("--scale-format", "F", "Format of --scales (default fp16)."),
            OperandOptions[0], OperandOptions[1], OperandOptions[2], OperandOptions[3], OperandOptions[4],
            new OptionSpec("--cycles", null, "Append the datapath's cycle count as a third token."),
            new OptionSpec("--batch", null, "Read one operand set per stdin line; print one result (or 'error: ...') per line."),
        ],
        "Prints 'HEX VALUE': the result code in the output format (lower-case hex, no 0x, as arith prints) and its exact decimal value (nan, inf, nar for specials).\n" +
        "Example: mantissa dot --pe posit_mac --format posit8es0 --a 40,48 --w 40,50   ->   67 2.875");

    private static readonly CommandSpec LineSpec = new("dot --batch line", "", "", OperandOptions);

    public int Run(ParsedArgs args, CommandIO io)
    {
        PeModel pe;
        // Every problem with the PE options (kind, formats, accumulator, --out) is command-line misuse: exit 2.
        try { pe = DotPeBuilder.Build(args); }
        catch (MantissaException e) when (e is not UsageException) { throw new UsageException(e.Message); }
        bool cycles = args.Has("--cycles");
        if (!args.Has("--batch"))
        {
            var ops = DotOperands.Parse(pe, args.Require("--a"), args.Require("--w"), args.Get("--scales"), args.Get("--zeros"), args.Get("--types"));
            io.Out.WriteLine(Line(pe, ops, cycles));
            return 0;
        }
        if (OperandOptions.Any(o => args.Has(o.Name)))
            throw new UsageException("with --batch the operands come from stdin, one set per line; drop --a/--w/--scales/--zeros/--types");
        int errors = 0;
        string? text;
        while ((text = io.In.ReadLine()) is not null)
        {
            // As in `arith --batch`: blank and comment lines answer with an empty line, so output line N answers input line N.
            var trimmed = text.Trim();
            if (trimmed.Length == 0 || trimmed[0] == '#') { io.Out.WriteLine(); continue; }
            try
            {
                var line = ParsedArgs.Parse(LineSpec, text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
                var ops = DotOperands.Parse(pe, line.Require("--a"), line.Require("--w"), line.Get("--scales"), line.Get("--zeros"), line.Get("--types"));
                io.Out.WriteLine(Line(pe, ops, cycles));
            }
            catch (MantissaException e)
            {
                io.Out.WriteLine($"error: {e.Message}");
                errors++;
            }
        }
        return errors == 0 ? 0 : 1;
    }

    private static string Line(PeModel pe, DotOperands ops, bool cycles)
    {
        var r = pe.Dot(ops.A, ops.W, ops.Scales, ops.Zeros);
        return DotResultText.Format(r) + (cycles ? $" {r.Cycles}" : "");
    }
}
