using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Config;

/// <summary>Validates the <c>pe:</c> section and builds a <see cref="PeSpec"/>; kind-specific keys, defaults and formats
/// come from the kind's <see cref="PeKind"/> descriptor.</summary>
internal static class PeBinder
{
    /// <summary>Keys every kind reads; all other <c>pe:</c> keys are kind-specific (<see cref="PeKind.Keys"/>).</summary>
    private static readonly string[] CommonKeys = ["kind", "weights", "activations", "accumulator", "dot_width", "pipeline_depth"];

    /// <summary>Carry bits of an exact accumulator: sums of up to 2^31 products never overflow.</summary>
    private const int ExactCarryBits = 31;

    /// <param name="extraFormats">Resolves format names the Arch parser does not know (BitMoD types for <c>mantissa dot</c>); null for YAML.</param>
    public static PeSpec? Bind(ConfigMap map, Origin? keyOrigin, DiagnosticBag bag, Func<string, NumberFormat?>? extraFormats = null)
    {
        var r = new SectionReader(map, "pe", ConfigSchema.Pe, bag, keyOrigin);
        int errorsBefore = bag.Count;
        var kind = r.Name("kind", true, PeKind.All.Select(k => k.Name).ToList()) is { } kn ? PeKind.Find(kn) : null;
        var w = ReadFormat(r, "weights", extraFormats);
        var a = ReadFormat(r, "activations", extraFormats);
        var dotWidthKey = r.Integer("dot_width", false, 1, 4096);
        var pipeline = (int)(r.Integer("pipeline_depth", false, 1, 64) ?? 1);

        if (kind is { } k)
        {
            foreach (var key in ConfigSchema.Pe.Names.Except(CommonKeys))
                if (r.Has(key) && !k.Keys.Contains(key))
                    r.KeyError(key, $"'{key}' does not apply to pe kind {k.Name}" +
                                    $" (it applies to: {string.Join(", ", PeKind.All.Where(o => o.Keys.Contains(key)).Select(o => o.Name))})");
            if (w is not null && !FormatPattern.Matches(k.WeightFormats, w))
                r.ValueError("weights", $"pe kind {k.Name} does not support weight format {w.Name} (supported: {k.WeightFormats})");
            if (a is not null && !FormatPattern.Matches(k.ActivationFormats, a))
                r.ValueError("activations", $"pe kind {k.Name} does not support activation format {a.Name} (supported: {k.ActivationFormats})");
            if (k == PeKind.SimdMac && w is not null && a is not null && w != a)
                r.ValueError("activations", $"simd_mac runs one format at a time: activations ({a.Name}) must match weights ({w.Name})");
        }

        var p = (kind?.DefaultParameters ?? new PeParameters()) with { PipelineDepth = pipeline };
        if (r.Has("bits_per_cycle"))
        {
            var bpc = r.Choice("bits_per_cycle", false, [("1", 1), ("2", 2), ("4", 4)]);
            if (bpc is not null) p = p with { BitsPerCycle = bpc.Value };
        }
        if (r.Choice("serial_operand", false, [("weights", SerialOperand.Weights), ("activations", SerialOperand.Activations)]) is { } so)
        {
            p = p with { SerialOperand = so };
            if (so == SerialOperand.Activations && a is not null && a is not IntFormat)
                r.ValueError("serial_operand", $"serial activations must be integers, but activations are {a.Name}");
        }
        if (kind == PeKind.BitSerial)
        {
            var serial = p.SerialOperand == SerialOperand.Weights ? w : a;
            if (serial is not null && p.BitsPerCycle > serial.Bits)
                r.ValueError(r.Has("bits_per_cycle") ? "bits_per_cycle" : "serial_operand",
                    $"bits_per_cycle {p.BitsPerCycle} exceeds the {serial.Bits}-bit serial operand ({serial.Name})");
        }
        if (r.Integer("g", false, 1, 8) is { } g) p = p with { LutGroup = (int)g };
        if (r.Choice("lut_entries", false, [("exact", LutEntryMode.Exact), ("fp16", LutEntryMode.Fp16), ("int8", LutEntryMode.Int8)]) is { } le)
            p = p with { LutEntries = le };
        if (r.Choice("lut_precompute", false, [("shared", LutPrecompute.Shared), ("per_pe", LutPrecompute.PerPe)]) is { } lp)
            p = p with { LutPrecompute = lp };
        if (r.Bool("lut_symmetric") is { } sym) p = p with { LutSymmetric = sym };
        int dotWidth = (int)(dotWidthKey ?? kind?.DefaultDotWidth(p) ?? 1);
        if (r.Integer("group_size", false, 0, 1 << 20) is { } gs)
        {
            if (gs > 0 && gs % dotWidth != 0)
                r.ValueError("group_size", $"group_size {gs} is not a multiple of dot_width {dotWidth}");
            p = p with { GroupSize = (int)gs };
        }
        // A simd_mac lane count follows from the operand width (a 16-bit datapath splits into 16/bits lanes); more
        // datapaths per PE are dot_width. An explicit `lanes` is checked against that rather than silently ignored.
        int? derivedLanes = kind == PeKind.SimdMac && w is not null && a is not null
            ? Math.Max(1, PeKind.SimdDatapathBits / Math.Max(w.Bits, a.Bits)) : null;
        if (r.Integer("lanes", false, 1, 64) is { } lanes)
        {
            if (derivedLanes is { } d && lanes != d)
                r.ValueError("lanes", $"a {PeKind.SimdDatapathBits}-bit simd_mac datapath splits into {d} lanes for {Math.Max(w!.Bits, a!.Bits)}-bit operands, not {lanes}; use dot_width for more datapaths per PE");
            p = p with { Lanes = (int)lanes };
        }
        else if (derivedLanes is { } d) p = p with { Lanes = d };

        var acc = BindAccumulator(r, kind, w, a, ref p);
        if (acc is not null && kind?.AccumulatorProblem(acc) is { } why)
        {
            r.ValueError("accumulator", why);
            acc = null;
        }
        if (r.Choice("overflow", false, [("wrap", OverflowMode.Wrap), ("saturate", OverflowMode.Saturate)]) is { } of)
        {
            if (acc is not null && acc is not IntFormat)
                r.KeyError("overflow", $"overflow applies only to integer accumulators, but the accumulator is {acc.Name}");
            p = p with { Overflow = of };
        }

        if (bag.Count > errorsBefore || kind is null || w is null || a is null || acc is null) return null;
        return new PeSpec(kind, w, a, acc, dotWidth, p);
    }

