using System.Globalization;
using Mantissa.Arch.Config;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe;

/// <summary>
/// A named PE configuration that <c>mantissa verify</c> and the tests check against the reference. Each functional
/// model declares its own beside itself (<see cref="IPeModelRegistration.Configurations"/>); only the verification
/// project collects and runs them.
/// </summary>
public sealed record PeConfiguration(string Label, PeSpec Spec, ScalarFormat? Output = null)
{
    /// <summary>The PE kind checked.</summary>
    public PeKind Kind => Spec.Kind;

    /// <summary>A fresh functional model of this configuration, built by <see cref="PeFactory"/>.</summary>
    public PeModel Create() => PeFactory.Create(Spec, Output);

    /// <summary>A configuration given field by field; <paramref name="output"/> names the final rounding format (null = the kind's default).</summary>
    public static PeConfiguration Of(string label, PeKind kind, string weights, string activations, string accumulator, int dotWidth,
        PeParameters? parameters = null, string? output = null) =>
        new(label, new PeSpec(kind, F(weights), F(activations), F(accumulator), dotWidth, parameters ?? new PeParameters()),
            output is null ? null : (ScalarFormat)F(output));

    /// <summary>A configuration bound through the YAML binder, so the kind's defaults (e.g. its accumulator) are the ones checked.</summary>
    public static PeConfiguration Bound(string label, PeKind kind, string weights, string activations, int dotWidth) =>
        new(label, PeOptions.Bind(
            [("kind", kind.Name), ("weights", weights), ("activations", activations), ("dot_width", dotWidth.ToString(CultureInfo.InvariantCulture))], "verify"));

    private static NumberFormat F(string name) => BitModFormat.ParseAny(name);
}
