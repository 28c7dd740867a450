using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// int_mac: an a-bit × w-bit integer multiplier feeding an N-bit two's-complement accumulator register that wraps
/// (drops carries beyond N bits) or saturates (clamps to the register's range). Each pass sums its DotWidth products
/// exactly in an adder tree; the register adds the pass sum once per pass (so saturation applies per pass).
/// </summary>
public sealed class IntMacPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.IntMac;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        output is null ? new IntMacPe(spec) : throw new MantissaException("int_mac results are the accumulator register; --out does not apply");

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("int8 x int8 -> int32 wrap", PeKind.IntMac, "int8", "int8", "int32", 4),
        PeConfiguration.Of("int8 x int8 -> int16 saturate", PeKind.IntMac, "int8", "int8", "int16", 2, new PeParameters { Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("int4 x uint8 -> int12 wrap", PeKind.IntMac, "int4", "uint8", "int12", 8),
        PeConfiguration.Of("int8 x int8 -> int64 wrap", PeKind.IntMac, "int8", "int8", "int64", 4),
        PeConfiguration.Of("int16 x int16 -> int34 wrap", PeKind.IntMac, "int16", "int16", "int34", 8),
        PeConfiguration.Of("int16 x uint16 -> int36 saturate", PeKind.IntMac, "int16", "uint16", "int36", 16, new PeParameters { Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("int16 x int16 -> int48 wrap", PeKind.IntMac, "int16", "int16", "int48", 1),
    ];

    private readonly IntFormat _a, _w, _acc;

    public IntMacPe(PeSpec spec) : base(spec, spec.Accumulator as IntFormat ?? throw Bad(spec.Accumulator, "accumulator"))
    {
        _a = spec.ActivationFormat as IntFormat ?? throw Bad(spec.ActivationFormat, "activation");
        _w = spec.WeightFormat as IntFormat ?? throw Bad(spec.WeightFormat, "weight");
        _acc = (IntFormat)Output;
        if (_a.IntBits > 16 || _w.IntBits > 16) throw new MantissaException("int_mac operands are limited to 16 bits");
        if (!_acc.Signed) throw new MantissaException("int_mac accumulator must be a signed int format (e.g. int32)");
    }

    private static MantissaException Bad(NumberFormat f, string what) => new($"int_mac {what} format must be an int format, got {f.Name}");

    public override string Describe() => base.Describe() + $" {Spec.Parameters.Overflow.ToString().ToLowerInvariant()}";

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        var register = new IntRegister(_acc, Spec.Parameters.Overflow == OverflowMode.Saturate);
        long acc = 0, cycles = 0;
        int dp = Spec.DotWidth;
        for (int start = 0; start < a.Length; start += dp)
        {
            int end = Math.Min(a.Length, start + dp);
            long tree = 0;                                     // the pass's adder tree is exact (products ≤ 32 bits, ≤ 2^31 lanes)
            for (int i = start; i < end; i++) tree += Operand(a[i], _a) * Operand(w[i], _w);
            acc = register.Add(acc, tree);
            cycles++;
        }
        return new PeResult(register.Code(acc), _acc, cycles);
    }

    private static long Operand(uint code, IntFormat f) =>
        f.Signed ? ResultPacker.SignExtend(code, f.IntBits) : code & (uint)((1UL << f.IntBits) - 1);
}
