using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>The <c>pe:</c> keys more than one kind reads, declared once; a key only one kind reads is declared in that
/// kind's descriptor file.</summary>
public static class PeKeys
{
    /// <summary><c>bits_per_cycle</c>: serial digits (bit_serial) or weight bit-planes (lut) per cycle.</summary>
    public static readonly PeChoiceKey BitsPerCycle = PeKey.Choice("bits_per_cycle",
        "bits of the serial operand (lut: weight bit-planes) consumed per cycle",
        [("1", 1), ("2", 2), ("4", 4)], p => p.BitsPerCycle, (p, v) => p with { BitsPerCycle = v });

    /// <summary><c>group_size</c>: weights per quantization group along K; a multiple of dot_width, since a pass never
    /// straddles a group.</summary>
    public static readonly PeIntegerKey GroupSize = PeKey.Integer("group_size",
        "weights per quantization group along K, 0 = per channel; a multiple of dot_width", 0, 1 << 20,
        p => p.GroupSize, (p, v) => p with { GroupSize = v }, option: "--group",
        problem: b => b.Parameters.GroupSize > 0 && b.Parameters.GroupSize % b.DotWidth != 0
            ? $"group_size {b.Parameters.GroupSize} is not a multiple of dot_width {b.DotWidth}" : null);

    /// <summary><c>overflow</c>: what an integer accumulator does when a pass sum overflows it.</summary>
    public static readonly PeChoiceKey Overflow = PeKey.Choice("overflow", "an integer accumulator wraps or saturates on overflow",
        [("wrap", OverflowMode.Wrap), ("saturate", OverflowMode.Saturate)], p => p.Overflow, (p, v) => p with { Overflow = v },
        problem: b => b.Accumulator is null or IntFormat ? null
            : $"overflow applies only to integer accumulators, but the accumulator is {b.Accumulator.Name}", problemAtKey: true);
}
