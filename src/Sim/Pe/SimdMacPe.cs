using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// simd_mac (XR-NPE style): a 16-bit operand word split into 4 lanes of fp4e2m1 or posit4es1, 2 lanes of posit8es0 or
/// 1 lane of posit16es1. Each cycle the datapath takes one word of activations and one of weights per dot-product slot,
/// decodes every lane, multiplies lane by lane and adds all lane products into one exact accumulator (quire); the result
/// is rounded once into the output format (the operand posit format, or fp32 for fp4). Equal to posit_mac with a quire
/// and to minifloat_mac with a Kulisch accumulator on the same operands.
/// </summary>
public sealed class SimdMacPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.SimdMac;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        new SimdMacPe(spec, output);

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("4 x fp4e2m1 -> fp32", PeKind.SimdMac, "fp4e2m1", "fp4e2m1", "fp32", 1),
        PeConfiguration.Of("4 x posit4es1", PeKind.SimdMac, "posit4es1", "posit4es1", "posit4es1", 1),
        PeConfiguration.Of("2 x posit8es0", PeKind.SimdMac, "posit8es0", "posit8es0", "posit8es0", 2),
        PeConfiguration.Of("1 x posit16es1", PeKind.SimdMac, "posit16es1", "posit16es1", "posit16es1", 1),
    ];

    private readonly int _bits, _lanes, _lsb, _maxExp;
    private readonly PositDatapathCodec? _posit;
    private readonly FloatDatapathCodec? _fp4;

    public SimdMacPe(PeSpec spec, ScalarFormat? output = null) : base(spec, output ?? DefaultOutput(spec))
    {
        if (spec.WeightFormat != spec.ActivationFormat)
            throw new MantissaException($"simd_mac needs the same format for weights and activations, got w={spec.WeightFormat.Name} a={spec.ActivationFormat.Name}");
        switch (spec.WeightFormat)
        {
            case FloatFormat { ExponentBits: 2, MantissaBits: 1 } f:
                _fp4 = new FloatDatapathCodec(f); _lsb = 2 * (1 - f.Bias - 1); _maxExp = 2 * 2 + 1; break;
            case PositFormat { PositBits: 4, Es: 1 } or PositFormat { PositBits: 8, Es: 0 } or PositFormat { PositBits: 16, Es: 1 }:
                var pc = new PositDatapathCodec((PositFormat)spec.WeightFormat);
                _posit = pc; _lsb = -2 * pc.MaxScale; _maxExp = 2 * pc.MaxScale; break;
            default:
                throw new MantissaException($"simd_mac supports fp4e2m1, posit4es1, posit8es0 and posit16es1, got {spec.WeightFormat.Name}");
        }
        _bits = spec.WeightFormat.Bits;
        _lanes = PeKind.SimdLanes(_bits);
    }

    public override string Describe() => base.Describe() + $" lanes={_lanes}";

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        int k = a.Length;
        FixedAccumulator.CheckFits(_maxExp, _lsb, k, "simd_mac quire");
        var q = new FixedAccumulator(_lsb);
        var zero = new ZeroSign();
        uint laneMask = (1u << _bits) - 1;
        long words = 0;
        for (int i = 0; i < k; i += _lanes)
        {
            // Pack the lanes into 16-bit words as the operand buses carry them (a short last word is zero-padded).
            uint wa = 0, ww = 0;
            for (int l = 0; l < _lanes && i + l < k; l++)
            {
                wa |= (a[i + l] & laneMask) << (l * _bits);
                ww |= (w[i + l] & laneMask) << (l * _bits);
            }
            for (int l = 0; l < _lanes; l++)
            {
                var p = Operand.Multiply(Lane(wa, l, laneMask), Lane(ww, l, laneMask));
                // Zero-padded lanes of a short last word are not terms of the dot product, so they do not vote on the sign of zero.
                if (i + l < k) zero.Product(((a[i + l] >> (_bits - 1)) & 1) != 0, ((w[i + l] >> (_bits - 1)) & 1) != 0, p.IsZero);
                q.Add(p);
            }
            words++;
        }
        long cycles = (words + Spec.DotWidth - 1) / Spec.DotWidth;
        var cls = q.Special.Class;
        if (_posit is not null && cls != OperandClass.Finite) cls = OperandClass.NaN;
        var v = q.Value;
        if (v.IsZero && _fp4 is not null) v = new WideValue(zero.Negative, UInt128.Zero, 0);   // posit zero has no sign
        return new PeResult(ResultPacker.Pack(Output, cls, q.Special.InfNegative, v), Output, cycles);
    }

    private Operand Lane(uint word, int lane, uint mask)
    {
        uint code = (word >> (lane * _bits)) & mask;
        return _posit is { } p ? p.Unpack(code) : _fp4!.Value.Unpack(code);
    }
}
