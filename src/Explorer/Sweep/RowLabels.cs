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
    // The PE and array objects the labels were last read from, and what was read: a sweep's points share them (the binder
    // reuses unchanged sections), so a point with the same two objects, name and scheme is answered without reading them again.
    private sealed record Built(PeSpec Pe, ArraySpec Array, string Weights, string Activations, int Rows, int Cols, LabelValues Labels);

    // the last labels without a scheme (invalid rows) and with one: a point asks for both
    private readonly Built?[] _last = new Built?[2];

    /// <summary>The labels of <paramref name="arch"/>'s rows; <paramref name="scheme"/> null leaves the quantization scheme out.</summary>
    public IReadOnlyDictionary<string, string> Of(ArchitectureSpec arch, string? scheme)
    {
        ref var slot = ref _last[scheme is null ? 0 : 1];
        var last = Volatile.Read(ref slot);
        // the same objects show the same labels: no allocation for a point that repeats the last one's
        if (last is not null && ReferenceEquals(last.Pe, arch.Pe) && ReferenceEquals(last.Array, arch.Array) &&
            last.Labels.Arch == arch.Name && last.Labels.Scheme == scheme)
            return last.Labels;
        var pe = arch.Pe;
        string weights = pe.WeightFormat.Name, activations = pe.ActivationFormat.Name;
        int rows = arch.Array.Rows, cols = arch.Array.Cols;
        if (last is not null && Shows(last, pe.Kind.Name, weights, activations, rows, cols, arch.Name) && last.Labels.Scheme == scheme)
        {
            Volatile.Write(ref slot, last with { Pe = pe, Array = arch.Array });
            return last.Labels;
        }
        // the other slot's labels (a point asks for both) show the same design: its texts are taken, not formatted again;
        // otherwise a text that did not change from the last design is taken from it
        var other = Volatile.Read(ref _last[scheme is null ? 1 : 0]);
        LabelValues labels;
        if (other is not null && ReferenceEquals(other.Pe, pe) && ReferenceEquals(other.Array, arch.Array) && other.Labels.Arch == arch.Name)
            labels = other.Labels.WithScheme(scheme);
        else
        {
            var near = last ?? other;
            string formats = near is not null && near.Weights == weights && near.Activations == activations
                ? near.Labels.Formats : $"{weights}×{activations}";
            string shape = near is not null && near.Rows == rows && near.Cols == cols
                ? near.Labels.Array : string.Create(CultureInfo.InvariantCulture, $"{rows}x{cols}");
            labels = new LabelValues(pe.Kind.Name, formats, shape, arch.Name, scheme);
        }
        Volatile.Write(ref slot, new Built(pe, arch.Array, weights, activations, rows, cols, labels));
        return labels;
    }

    private static bool Shows(Built b, string kind, string weights, string activations, int rows, int cols, string arch) =>
        b.Labels.Kind == kind && b.Weights == weights && b.Activations == activations && b.Rows == rows && b.Cols == cols && b.Labels.Arch == arch;
}
