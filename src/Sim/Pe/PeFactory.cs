using System.Reflection;
using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe;

/// <summary>A functional PE model registered beside its kind's descriptor: the kind it implements and how to build it.</summary>
public interface IPeModelRegistration
{
    /// <summary>The PE kind this model implements.</summary>
    static abstract PeKind Kind { get; }

    /// <summary>Builds the model; <paramref name="output"/> and <paramref name="scaleFormat"/> as in <see cref="PeFactory.Create"/>.</summary>
    static abstract PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat);

    /// <summary>The configurations checked against the reference (at least one per mode, with the hard formats); read
    /// only by the verification project, so a new kind adds its checks here rather than to a central list.</summary>
    static abstract IReadOnlyList<PeConfiguration> Configurations { get; }
}

/// <summary>Builds the functional model of a <see cref="PeSpec"/> from the models registered for each kind.</summary>
public static class PeFactory
{
    private delegate PeModel Creator(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat);

    // Every class of this assembly implementing IPeModelRegistration, by kind (one per kind).
    private static readonly Dictionary<PeKind, Creator> Registry = typeof(PeFactory).Assembly.GetTypes()
        .Where(t => !t.IsAbstract && typeof(IPeModelRegistration).IsAssignableFrom(t))
        .ToDictionary(
            t => (PeKind)t.GetProperty(nameof(IPeModelRegistration.Kind), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!,
            t => t.GetMethod(nameof(IPeModelRegistration.Create), BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<Creator>());

    /// <param name="output">Format of the final rounding; null = the kind's default (the accumulator, or for an exact
    /// accumulator the operand posit / fp32).</param>
    /// <param name="scaleFormat">Format of per-group weight scales (kinds that dequantize); null = fp16.</param>
    public static PeModel Create(PeSpec spec, ScalarFormat? output = null, FloatFormat? scaleFormat = null) =>
        Registry.TryGetValue(spec.Kind, out var create)
            ? create(spec, output, scaleFormat)
            : throw new MantissaException($"no functional model for PE kind {spec.Kind.Name} (kinds with one: {string.Join(", ", ModelledKinds.Select(k => k.Name))})");

    /// <summary>The kinds that have a functional model, in <see cref="PeKind.All"/> order.</summary>
    public static IReadOnlyList<PeKind> ModelledKinds { get; } = PeKind.All.Where(Registry.ContainsKey).ToList();

    /// <summary>The modelled kind named <paramref name="name"/>; an unknown name is an error listing the valid kinds.</summary>
    public static PeKind ParseKind(string name) =>
        ModelledKinds.FirstOrDefault(k => k.Name == name)
        ?? throw new MantissaException($"unknown PE kind '{name}'; valid kinds: {string.Join(", ", ModelledKinds.Select(k => k.Name))}");
}
