using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
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

    /// <summary>Every class of this assembly implementing <see cref="IPeModelRegistration"/>, in declaration order. Found
    /// in the assembly's metadata tables (the types naming the interface among the ones they implement), so only these
    /// classes are loaded, not every type of the assembly as <c>Assembly.GetTypes</c> would.</summary>
    public static IReadOnlyList<Type> Registrations { get; } = FindRegistrations();

    // one per kind, by kind
    private static readonly Dictionary<PeKind, Creator> Registry = Registrations.ToDictionary(
        t => (PeKind)t.GetProperty(nameof(IPeModelRegistration.Kind), BindingFlags.Public | BindingFlags.Static)!.GetValue(null)!,
        t => t.GetMethod(nameof(IPeModelRegistration.Create), BindingFlags.Public | BindingFlags.Static)!.CreateDelegate<Creator>());

    private static unsafe List<Type> FindRegistrations()
    {
        var module = typeof(PeFactory).Module;
        if (!typeof(PeFactory).Assembly.TryGetRawMetadata(out byte* blob, out int length))
            return typeof(PeFactory).Assembly.GetTypes().Where(t => !t.IsAbstract && typeof(IPeModelRegistration).IsAssignableFrom(t)).ToList();
        var md = new MetadataReader(blob, length);
        var registration = MetadataTokens.TypeDefinitionHandle(typeof(IPeModelRegistration).MetadataToken);
        var found = new List<Type>();
        foreach (var h in md.TypeDefinitions)
        {
            var type = md.GetTypeDefinition(h);
            if ((type.Attributes & TypeAttributes.Abstract) != 0) continue;
            foreach (var i in type.GetInterfaceImplementations())
                if (md.GetInterfaceImplementation(i).Interface == (EntityHandle)registration)
                    found.Add(module.ResolveType(MetadataTokens.GetToken(h)));
        }
        return found;
    }

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
