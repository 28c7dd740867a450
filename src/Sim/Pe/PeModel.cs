using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe;

/// <summary>The result of one PE dot product: a code in <see cref="Format"/> (up to 64 bits: an int64 accumulator) and the
/// cycles the datapath spent.</summary>
public readonly record struct PeResult(ulong Code, ScalarFormat Format, long Cycles);

/// <summary>
/// A bit-exact functional model of one PE datapath. <see cref="Dot"/> consumes K activation/weight codes
/// (plus per-group scale codes and zero points where the kind has them) and returns the rounded result and its cycles.
/// </summary>
public abstract class PeModel
{
    protected PeModel(PeSpec spec, ScalarFormat output)
    {
        Spec = spec;
        Output = output;
        Cycles = PeCycleModel.For(spec);
    }

    public PeSpec Spec { get; }

    /// <summary>
    /// The format a dot product rounds into when none is given: the accumulator; for an exact accumulator (quire or
    /// Kulisch) the wider posit operand when both operands are posits, else fp32.
    /// </summary>
    public static ScalarFormat DefaultOutput(PeSpec spec) => spec.Accumulator switch
    {
        ExactAccumulatorFormat when spec.WeightFormat is PositFormat pw && spec.ActivationFormat is PositFormat pa =>
            pw.Bits >= pa.Bits ? pw : pa,
        ExactAccumulatorFormat => (ScalarFormat)NumberFormat.Parse("fp32"),
        ScalarFormat s => s,
        var f => throw new MantissaException($"accumulator {f.Name} is not a scalar format"),
    };

    /// <summary>Format of the final rounding (the accumulator's unless overridden).</summary>
    public ScalarFormat Output { get; }

    /// <summary>The analytical cycle constants of this PE (what the timing model uses).</summary>
    public PeCycles Cycles { get; }

    /// <summary>Format of the per-group weight scales (fp16 by default), if the kind takes scales.</summary>
    public virtual FloatFormat? ScaleFormat => null;

    /// <summary>Whether this PE takes per-group zero points.</summary>
    public virtual bool TakesZeroPoints => false;

    /// <summary>Scale codes a dot product of <paramref name="k"/> pairs needs (0 if the kind takes none).</summary>
    public virtual int ScalesNeeded(int k) => 0;

    /// <summary>One-line description of the configuration, for tables.</summary>
    public virtual string Describe() => $"w={Spec.WeightFormat.Name} a={Spec.ActivationFormat.Name} acc={Spec.Accumulator.Name} out={Output.Name} dp={Spec.DotWidth}";

    /// <summary>Computes the dot product of <paramref name="a"/> and <paramref name="w"/> (equal lengths, at least 1).</summary>
    public abstract PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros);

    public PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w) => Dot(a, w, default, default);

    protected static void CheckLengths(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w)
    {
        if (a.Length != w.Length) throw new MantissaException($"dot product needs as many activations as weights (got {a.Length} and {w.Length})");
        if (a.Length == 0) throw new MantissaException("dot product needs at least one pair");
    }

    protected void CheckScales(int k, ReadOnlySpan<uint> scales)
    {
        int need = ScalesNeeded(k);
        if (scales.Length != need)
            throw new MantissaException($"{Spec.Kind.Name} with K={k} and group {Spec.Parameters.GroupSize} needs {need} scale(s), got {scales.Length}");
    }

    /// <summary>Groups along K: the group size, or all of K when the group size is 0 (per channel).</summary>
    protected int GroupLength(int k) => Spec.Parameters.GroupSize <= 0 ? k : Spec.Parameters.GroupSize;
}
