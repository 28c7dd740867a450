using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;
using Mantissa.Sim.Pe.Hw;

namespace Mantissa.Sim.Pe;

/// <summary>
/// olive_mac (OliVe, ISCA 2023): weights arrive as outlier–victim pairs (elements 2j and 2j+1; an odd last element is
/// paired with code 0). The pair decoder checks both codes against the identifier 10..0: if neither is, both are
/// two's-complement ints; otherwise the identifier's lane is the pruned victim (0) and the other code is an abfloat
/// outlier, decoded to sign, significand (1.f) and shift e + N − 1 − (N − 3). Each lane multiplies the significand by
/// its activation and shifts the product; a pass sums DotWidth exact products. With int activations the pass sum goes
/// into a wrapping or saturating int register (like int_mac); with fp16 activations into an fp32 register,
/// y ← RNE_fp32(y + pass sum), starting from −0. OliVe's W4A4 mode (activations pair-coded too, `activations: olive4`)
/// decodes the activation pairs with a second decoder of the same rule and multiplies the two significands, adding
/// both shifts; the pass sum goes into the int register.
/// </summary>
public sealed class OliveMacPe : PeModel, IPeModelRegistration
{
    /// <summary>The kind this functional model implements (found by <see cref="PeFactory"/>).</summary>
    public static PeKind Kind => PeKind.OliveMac;

    public static PeModel Create(PeSpec spec, ScalarFormat? output, FloatFormat? scaleFormat) =>
        output is null ? new OliveMacPe(spec) : throw new MantissaException("olive_mac results are the accumulator register; --out does not apply");

