using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Config;

/// <summary>Validates the <c>pe:</c> section and builds a <see cref="PeSpec"/>; kind-specific keys, defaults and formats
/// come from the kind's <see cref="PeKind"/> descriptor.</summary>
internal static class PeBinder
{
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

        var p = (kind?.DefaultParameters ?? new PeParameters()) with { PipelineDepth = pipeline };
        if (kind is { } k)
        {
            foreach (var key in PeKind.AllKeys)
                if (r.Has(key.Name) && !k.Keys.Any(own => own.Name == key.Name))
                    r.KeyError(key.Name, $"'{key.Name}' does not apply to pe kind {k.Name}" +
                                         $" (it applies to: {string.Join(", ", PeKind.All.Where(o => o.Keys.Any(own => own.Name == key.Name)).Select(o => o.Name))})");
            if (w is not null && !FormatPattern.Matches(k.WeightFormats, w))
                r.ValueError("weights", $"pe kind {k.Name} does not support weight format {w.Name} (supported: {k.WeightFormats})");
            if (a is not null && !FormatPattern.Matches(k.ActivationFormats, a))
                r.ValueError("activations", $"pe kind {k.Name} does not support activation format {a.Name} (supported: {k.ActivationFormats})");
            foreach (var key in k.Keys) p = ReadKey(r, key, p);
        }
        int dotWidth = (int)(dotWidthKey ?? kind?.DefaultDotWidth(p) ?? 1);
        var written = p;

        var acc = BindAccumulator(r, kind, w, a, ref p);
        if (acc is not null && kind?.AccumulatorProblem(acc, w!, a!) is { } why)
        {
            r.ValueError("accumulator", why);
            acc = null;
        }
        if (kind is not null && w is not null && a is not null)
        {
            foreach (var problem in kind.Problems(new PeBinding(kind, w, a, acc, dotWidth, written), r.Has))
                if (problem.AtKey) r.KeyError(problem.Key, problem.Message); else r.ValueError(problem.Key, problem.Message);
            if (acc is not null) p = kind.Complete(p, w, a, acc);
        }

        if (bag.Count > errorsBefore || kind is null || w is null || a is null || acc is null) return null;
        return new PeSpec(kind, w, a, acc, dotWidth, p);
    }

    /// <summary>Reads one kind-specific key as its declaration says (choice, integer or flag) into <paramref name="p"/>.</summary>
    private static PeParameters ReadKey(SectionReader r, PeKey key, PeParameters p) => key switch
    {
        PeChoiceKey c => r.Name(c.Name, false, c.Options) is { } name ? c.Set(p, IndexOf(c.Options, name)) : p,
        PeIntegerKey i => r.Integer(i.Name, false, i.Min, i.Max) is { } v ? i.Set(p, (int)v) : p,
        PeFlagKey f => r.Bool(f.Name) is { } b ? f.Set(p, b) : p,
        _ => throw new InvalidOperationException($"pe key {key.Name}: no reader for {key.GetType().Name}"),
    };

    private static int IndexOf(IReadOnlyList<string> names, string name)
    {
        for (int i = 0; i < names.Count; i++) if (names[i] == name) return i;
        return -1;
    }

    private static NumberFormat? ReadFormat(SectionReader r, string key, Func<string, NumberFormat?>? extra)
    {
        if (extra is not null && r.Entry(key)?.Value is ConfigScalar s && extra(s.Text) is { } f) return f;
        return r.Format(key, true);
    }

    private static NumberFormat? BindAccumulator(SectionReader r, PeKind? kind, NumberFormat? w, NumberFormat? a, ref PeParameters p)
    {
        bool integerOperands = IsIntegerLike(w) && IsIntegerLike(a);
        var text = r.Text("accumulator", false, "an accumulator format (e.g. int32, fp32, fp16, quire or exact)")?.Trim().ToLowerInvariant();
        if (w is null || a is null || kind is null)
        {
            if (text is not null && text is not (ExactAccumulatorFormat.QuireName or ExactAccumulatorFormat.KulischName)) r.Format("accumulator", false);
            return null;
        }
        text ??= kind.DefaultAccumulator(w, a, p);

        if (text is ExactAccumulatorFormat.QuireName or ExactAccumulatorFormat.KulischName)
        {
            // Whether this kind takes a quire for these operands is the kind's AccumulatorProblem.
            p = p with { Quire = true };
            return new ExactAccumulatorFormat(text == ExactAccumulatorFormat.QuireName, ExactWidth(w, a), ExactCarryBits);
        }

        if (!NumberFormat.TryParse(text, out var acc, out var error))
        {
            r.ValueError("accumulator", error + ", quire, exact");
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
            // A float accumulator rounds after every add; a posit one is a posit fma per term (the kind says whether it takes one).
            case FloatFormat or PositFormat:
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
