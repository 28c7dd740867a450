using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>An accumulator that never rounds: a posit quire or a Kulisch-style fixed-point register.</summary>
/// <remarks>
/// <see cref="Bits"/> is the width that holds any sum of up to 2^<see cref="CarryBits"/> exact products of the
/// PE's operand formats (for posits: 4·(n−2)·2^es + 2 + carry bits, the quire width in
/// /work/shared/research/pe-models.md §2.2 E).
/// </remarks>
public sealed record ExactAccumulatorFormat(bool IsQuire, int AccumulatorBits, int CarryBits) : ScalarFormat
{
    /// <summary>The accumulator names (YAML <c>accumulator:</c>, <c>--accum</c>) of a posit quire and a Kulisch register.</summary>
    public const string QuireName = "quire", KulischName = "exact";

    public override string Name => IsQuire ? QuireName : KulischName;
    public override int Bits => AccumulatorBits;
}
