using Mantissa.Arch;
using System.Text;
using Mantissa.Arch.Numerics;
using Mantissa.Explorer.Cli;
using Mantissa.Explorer.Commands.Arith;

namespace Mantissa.Explorer.Commands;

/// <summary><c>mantissa arith</c>: bit-exact arithmetic, conversion, decoding and encoding on number-format codes.</summary>
public sealed class ArithCommand : ICommand
{
    public CommandSpec Spec { get; } = new(
        "arith",
        "Bit-exact arithmetic on number-format codes (correctly rounded, one rounding per operation).",
        "mantissa arith FORMAT OP HEX [HEX [HEX]]      OP: add, sub, mul, div, fma (a*b+c), cvt:FORMAT2\n" +
        "mantissa arith FORMAT decode HEX\n" +
        "mantissa arith FORMAT encode DECIMAL\n" +
        "mantissa arith --batch [--round MODE] [--saturate] < requests.txt",
        new[]
        {
            new OptionSpec("--round", "MODE", "Rounding: rne (default, nearest-even), rtz, rup, rdn, sr (stochastic)."),
            new OptionSpec("--saturate", null, "Floats: clamp overflow to the largest finite value instead of inf/NaN. Integers, FP4 and FP6 always saturate; posits never overflow."),
            new OptionSpec("--seed", "N", "Seed of the stochastic-rounding generator (default 0)."),
            new OptionSpec("--batch", null, "Read 'FORMAT OP HEX...' lines from stdin, write one result per line."),
        },
        "Codes are hexadecimal (lower-case output, zero-padded to the format's width, no 0x).\n" +
        "Every result is computed exactly and rounded once; posits never overflow to NaR or underflow to 0.\n" +
        "DECIMAL accepts 1.25, -3e-4, 3/8, 0x1.8p-3, inf, nan.\n" +
        "Formats: " + NumberFormat.ValidPatternsText + "\n" +
        "(block formats mx*/nvfp4 are not scalar: use their element format, e.g. fp4e2m1, and e8m0 for the scale)\n\n" +
        "Examples:\n" +
        "  mantissa arith fp8e4m3 add 38 40\n" +
        "  mantissa arith posit8es0 decode 5a\n" +
        "  mantissa arith fp16 cvt:fp8e5m2 3c01 --round rup\n" +
        "  printf 'bf16 mul 3fc0 4000\\nfp4e2m1 add 7 7\\n' | mantissa arith --batch");

    public int Run(ParsedArgs args, CommandIO io)
    {
        var modeText = args.Get("--round") ?? "rne";
        if (!RoundingModes.TryParse(modeText, out var mode))
            throw new UsageException($"option --round expects one of {RoundingModes.Names}; got '{modeText}'");
        var engine = new ArithEngine(mode, args.Has("--saturate"), new Random(args.GetInt("--seed", 0)));

        if (args.Has("--batch"))
        {
            if (args.Positionals.Count > 0) throw new UsageException("--batch reads its requests from stdin and takes no other arguments");
            return RunBatch(engine, io);
        }

        var f = engine.Format(args.Positional(0, "FORMAT (e.g. fp8e4m3)"));
        string opText = args.Positional(1, $"operation ({ArithEngine.OpNames})");
        var p = args.Positionals;
        switch (opText.ToLowerInvariant())
        {
            case "decode":
                ExpectCount(p, 3, "decode takes one code: mantissa arith FORMAT decode HEX");
                io.Out.Write(DecodeReport.Render(f, HexCode.Parse(p[2], f.Bits, f.Name)));
                return 0;
            case "encode":
                ExpectCount(p, 3, "encode takes one value: mantissa arith FORMAT encode DECIMAL");
                var v = ExactValue.Parse(p[2]);
                io.Out.WriteLine(HexCode.Format(f.Encode(v, engine.Mode, engine.Saturate, engine.Rng), f.Bits));
                return 0;
        }
        if (!ArithEngine.TryParseOp(opText, out var op))
        {
            string? near = NameSuggester.Nearest(opText, new[] { "add", "sub", "mul", "div", "fma", "decode", "encode", "cvt" });
            throw new UsageException($"unknown operation '{opText}'; expected one of {ArithEngine.OpNames}" + (near is null ? "" : $"; did you mean '{near}'?"));
        }
        var target = op == ArithOp.Cvt ? engine.Format(opText[4..]) : null;
        int arity = ArithEngine.Arity(op);
        ExpectCount(p, 2 + arity, $"{opText} takes {arity} code{(arity == 1 ? "" : "s")}");
        var codes = new ulong[arity];
        for (int i = 0; i < arity; i++) codes[i] = HexCode.Parse(p[2 + i], f.Bits, f.Name);
        ulong result = engine.Apply(op, f, target, codes);
        io.Out.WriteLine(HexCode.Format(result, (target ?? f).Bits));
        return 0;
    }

    private static void ExpectCount(IReadOnlyList<string> p, int count, string usage)
    {
        if (p.Count != count) throw new UsageException($"{usage} (got {p.Count - 2} argument{(p.Count - 2 == 1 ? "" : "s")} after the operation)");
    }

    private static int RunBatch(ArithEngine engine, CommandIO io)
    {
        // The real console streams are wrapped in large buffers; test streams are used as they are.
        bool console = io.In is ConsoleInput;
        var input = console ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8, false, 1 << 16) : io.In;
        var output = ReferenceEquals(io.Out, Console.Out)
            ? new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16) { AutoFlush = false }
            : io.Out;
        var batch = new ArithBatch(engine);
        try
        {
            batch.Run(input, output);
        }
        finally
        {
            output.Flush();
            if (console) input.Dispose();
        }
        return batch.Errors == 0 ? 0 : 1;
    }
}
