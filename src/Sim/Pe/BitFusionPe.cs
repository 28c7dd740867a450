using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// bit_fusion (Bit Fusion, ISCA 2018): each operand is widened to its fused width (2, 4 or 8 bits) and split into
/// 2-bit digits; every digit enters a BitBrick as a 3-bit two's-complement value, sign-extended for the top digit of a
/// signed operand and zero-extended otherwise. Each brick multiplies one weight digit by one activation digit, the
/// shift-add tree shifts the 6-bit brick product by 2·(i + j) and sums all bricks of all fused products of the pass,
/// and the register adds the pass sum, wrapping or saturating like int_mac.
/// </summary>
public sealed class BitFusionPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.BitFusion;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        output is null ? new BitFusionPe(spec) : throw new MantissaException("bit_fusion results are the accumulator register; --out does not apply");

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("fused int8 x int8 -> int32 wrap", PeKind.BitFusion, "int8", "int8", "int32", 1),
        PeConfiguration.Of("fused int4 x int8 -> int32 wrap", PeKind.BitFusion, "int4", "int8", "int32", 1),
        PeConfiguration.Of("fused uint8 x int2 -> int16 saturate", PeKind.BitFusion, "uint8", "int2", "int16", 2, new PeParameters { Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("fused int2 x uint2 -> int8 wrap", PeKind.BitFusion, "int2", "uint2", "int8", 1),
        PeConfiguration.Of("fused int3 x uint4 -> int12 wrap", PeKind.BitFusion, "int3", "uint4", "int12", 2),
        PeConfiguration.Of("fused uint6 x int5 -> int32 wrap", PeKind.BitFusion, "uint6", "int5", "int32", 1),
        PeConfiguration.Of("fused int8 x int8 -> int64 wrap", PeKind.BitFusion, "int8", "int8", "int64", 1),
        PeConfiguration.Of("fused int4 x uint4 -> int40 saturate", PeKind.BitFusion, "int4", "uint4", "int40", 2, new PeParameters { Overflow = OverflowMode.Saturate }),
    ];

    private readonly IntFormat _acc;
    private readonly int _wDigits, _aDigits;
    // Per code: the 3-bit brick inputs (digit values, −4..3) of the operand, least significant digit first.
    private readonly sbyte[] _wBricks, _aBricks;

    public BitFusionPe(PeSpec spec) : base(spec, spec.Accumulator as IntFormat ?? throw new MantissaException($"bit_fusion accumulator must be an int format, got {spec.Accumulator.Name}"))
    {
        _acc = (IntFormat)Output;
        if (!_acc.Signed) throw new MantissaException("bit_fusion accumulator must be a signed int format (e.g. int32)");
        var w = Int(spec.WeightFormat, "weight");
        var a = Int(spec.ActivationFormat, "activation");
        _wDigits = PeKind.BitFusionWidth(w.IntBits) / PeKind.BitBrickBits;
        _aDigits = PeKind.BitFusionWidth(a.IntBits) / PeKind.BitBrickBits;
        _wBricks = BrickInputs(w, _wDigits);
        _aBricks = BrickInputs(a, _aDigits);
    }

    private static IntFormat Int(NumberFormat f, string what) => f as IntFormat is { IntBits: >= 1 and <= PeKind.BitFusionMaxBits } i
        ? i : throw new MantissaException($"bit_fusion {what} format must be int2..int8 or uint2..uint8, got {f.Name}");

    /// <summary>The sign-mode logic in front of the bricks: each code's 2-bit digits as 3-bit brick inputs.</summary>
    private static sbyte[] BrickInputs(IntFormat f, int digits)
    {
        var table = new sbyte[(1 << f.IntBits) * digits];
        for (uint code = 0; code < 1u << f.IntBits; code++)
        {
            // Widen to the fused width: sign-extend a signed operand, zero-extend an unsigned one.
            uint wide = f.Signed && ((code >> (f.IntBits - 1)) & 1) != 0 ? code | (uint.MaxValue << f.IntBits) : code;
            for (int d = 0; d < digits; d++)
            {
                int bits = (int)((wide >> (2 * d)) & 3);
                // The sign-extension bit is the digit's MSB for the top digit of a signed operand, 0 otherwise.
                bool signExtend = f.Signed && d == digits - 1 && (bits & 2) != 0;
                table[code * digits + d] = (sbyte)(signExtend ? bits - 4 : bits);
            }
        }
        return table;
    }

    public override string Describe() => base.Describe() + $" fused {2 * _wDigits}x{2 * _aDigits} bits, {Cycles.MacsPerPass} products/pass {Spec.Parameters.Overflow.ToString().ToLowerInvariant()}";

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        var register = new IntRegister(_acc, Spec.Parameters.Overflow == OverflowMode.Saturate);
        uint wMask = (1u << ((IntFormat)Spec.WeightFormat).IntBits) - 1, aMask = (1u << ((IntFormat)Spec.ActivationFormat).IntBits) - 1;
        long acc = 0, cycles = 0;
        int lanes = Cycles.MacsPerPass;
        for (int start = 0; start < a.Length; start += lanes)
        {
            int end = Math.Min(a.Length, start + lanes);
            long tree = 0;                      // the shift-add tree is exact: 16 brick products of at most 2^16 per unit
            for (int l = start; l < end; l++)
            {
                int wi = (int)(w[l] & wMask) * _wDigits, ai = (int)(a[l] & aMask) * _aDigits;
                for (int i = 0; i < _wDigits; i++)
                for (int j = 0; j < _aDigits; j++)
                    tree += (long)(_wBricks[wi + i] * _aBricks[ai + j]) << (2 * (i + j));
            }
            acc = register.Add(acc, tree);
            cycles++;
        }
        return new PeResult(register.Code(acc), _acc, cycles);
    }
}