    /// <summary>The configurations <c>mantissa verify</c> and the tests check against the reference (found by reflection).</summary>
    public static IReadOnlyList<PeConfiguration> Configurations =>
    [
        PeConfiguration.Of("olive4 x int4 -> int32 wrap", PeKind.OliveMac, "olive4", "int4", "int32", 4),
        PeConfiguration.Of("olive4 x uint8 -> int16 saturate", PeKind.OliveMac, "olive4", "uint8", "int16", 1, new PeParameters { Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("olive8 x int2 -> int32 wrap", PeKind.OliveMac, "olive8", "int2", "int32", 2),
        PeConfiguration.Of("olive5 x int2 -> int12 wrap", PeKind.OliveMac, "olive5", "int2", "int12", 3),
        PeConfiguration.Of("olive4 x olive4 (W4A4) -> int32 wrap", PeKind.OliveMac, "olive4", "olive4", "int32", 4),
        PeConfiguration.Of("olive5 x olive4 -> int12 saturate", PeKind.OliveMac, "olive5", "olive4", "int12", 3, new PeParameters { Overflow = OverflowMode.Saturate }),
        PeConfiguration.Of("olive4 x int8 -> int64 wrap", PeKind.OliveMac, "olive4", "int8", "int64", 2),
        PeConfiguration.Of("olive4 x fp16 -> fp32 per pass", PeKind.OliveMac, "olive4", "fp16", "fp32", 4),
        PeConfiguration.Of("olive6 x fp16 -> fp32 per pass", PeKind.OliveMac, "olive6", "fp16", "fp32", 1),
    ];


    private readonly int _n, _an;
    private readonly IntFormat? _aInt, _accInt;
    private readonly FloatDatapathCodec _fp16;
    private readonly bool _fp;

    public OliveMacPe(PeSpec spec) : base(spec, (ScalarFormat)spec.Accumulator)
    {
        var w = spec.WeightFormat as OliveFormat
            ?? throw new MantissaException($"olive_mac weights must be olive4..olive8 (outlier-victim pairs), got {spec.WeightFormat.Name}");
        _n = w.ElementBits;
        switch (spec.ActivationFormat)
        {
            case OliveFormat ao:
                _an = ao.ElementBits;
                _accInt = spec.Accumulator as IntFormat is { Signed: true } pairAcc ? pairAcc
                    : throw new MantissaException($"olive_mac with olive activations needs a signed int accumulator (e.g. int32), got {spec.Accumulator.Name}");
                break;
            case IntFormat { IntBits: <= 8 } ai:
                _aInt = ai;
                _accInt = spec.Accumulator as IntFormat is { Signed: true } acc ? acc
                    : throw new MantissaException($"olive_mac with int activations needs a signed int accumulator (e.g. int32), got {spec.Accumulator.Name}");
                break;
            case FloatFormat { ExponentBits: 5, MantissaBits: 10 } f16:
                _fp = true;
                _fp16 = new FloatDatapathCodec(f16);
                if (spec.Accumulator is not FloatFormat { ExponentBits: 8, MantissaBits: 23 })
                    throw new MantissaException($"olive_mac with fp16 activations needs an fp32 accumulator, got {spec.Accumulator.Name}");
                break;
            default:
                throw new MantissaException($"olive_mac activations must be int2..int8, uint2..uint8, fp16 or olive4..olive8, got {spec.ActivationFormat.Name}");
        }
    }

    public override string Describe() => base.Describe() + (_fp ? " fp32 per pass" : $" {Spec.Parameters.Overflow.ToString().ToLowerInvariant()}");

    /// <summary>Lane <paramref name="i"/>'s decoded weight: (negative, significand, shift).</summary>
    private (bool Neg, uint Sig, int Shift) Weight(ReadOnlySpan<uint> w, int i) => PairDecoder(w, i, _n);

    /// <summary>
    /// The pair decoder: lane <paramref name="i"/> of a stream of <paramref name="n"/>-bit OliVe element codes as
    /// (negative, significand, shift). An abfloat outlier has m = n − 3 mantissa bits, so its shift is e + n − 1 − m.
    /// </summary>
    private static (bool Neg, uint Sig, int Shift) PairDecoder(ReadOnlySpan<uint> codes, int i, int n)
    {
        int m = n - 3;                                    // abfloat mantissa bits (2 exponent bits, 1 sign bit)
        uint mask = (1u << n) - 1, identifier = 1u << (n - 1);
        int first = i & ~1;
        uint lo = codes[first] & mask, hi = first + 1 < codes.Length ? codes[first + 1] & mask : 0;
        bool outlierPair = lo == identifier || hi == identifier;
        uint code = (i & 1) == 0 ? lo : hi;
        if (!outlierPair)
        {
            int v = (int)(code << (32 - n)) >> (32 - n);    // two's-complement int element
            return (v < 0, (uint)Math.Abs(v), 0);
        }
        if (code == identifier) return (false, 0, 0);     // the victim
        bool neg = (code >> (n - 1)) != 0;
        uint mag = code & (identifier - 1);
        if (mag == 0) return (false, 0, 0);               // e = 0, f = 0 is not an outlier: zero
        uint e = mag >> m, f = mag & ((1u << m) - 1);
        return (neg, (1u << m) | f, (int)e + (n - 1) - m);
    }

    public override PeResult Dot(ReadOnlySpan<uint> a, ReadOnlySpan<uint> w, ReadOnlySpan<uint> scales, ReadOnlySpan<int> zeros)
    {
        CheckLengths(a, w);
        int dp = Spec.DotWidth;
        long cycles = 0;
        if (!_fp)
        {
            var register = new IntRegister(_accInt!, Spec.Parameters.Overflow == OverflowMode.Saturate);
            long acc = 0;
            for (int start = 0; start < a.Length; start += dp)
            {
                long tree = 0;                               // products below 2^14, exact in 64 bits
                for (int i = start; i < Math.Min(a.Length, start + dp); i++)
                {
                    var (neg, sig, shift) = Weight(w, i);
                    if (_an > 0)
                    {
                        var (aNeg, aSig, aShift) = PairDecoder(a, i, _an);
                        long q = (long)(aSig * sig) << (shift + aShift);   // below 2^22 for olive8 × olive8
                        tree += neg != aNeg ? -q : q;
                        continue;
                    }
                    long av = _aInt!.Signed ? ResultPacker.SignExtend(a[i] & (uint)((1UL << _aInt.IntBits) - 1), _aInt.IntBits) : a[i] & (uint)((1UL << _aInt.IntBits) - 1);
                    long p = (av * sig) << shift;
                    tree += neg ? -p : p;
                }
                acc = register.Add(acc, tree);
                cycles++;
            }
            return new PeResult(register.Code(acc), _accInt!, cycles);
        }

        var y = new RoundingAccumulator((FloatFormat)Spec.Accumulator, startNegativeZero: true);
        for (int start = 0; start < a.Length; start += dp)
        {
            var pass = Fp16WeightPass.Start();
            for (int i = start; i < Math.Min(a.Length, start + dp); i++)
            {
                var (neg, sig, shift) = Weight(w, i);
                pass.Add(_fp16, a[i], neg, sig, shift);
            }
            pass.RoundInto(ref y);
            cycles++;
        }
        return new PeResult(y.Code, Output, cycles);
    }
}