    private static NumberFormat? ReadFormat(SectionReader r, string key, Func<string, NumberFormat?>? extra)
    {
        if (extra is not null && r.Entry(key)?.Value is ConfigScalar s && extra(s.Text) is { } f) return f;
        return r.Format(key, true);
    }

    private static NumberFormat? BindAccumulator(SectionReader r, PeKind? kind, NumberFormat? w, NumberFormat? a, ref PeParameters p)
    {
        var quireKey = r.Bool("quire");
        bool integerOperands = IsIntegerLike(w) && IsIntegerLike(a);
        var text = r.Text("accumulator", false, "an accumulator format (e.g. int32, fp32, fp16, quire or exact)")?.Trim().ToLowerInvariant();
        if (w is null || a is null || kind is null)
        {
            if (text is not null && text is not ("quire" or "exact")) r.Format("accumulator", false);
            return null;
        }
        bool operandsArePosit = w is PositFormat && a is PositFormat;

        if (text is null)
        {
            // The kind's default; posit_mac with quire: false accumulates in the wider operand posit.
            if (kind == PeKind.PositMac && quireKey == false) { p = p with { Quire = false }; return w.Bits >= a.Bits ? w : a; }
            text = kind.DefaultAccumulator(w, a, p);
        }

        if (text is "quire" or "exact")
        {
            bool quire = text == "quire";
            if (quire && !(operandsArePosit && (kind == PeKind.PositMac || kind == PeKind.SimdMac)))
            {
                r.ValueError("accumulator", "a quire accumulates posit products (pe kinds posit_mac and simd_mac with posit operands); use 'exact' for a Kulisch accumulator");
                return null;
            }
            if (quireKey == false && quire)
            {
                r.KeyError("quire", "quire: false contradicts accumulator: quire");
                return null;
            }
            p = p with { Quire = true };
            return new ExactAccumulatorFormat(quire, ExactWidth(w, a), ExactCarryBits);
        }

        if (!NumberFormat.TryParse(text, out var acc, out var error))
        {
            r.ValueError("accumulator", error + ", quire, exact");
            return null;
        }
        if (quireKey == true)
        {
            r.KeyError("quire", $"quire: true contradicts accumulator: {acc!.Name}");
            return null;
        }
        switch (acc)
        {
            case IntFormat ia:
                if (!integerOperands)
                {
                    r.ValueError("accumulator", $"an integer accumulator needs integer operands, but the operands are {w.Name} × {a.Name}; use fp32 or exact");
                    return null;
                }
                int product = w.Bits + a.Bits;
                if (ia.IntBits < product)
                {
                    r.ValueError("accumulator", $"accumulator {ia.Name} cannot hold one {w.Name} × {a.Name} product ({product} bits)");
                    return null;
                }
                return ia;
            case FloatFormat:
                // A float accumulator rounds after every add (no quire / Kulisch register).
                if (kind == PeKind.PositMac || kind == PeKind.MinifloatMac) p = p with { Quire = false };
                return acc;
            case PositFormat when kind == PeKind.PositMac:
                p = p with { Quire = false };
                return acc;
            default:
                r.ValueError("accumulator", $"{acc!.Name} cannot be an accumulator for pe kind {kind.Name}; use an integer, floating-point, quire or exact accumulator");
                return null;
        }
    }

