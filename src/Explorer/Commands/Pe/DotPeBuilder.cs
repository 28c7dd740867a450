using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Explorer.Cli;
using Mantissa.Sim.Pe;

namespace Mantissa.Explorer.Commands.Pe;

/// <summary>Builds the PE functional model that <c>mantissa dot</c> runs from its command-line options.</summary>
internal static class DotPeBuilder
{
    public static PeModel Build(ParsedArgs args)
    {
        var kind = Kind(args.Require("--pe"));
        NumberFormat w, a;
        if (args.Get("--format") is { } f)
        {
            if (args.Has("--wformat") || args.Has("--aformat")) throw new UsageException("give either --format or --wformat/--aformat, not both");
            w = a = Format(f, "--format");
        }
        else
        {
            if (!args.Has("--wformat") || !args.Has("--aformat")) throw new UsageException("give --format F, or both --wformat and --aformat");
            w = Format(args.Require("--wformat"), "--wformat");
            a = Format(args.Require("--aformat"), "--aformat");
        }
        var p = new PeParameters
        {
            BitsPerCycle = args.GetInt("--bits-per-cycle", kind == PeKind.BitSerial ? 2 : 1),
            SerialOperand = args.GetChoice("--serial", "weights", "weights", "activations") == "weights" ? SerialOperand.Weights : SerialOperand.Activations,
            LutGroup = args.GetInt("--g", 4),
            LutEntries = args.GetChoice("--entries", "exact", "exact", "int8", "fp16") switch { "int8" => LutEntryMode.Int8, "fp16" => LutEntryMode.Fp16, _ => LutEntryMode.Exact },
            GroupSize = args.GetInt("--group", 128),
            Overflow = args.GetChoice("--overflow", "wrap", "wrap", "saturate") == "wrap" ? OverflowMode.Wrap : OverflowMode.Saturate,
            Quire = true,
        };
        string? accum = args.Get("--accum");
        NumberFormat acc;
        switch (accum)
        {
            case "exact" or "quire":
                if (kind is not (PeKind.PositMac or PeKind.MinifloatMac or PeKind.SimdMac or PeKind.Lut))
                    throw new UsageException($"--accum {accum} applies to posit_mac, minifloat_mac, simd_mac and lut; {PeFactory.KindName(kind)} rounds as its kind defines");
                acc = DefaultAccumulator(kind, w, a, args.Has("--scales"), p);
                break;
            case null:
                acc = DefaultAccumulator(kind, w, a, args.Has("--scales"), p);
                break;
            default:
                acc = Format(accum, "--accum");
                if (kind is PeKind.PositMac or PeKind.MinifloatMac) p = p with { Quire = false };
                break;
        }
        if (kind == PeKind.Lut && p.LutEntries == LutEntryMode.Exact && accum is not (null or "exact")) 
            throw new UsageException("lut with --entries exact sums exactly; --accum applies to --entries int8 (the lookup register, e.g. int16)");
        ScalarFormat? output = args.Get("--out") is { } o ? Format(o, "--out") as ScalarFormat ?? throw new UsageException($"--out {o} must be a scalar format") : null;
        FloatFormat? scaleFormat = args.Get("--scale-format") is { } sf
            ? Format(sf, "--scale-format") as FloatFormat ?? throw new UsageException($"--scale-format {sf} must be a float format (e.g. fp16, bf16, fp32)")
            : null;
        int dp = args.GetInt("--dot-width", DefaultDotWidth(kind, p));
        var spec = new PeSpec(kind, w, a, acc, dp, p);
        return PeFactory.Create(spec, output, scaleFormat);
    }

    private static int DefaultDotWidth(PeKind kind, PeParameters p) => kind switch
    {
        PeKind.MxDot => 32,
        PeKind.Lut => p.LutGroup,
        PeKind.BitSerial => 4,
        _ => 1,
    };

    private static NumberFormat DefaultAccumulator(PeKind kind, NumberFormat w, NumberFormat a, bool scales, PeParameters p) => kind switch
    {
        PeKind.IntMac => new IntFormat(32, true),
        PeKind.BitSerial => scales || a is FloatFormat || w is BitModFormat ? NumberFormat.Parse("fp32") : new IntFormat(32, true),
        PeKind.Lut => p.LutEntries switch { LutEntryMode.Int8 => new IntFormat(16, true), LutEntryMode.Fp16 => NumberFormat.Parse("fp32"), _ => new IntFormat(32, true) },
        PeKind.PositMac or PeKind.SimdMac when a is PositFormat => a,
        _ => NumberFormat.Parse("fp32"),
    };

    /// <summary>A PE kind name; an unknown one is a usage error listing the valid kinds.</summary>
    public static PeKind Kind(string name)
    {
        try { return PeFactory.ParseKind(name); }
        catch (MantissaException e) { throw new UsageException("--pe: " + e.Message); }
    }

    private static NumberFormat Format(string name, string option)
    {
        try { return BitModFormat.ParseAny(name); }
        catch (MantissaException e) { throw new UsageException($"{option}: {e.Message}"); }
    }
}
