using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim;

/// <summary>How a PE runs an operator's (weight, activation) formats.</summary>
public enum FormatFitKind
{
    /// <summary>The PE runs the formats as they are (its own, or a narrower integer a width-serial PE takes fewer cycles on).</summary>
    Native,
    /// <summary>Every value of the formats is exactly a value of the PE's formats (int4 on an int8 MAC): the PE runs them at its own speed.</summary>
    Widened,
    /// <summary>The PE cannot hold the values (fp16 on an int8 MAC): the result is only an estimate of the time it would take.</summary>
    Unsupported,
}

/// <summary>Decides whether a PE runs given operand formats natively, by exact widening, or not at all.</summary>
public static class FormatFit
{
    public static FormatFitKind Of(PeSpec pe, NumberFormat weight, NumberFormat activation)
    {
        if (Native(pe, weight, activation)) return FormatFitKind.Native;
        return Embeds(weight, pe.WeightFormat) && Embeds(activation, pe.ActivationFormat) ? FormatFitKind.Widened : FormatFitKind.Unsupported;
    }

    private static bool Native(PeSpec pe, NumberFormat w, NumberFormat a)
    {
        if (w.Name == pe.WeightFormat.Name && a.Name == pe.ActivationFormat.Name) return true;
        return pe.Kind.RunsNatively(pe, w, a);
    }

    /// <summary>The first precision preset whose weight and activation formats <paramref name="pe"/> runs (natively or widened), or null.</summary>
    public static string? DefaultRecipe(PeSpec pe) =>
        Mantissa.Workloads.RecipePresets.Names.FirstOrDefault(n =>
        {
            var r = Mantissa.Workloads.RecipePresets.Get(n).Defaults;
            return Of(pe, r.Weights, r.Activations) != FormatFitKind.Unsupported;
        });

    /// <summary>True when every finite value of <paramref name="from"/> is exactly a value of <paramref name="into"/>.</summary>
    public static bool Embeds(NumberFormat from, NumberFormat into)
    {
        if (from.Name == into.Name) return true;
        return (from, into) switch
        {
            (TernaryFormat, IntFormat { Signed: true, IntBits: >= 2 }) => true,
            (TernaryFormat, FloatFormat or PositFormat) => true,
            (IntFormat f, IntFormat t) => t.Signed ? f.IntBits + (f.Signed ? 0 : 1) <= t.IntBits : !f.Signed && f.IntBits <= t.IntBits,
            // integers up to 2^(mantissa+1) are exact in a float with enough exponent range
            (IntFormat f, FloatFormat t) => f.IntBits - (f.Signed ? 1 : 0) <= t.MantissaBits + 1 && (1 << Math.Min(t.ExponentBits, 5)) / 2 > f.IntBits,
            (FloatFormat f, FloatFormat t) => f.ExponentBits <= t.ExponentBits && f.MantissaBits <= t.MantissaBits
                && (f.ExponentBits < t.ExponentBits || f.Flavor == t.Flavor),
            _ => false,
        };
    }
}
