using System.Globalization;
using Mantissa.Arch.Model;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The label columns of a design's rows (<see cref="ResultLabels"/>), built once and handed out again while designs agree
/// on what they show: the PE kind and formats, the array shape, the design name and the quantization scheme. Every point
/// of a clock or bandwidth sweep gets the same labels. Thread-safe: the last labels are replaced whole.
/// </summary>
internal sealed class RowLabels
{
    private sealed record Inputs(string Kind, string Weights, string Activations, int Rows, int Cols, string Arch, string? Scheme);

    // The PE and array objects the labels were last read from: a sweep's points share them (the binder reuses unchanged
    // sections), so a point with the same two objects, name and scheme is answered without reading them again.
    private sealed record Built(Inputs Inputs, PeSpec Pe, ArraySpec Array, IReadOnlyDictionary<string, string> Labels);

    // the last labels without a scheme (invalid rows) and with one: a point asks for both
    private readonly Built?[] _last = new Built?[2];

    /// <summary>The labels of <paramref name="arch"/>'s rows; <paramref name="scheme"/> null leaves the quantization scheme out.</summary>
    public IReadOnlyDictionary<string, string> Of(ArchitectureSpec arch, string? scheme)
    {
        ref var slot = ref _last[scheme is null ? 0 : 1];
        var last = Volatile.Read(ref slot);
        // the same objects show the same labels: no allocation for a point that repeats the last one's
        if (last is not null && ReferenceEquals(last.Pe, arch.Pe) && ReferenceEquals(last.Array, arch.Array) &&
            last.Inputs.Arch == arch.Name && last.Inputs.Scheme == scheme)
            return last.Labels;
        var inputs = new Inputs(arch.Pe.Kind.Name, arch.Pe.WeightFormat.Name, arch.Pe.ActivationFormat.Name,
                                arch.Array.Rows, arch.Array.Cols, arch.Name, scheme);
        if (last is not null && last.Inputs == inputs)
        {
            Volatile.Write(ref slot, last with { Pe = arch.Pe, Array = arch.Array });
            return last.Labels;
        }
        // the other slot's labels (a point asks for both) show the same design: their columns are copied, not formatted again
        var other = Volatile.Read(ref _last[scheme is null ? 1 : 0]);
        var labels = new Dictionary<string, string>(ResultLabels.All.Count);
        if (other is not null && ReferenceEquals(other.Pe, arch.Pe) && ReferenceEquals(other.Array, arch.Array) && other.Inputs.Arch == arch.Name)
        {
            foreach (var (k, v) in other.Labels)
                if (k != QuantObjective.SchemeLabel) labels[k] = v;
        }
        else
        {
            labels["pe_kind"] = inputs.Kind;
            labels["pe_formats"] = $"{inputs.Weights}×{inputs.Activations}";
            labels["array"] = string.Create(CultureInfo.InvariantCulture, $"{inputs.Rows}x{inputs.Cols}");
            labels["arch"] = inputs.Arch;
        }
        if (scheme is not null) labels[QuantObjective.SchemeLabel] = scheme;
        Volatile.Write(ref slot, new Built(inputs, arch.Pe, arch.Array, labels));
        return labels;
    }
}
