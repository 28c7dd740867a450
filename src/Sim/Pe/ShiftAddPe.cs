using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// shift_add (MixPE): each lane multiplies its activation by the weight code q with shifts and adds over q's set bits
/// (the MSB of a signed q subtracts); the group's integer partial sum P_g = Σ a·q and activation sum S_g = Σ a are exact
/// (fixed point on the fp16 exponent for fp16 activations), and the group is dequantized once at its boundary:
/// y ← RNE_fp32(y + s_g·(P_g − z_g·S_g)). fp16 infinities/NaN follow IEEE rules on a·(q − z).
/// </summary>
public sealed class ShiftAddPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.ShiftAdd;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        new ShiftAddPe(spec, output, scaleFormat);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("uint4 zero-point, a int8, g128", PeKind.ShiftAdd, "uint4", "int8", "fp32", 8, new PeParameters { GroupSize = 128 }),
        PeConfiguration.Of("int4, a fp16, g64", PeKind.ShiftAdd, "int4", "fp16", "fp32", 8, new PeParameters { GroupSize = 64 }),
        PeConfiguration.Of("uint8 zero-point, a fp16, g32 -> fp16", PeKind.ShiftAdd, "uint8", "fp16", "fp32", 4, new PeParameters { GroupSize = 32 }, output: "fp16"),
    ];

    private readonly int _wBits, _aBits;
    private readonly bool _wSigned, _aSigned, _aFp16;
    private readonly FloatFormat _scaleFormat;

    public ShiftAddPe(PeSpec spec, ScalarFormat? output = null, FloatFormat? scaleFormat = null)
        : base(spec, output ?? DefaultOutput(spec))
    {
        if (spec.WeightFormat is not IntFormat { IntBits: <= 8 } wi)
            throw new MantissaException($"shift_add weights must be int2..int8 or uint1..uint8, got {spec.WeightFormat.Name}");
        _wBits = wi.IntBits; _wSigned = wi.Signed;
        switch (spec.ActivationFormat)
        {
            case IntFormat ai when ai.IntBits <= 16: _aBits = ai.IntBits; _aSigned = ai.Signed; break;
            case FloatFormat { ExponentBits: 5, MantissaBits: 10 }: _aFp16 = true; _aBits = 16; break;
            default: throw new MantissaException($"shift_add activations must be int (≤ 16 bits) or fp16, got {spec.ActivationFormat.Name}");
        }
        if (spec.Accumulator is not FloatFormat { ExponentBits: 8, MantissaBits: 23 })
            throw new MantissaException($"shift_add accumulates dequantized groups in fp32, got accumulator {spec.Accumulator.Name}");
        _scaleFormat = scaleFormat ?? (FloatFormat)NumberFormat.Parse("fp16");
        if (spec.Parameters.GroupSize > 0 && spec.Parameters.GroupSize % spec.DotWidth != 0)
            throw new MantissaException($"shift_add group size {spec.Parameters.GroupSize} must be a multiple of the dot width {spec.DotWidth} (passes never straddle groups)");
    }

    public override FloatFormat? ScaleFormat => _scaleFormat;

    public override bool TakesZeroPoints => true;

    public override int ScalesNeeded(int k) => (k + GroupLength(k) - 1) / GroupLength(k);

    public override string Describe() => base.Describe() + $" group={Spec.Parameters.GroupSize}";

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        CheckScales(a.Length, scales);
        int k = a.Length, g = GroupLength(k), dp = Spec.DotWidth;
        if (zeros.Length != 0 && zeros.Length != scales.Length)
            throw new MantissaException($"shift_add needs one zero point per group ({scales.Length}), got {zeros.Length}");
        var aCodec = _aFp16 ? new FloatDatapathCodec((FloatFormat)Spec.ActivationFormat) : default;
        var scaleCodec = new FloatDatapathCodec(_scaleFormat);
        var y = new RoundingAccumulator((FloatFormat)Spec.Accumulator);
        long cycles = 0;
        int lsb = _aFp16 ? -24 : 0;
        for (int gs = 0, gi = 0; gs < k; gs += g, gi++)
        {
            int ge = Math.Min(k, gs + g);
            int z = zeros.Length == 0 ? 0 : zeros[gi];
            var p = new FixedAccumulator(lsb);
            var s = new FixedAccumulator(lsb);
            for (int start = gs; start < ge; start += dp)
            {
                int end = Math.Min(ge, start + dp);
                for (int i = start; i < end; i++)
                {
                    long q = _wSigned ? ResultPacker.SignExtend(w[i], _wBits) : w[i] & ((1u << _wBits) - 1);
                    Int128 av;
                    if (_aFp16)
                    {
                        var o = aCodec.Unpack(a[i]);
                        if (o.Class != OperandClass.Finite)
                        {
                            long dq = q - z;
                            p.Add(Operand.Multiply(o, Operand.Finite(dq < 0, (ulong)Math.Abs(dq), 0)));
                            continue;
                        }
                        av = (Int128)o.Sig << (o.Exp - lsb);
                        if (o.Neg) av = -av;
                    }
                    else av = _aSigned ? ResultPacker.SignExtend(a[i], _aBits) : a[i] & (uint)((1UL << _aBits) - 1);
                    p.AddScaled(ShiftAdd(av, (ulong)q), 0);
                    s.AddScaled(av, 0);
                }
                cycles++;
            }
            var x = new FixedAccumulator(lsb);
            x.AddScaled(p.Raw - z * s.Raw, 0);
            if (p.Special.Class != OperandClass.Finite) x.Add(SpecialOf(p.Special));
            y.AddScaled(scaleCodec.Unpack(scales[gi]), x);
            cycles += Cycles.DequantCyclesPerGroup;
        }
        var r = y.Current;
        return new PeResult(ResultPacker.Pack(Output, r.Class, r.Neg, y.Value), Output, cycles);
    }

    /// <summary>a·q by shift-and-add over the bits of the w-bit code q; the sign bit of a signed code weighs −2^(w−1).</summary>
    private Int128 ShiftAdd(Int128 a, ulong q)
    {
        Int128 sum = 0;
        for (int b = 0; b < _wBits; b++)
        {
            if (((q >> b) & 1) == 0) continue;
            if (_wSigned && b == _wBits - 1) sum -= a << b;
            else sum += a << b;
        }
        return sum;
    }

    private static Operand SpecialOf(SpecialFlags f) =>
        f.Class == OperandClass.NaN ? Operand.NaN : Operand.Inf(f.InfNegative);
}
