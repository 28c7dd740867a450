using System.Reflection;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>
/// One PE kind, described once: its YAML name, the kind-specific YAML keys it accepts and their defaults, the operand
/// formats it runs, its cycle model (read by the cost model, the simulator and the functional models alike) and its
/// datapath composition (the components the cost model prices). Each kind is one file in this folder declaring a static
/// field of this partial class; the functional model in Mantissa.Sim registers itself for the kind (see docs/pe.md,
/// "Adding a PE kind").
/// </summary>
public abstract partial class PeKind
{
    /// <param name="name">YAML / command-line name.</param>
    /// <param name="weights">Supported weight formats as patterns (see <see cref="Supports"/>).</param>
    /// <param name="activations">Supported activation formats as patterns.</param>
    /// <param name="keys">Kind-specific <c>pe:</c> keys this kind accepts (beyond kind, formats, accumulator, dot_width,
    /// pipeline_depth): shared ones from <see cref="PeKeys"/>, its own declared in its file.</param>
    private protected PeKind(string name, string weights, string activations, params PeKey[] keys)
    {
        Name = name; WeightFormats = weights; ActivationFormats = activations; Keys = keys;
    }

    /// <summary>The YAML / command-line name (<c>bit_serial</c>, <c>mx_dot</c>, ...).</summary>
    public string Name { get; }

    /// <summary>Supported weight formats, as comma-separated patterns: a format name, <c>intA..intB</c> / <c>uintA..uintB</c>,
    /// <c>posit*</c>, <c>fpN*</c> (any N-bit minifloat), <c>mx*</c> (any OCP MX block format).</summary>
    public string WeightFormats { get; }

    /// <summary>Supported activation formats, as patterns like <see cref="WeightFormats"/>.</summary>
    public string ActivationFormats { get; }

    /// <summary>The kind-specific <c>pe:</c> keys this kind reads; the binder accepts exactly these beyond the common ones.</summary>
    public IReadOnlyList<PeKey> Keys { get; }

    /// <summary>Defaults of the kind-specific parameters (what a YAML file or <c>mantissa dot</c> gets when a key is omitted).</summary>
    public virtual PeParameters DefaultParameters => new();

    /// <summary>Default <c>dot_width</c> (products reduced per pass) when the key is omitted.</summary>
    public virtual int DefaultDotWidth(PeParameters p) => 1;

    /// <summary>Default accumulator (as its YAML text) for the operands when <c>accumulator</c> is omitted.</summary>
    public virtual string DefaultAccumulator(NumberFormat weights, NumberFormat activations, PeParameters p) =>
        IsIntegerLike(weights) && IsIntegerLike(activations) ? "int32" : "fp32";

    /// <summary>Why <paramref name="accumulator"/> cannot be this kind's accumulator for these operands, or null when it can;
    /// the binder reports it at the <c>accumulator</c> key (file, line), so a kind restricted to one accumulator says so
    /// where it is written. By default a quire needs posit operands on a kind that sums them in one
    /// (<see cref="SumsPositsInQuire"/>), a posit accumulator (a posit fma per term) is not taken, nor an unsigned integer one.</summary>
    public virtual string? AccumulatorProblem(NumberFormat accumulator, NumberFormat weights, NumberFormat activations) => accumulator switch
    {
        ExactAccumulatorFormat { IsQuire: true } when !(SumsPositsInQuire && weights is PositFormat && activations is PositFormat) =>
            $"a quire accumulates posit products (pe kinds {And(All.Where(k => k.SumsPositsInQuire).Select(k => k.Name))} with posit operands); use 'exact' for a Kulisch accumulator",
        PositFormat => $"{accumulator.Name} cannot be an accumulator for pe kind {Name}; use an integer, floating-point, quire or exact accumulator",
        // every integer accumulator register is two's complement (IntRegister); refused here so simulate and cost refuse it too
        IntFormat { Signed: false } => $"{accumulator.Name} cannot be an accumulator for pe kind {Name}: an integer accumulator register is two's complement; use a signed int format (e.g. int32, int48)",
        _ => null,
    };

