using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// ant_mac (ANT, MICRO 2022): every operand code is decoded by first-one detection into sign, significand and shift
/// (int codes pass straight through), the significands multiply, the product is shifted into place, each pass sums
/// its DotWidth exact products and the register adds the pass sum, wrapping or saturating like int_mac. With fp16
/// activations (ANT as BitMoD's baseline runs it: 4-bit ANT weights × FP16 activations) the decoded weight's
/// significand multiplies the fp16 significand exactly, the pass sum is exact, and an fp32 register takes
/// y ← RNE_fp32(y + pass sum), starting from −0 (as olive_mac's fp16 mode). A weight zero is the integer 0 (+0).
/// </summary>
public sealed class AntMacPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.AntMac;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        output is null ? new AntMacPe(spec) : throw new MantissaException("ant_mac results are the accumulator register; --out does not apply");

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("flint4 x int4 -> int32 wrap", PeKind.AntMac, "flint4", "int4", "int32", 4),
        PeConfiguration.Of("uflint8 x flint8 -> int32 wrap", PeKind.AntMac, "uflint8", "flint8", "int32", 2),
        PeConfiguration.Of("pot4 x uflint4 -> int16 saturate", PeKind.AntMac, "pot4", "uflint4", "int16", 4, new PeParameters { Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("flint4 x flint4 -> int12 wrap", PeKind.AntMac, "flint4", "flint4", "int12", 8),
        PeConfiguration.Of("flint8 x int8 -> int64 wrap", PeKind.AntMac, "flint8", "int8", "int64", 4),
        PeConfiguration.Of("flint4 x fp16 -> fp32 per pass", PeKind.AntMac, "flint4", "fp16", "fp32", 1),
        PeConfiguration.Of("pot4 x fp16 -> fp32 per pass", PeKind.AntMac, "pot4", "fp16", "fp32", 4),
        PeConfiguration.Of("uflint8 x fp16 -> fp32 per pass", PeKind.AntMac, "uflint8", "fp16", "fp32", 2),
    ];


    private readonly Operand _a, _w;
    private readonly IntFormat? _acc;
    private readonly FloatDatapathCodec _fp16;
    private readonly bool _fp;

    public AntMacPe(PeSpec spec) : base(spec, (ScalarFormat)spec.Accumulator)
    {
        _w = Operand.Of(spec.WeightFormat, "weight");
        if (spec.ActivationFormat is FloatFormat { ExponentBits: 5, MantissaBits: 10 } f16)
        {
            _fp = true;
            _fp16 = new FloatDatapathCodec(f16);
            if (spec.Accumulator is not FloatFormat { ExponentBits: 8, MantissaBits: 23 })
                throw new MantissaException($"ant_mac with fp16 activations needs an fp32 accumulator, got {spec.Accumulator.Name}");
            return;
        }
        _a = Operand.Of(spec.ActivationFormat, "activation");
        _acc = spec.Accumulator as IntFormat ?? throw new MantissaException($"ant_mac accumulator must be an int format, got {spec.Accumulator.Name}");
        if (!_acc.Signed) throw new MantissaException("ant_mac accumulator must be a signed int format (e.g. int32)");
    }

    public override string Describe() => base.Describe() + (_fp ? " fp32 per pass" : $" {Spec.Parameters.Overflow.ToString().ToLowerInvariant()}");

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        if (_fp) return DotFp16(a, w);
        var register = new IntRegister(_acc!, Spec.Parameters.Overflow == OverflowMode.Saturate);
        long acc = 0, cycles = 0;
        int dp = Spec.DotWidth;
        for (int start = 0; start < a.Length; start += dp)
        {
            int end = Math.Min(a.Length, start + dp);
            long tree = 0;                                     // products stay below 2^30, so the pass sum is exact in 64 bits
            for (int i = start; i < end; i++)
            {
                var (sa, ma, ea) = _a.Decode(a[i]);
                var (sw, mw, ew) = _w.Decode(w[i]);
                long p = (ma * mw) << (ea + ew);
                tree += sa != sw ? -p : p;
            }
            acc = register.Add(acc, tree);
            cycles++;
        }
        return new PeResult(register.Code(acc), _acc!, cycles);
    }

    /// <summary>ANT weights × fp16 activations: exact pass sums rounded once per pass into the fp32 register.</summary>
    private PeResult DotFp16(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w)
    {
        var y = new RoundingAccumulator((FloatFormat)Spec.Accumulator, startNegativeZero: true);
        int dp = Spec.DotWidth;
        long cycles = 0;
        for (int start = 0; start < a.Length; start += dp)
        {
            var pass = Fp16WeightPass.Start();
            for (int i = start; i < Math.Min(a.Length, start + dp); i++)
            {
                var (sw, mw, ew) = _w.Decode(w[i]);
                pass.Add(_fp16, a[i], sw && mw != 0, (uint)mw, ew);   // the decoder's zero is the integer 0
            }
            pass.RoundInto(ref y);
            cycles++;
        }
        return new PeResult(y.Code, Output, cycles);
    }

    /// <summary>The operand decoder: a two's-complement int, or an ANT sign-magnitude flint/pot code.</summary>
    private readonly record struct Operand(IntFormat? Int, AntType Type, int MagBits, bool Signed)
    {
        public static Operand Of(NumberFormat f, string what) => f switch
        {
            IntFormat { IntBits: <= 8 } i => new Operand(i, AntType.Flint, 0, i.Signed),
            AntFormat { Type: AntType.Pot, MagnitudeBits: > 4 } => throw new MantissaException($"ant_mac {what} {f.Name}: power-of-two magnitudes above 2^14 do not fit its shifter"),
            AntFormat ant => new Operand(null, ant.Type, ant.MagnitudeBits, ant.Signed),
            _ => throw new MantissaException($"ant_mac {what} format must be int2..int8, uint2..uint8 or an ANT flint/pot format, got {f.Name}"),
        };

        /// <summary>(negative, significand, shift) of a code.</summary>
        public (bool Negative, long Sig, int Shift) Decode(uint code)
        {
            if (Int is { } i)
            {
                long v = i.Signed ? ResultPacker.SignExtend(code & (uint)((1UL << i.IntBits) - 1), i.IntBits) : code & (uint)((1UL << i.IntBits) - 1);
                return (v < 0, Math.Abs(v), 0);
            }
            uint mag = code & ((1u << MagBits) - 1);
            bool neg = Signed && ((code >> MagBits) & 1) != 0;
            if (mag == 0) return (neg, 0, 0);
            if (Type == AntType.Pot) return (neg, 1, (int)mag - 1);
            int top = MagBits - 1;
            if ((mag >> top) == 0) return (neg, mag, 0);                 // integer half: the code is the value
            int ones = 0;                                                // first-one detector on the inverted code
            while (ones < MagBits && ((mag >> (top - ones)) & 1) != 0) ones++;
            if (ones == MagBits) return (neg, 1, 2 * MagBits - 2);
            int m = MagBits - ones - 1;
            return (neg, (1L << m) | (mag & ((1u << m) - 1)), 2 * ones - 1);
        }
    }
}