    // ANT's flint and power-of-two codes are integer-valued (in units of their smallest step), so they sum exactly in an int register.
    private static bool IsIntegerLike(NumberFormat? f) => f is IntFormat or TernaryFormat or AntFormat or OliveFormat;

    /// <summary>Width of a fixed-point register holding any sum of 2^31 exact products: product magnitude bits + sign + carries.</summary>
    /// <remarks>For two posit(n, es) operands this is the quire width 4·(n−2)·2^es + 2 + carries of pe-models.md §2.2 E.</remarks>
    private static int ExactWidth(NumberFormat w, NumberFormat a)
    {
        var (maxW, lsbW) = Range(w);
        var (maxA, lsbA) = Range(a);
        int msb = Math.ILogB(maxW * maxA);
        return msb - (lsbW + lsbA) + 1 + 1 + ExactCarryBits;
    }

    /// <summary>Largest magnitude of the format and the exponent of its least significant bit.</summary>
    private static (double Max, int Lsb) Range(NumberFormat f) => f switch
    {
        IntFormat { Signed: true } i => (Math.Pow(2, i.IntBits - 1), 0),
        IntFormat i => (Math.Pow(2, i.IntBits) - 1, 0),
        TernaryFormat => (1, 0),
        FloatFormat fl => (MaxFinite(fl), 1 - fl.Bias - fl.MantissaBits),
        PositFormat ps => (Math.Pow(2, (ps.PositBits - 2) << ps.Es), -((ps.PositBits - 2) << ps.Es)),
        BlockFormat b => Range(b.Element),
        _ => (Math.Pow(2, f.Bits), 0),
    };

    private static double MaxFinite(FloatFormat f)
    {
        double ulp = Math.Pow(2, -f.MantissaBits);
        // OCP E4M3 keeps the top exponent but spends its all-ones mantissa on NaN (max 1.75·2^8 = 448).
        double significand = f.Flavor == FloatFlavor.OcpE4M3 ? 2 - 2 * ulp : 2 - ulp;
        return significand * Math.Pow(2, MaxExponent(f));
    }

    private static int MaxExponent(FloatFormat f)
    {
        int top = (1 << f.ExponentBits) - 1;
        // IEEE reserves the top exponent code for inf/NaN; OCP E4M3 and the finite-only minifloats use it for numbers.
        return (f.Flavor == FloatFlavor.Ieee ? top - 1 : top) - f.Bias;
    }
}