    /// <summary>True when the kind sums posit products in a quire (<c>accumulator: quire</c>).</summary>
    private protected virtual bool SumsPositsInQuire => false;

    /// <summary>Checks between keys that only this kind makes; by default the written keys' own <see cref="PeKey.Problem"/>
    /// checks. <paramref name="written"/> says whether a key was given.</summary>
    public virtual IEnumerable<PeProblem> Problems(PeBinding pe, Func<string, bool> written)
    {
        foreach (var key in Keys)
            if (written(key.Name) && key.Problem?.Invoke(pe) is { } message) yield return new PeProblem(key.Name, message, key.ProblemIsTheKey);
    }

    /// <summary>The parameters completed from the bound operands and accumulator (e.g. whether a minifloat sum is exact);
    /// by default unchanged.</summary>
    public virtual PeParameters Complete(PeParameters p, NumberFormat weights, NumberFormat activations, NumberFormat accumulator) => p;

    /// <summary>Cycle constants of <paramref name="pe"/> (of this kind) running operands of the given widths: the one cycle
    /// model. Throws <see cref="MantissaException"/> for widths the kind cannot run.</summary>
    public virtual PeCycles Cycles(PeSpec pe, int weightBits, int activationBits) => new(pe.DotWidth, 1, 0, 0, 0, 1);

    /// <summary>The arithmetic definition <paramref name="pe"/> (of this kind) follows, which the independent reference
    /// checks its functional model against; null for a kind without a functional model.</summary>
    public virtual PeArithmetic? Arithmetic(PeSpec pe) => null;

    /// <summary>Composes <paramref name="pe"/>'s datapath from primitives into <paramref name="b"/>.</summary>
    internal abstract void Compose(PeDatapathBuilder b, PeSpec pe);

    /// <summary>Operand formats other than its configured ones that the PE runs natively (e.g. narrower serial weights).</summary>
    public virtual bool RunsNatively(PeSpec pe, NumberFormat weight, NumberFormat activation) => false;

    /// <summary>The other (weight, activation) pairs listed in the cost report's peak-throughput table.</summary>
    public virtual IEnumerable<(NumberFormat Weight, NumberFormat Activation)> OtherFormats(PeSpec pe) => [];

    /// <summary>True when <paramref name="weights"/> and <paramref name="activations"/> are formats this kind runs.</summary>
    public bool Supports(NumberFormat weights, NumberFormat activations) =>
        FormatPattern.Matches(WeightFormats, weights) && FormatPattern.Matches(ActivationFormats, activations);

    public override string ToString() => Name;

    private static IReadOnlyList<PeKind>? _all;

    /// <summary>Every PE kind, by name.</summary>
    public static IReadOnlyList<PeKind> All => _all ??= typeof(PeKind)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.FieldType == typeof(PeKind))
        .Select(f => (PeKind)f.GetValue(null)!)
        .OrderBy(k => k.Name, StringComparer.Ordinal).ToList();

    /// <summary>Every kind-specific key some kind reads, by name (the first kind's declaration), in kind order.</summary>
    public static IReadOnlyList<PeKey> AllKeys => All.SelectMany(k => k.Keys).DistinctBy(k => k.Name).ToList();

    /// <summary>The kind named <paramref name="name"/>, or null.</summary>
    public static PeKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    /// <summary>The kind named <paramref name="name"/>; an unknown name is an error listing the valid kinds.</summary>
    public static PeKind Parse(string name) => Find(name)
        ?? throw new MantissaException($"unknown PE kind '{name}'; valid kinds: {string.Join(", ", All.Select(k => k.Name))}");

    private protected static bool IsIntegerLike(NumberFormat f) => f is IntFormat or TernaryFormat or AntFormat or OliveFormat;

    private static string And(IEnumerable<string> names)
    {
        var list = names.ToList();
        return list.Count <= 1 ? string.Concat(list) : string.Join(", ", list.Take(list.Count - 1)) + " and " + list[^1];
    }

    private protected static int CeilDiv(int a, int b) => (a + b - 1) / b;
}
