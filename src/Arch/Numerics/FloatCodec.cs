namespace Mantissa.Arch.Numerics;

/// <summary>Codec of binary floating-point formats (IEEE-style, OCP finite-only FP4/FP6, OCP FP8 E4M3).</summary>
internal sealed class FloatCodec : FormatCodec
{
    /// <summary>IEEE binary64, used to round exact values to double.</summary>
    internal static readonly FloatCodec Binary64 = new(new FloatFormat(11, 52, FloatFlavor.Ieee, "fp64"));

    private readonly int _e, _m, _bias, _emin;
    private readonly ulong _maxField, _fracMask, _signBit;
    private readonly FloatFlavor _flavor;

    public FloatCodec(FloatFormat f) : base(f)
    {
        _e = f.ExponentBits; _m = f.MantissaBits; _bias = f.Bias; _emin = 1 - _bias; _flavor = f.Flavor;
        _fracMask = (1UL << _m) - 1;
        _signBit = 1UL << (Bits - 1);
        _maxField = (1UL << _e) - 1;
        MaxFiniteCode = _flavor switch
        {
            FloatFlavor.Ieee => ((_maxField - 1) << _m) | _fracMask,
            FloatFlavor.FiniteOnly => (_maxField << _m) | _fracMask,
            _ => (_maxField << _m) | (_fracMask - 1),
        };
    }

    public override ulong MaxFiniteCode { get; }

    public override Decoded Decode(ulong code)
    {
        code &= Mask;
        bool neg = (code & _signBit) != 0;
        ulong ef = (code >> _m) & _maxField, f = code & _fracMask;
        int unbiased = ef == 0 ? _emin : (int)ef - _bias;
        var fields = new DecodedFields(neg ? 1 : 0, 0, 0, (uint)ef, _e, unbiased, f, _m);
        if (ef == _maxField && (_flavor == FloatFlavor.Ieee || (_flavor == FloatFlavor.OcpE4M3 && f == _fracMask)))
            return new Decoded(_flavor == FloatFlavor.Ieee && f == 0 ? NumberClass.Infinity : NumberClass.NaN, neg, 0, 0, fields);
        if (ef == 0)
            return f == 0 ? new Decoded(NumberClass.Zero, neg, 0, 0, fields)
                          : new Decoded(NumberClass.Subnormal, neg, f, _emin - _m, fields);
        return new Decoded(NumberClass.Normal, neg, f | (1UL << _m), (int)ef - _bias - _m, fields);
    }

    internal override ulong EncodeUnrounded(in Unrounded u, MagnitudeRounding mode, bool saturate, Random? rng)
    {
        ulong sign = u.Negative ? _signBit : 0;
        int e = u.Exp;
        long qe = (long)Math.Max(e, _emin) - _m;      // exponent of the last significand bit
        int shift = (int)(qe - (e - 127));            // ≥ 127 − m ≥ 75: the result fits in 64 bits
        ulong q = u.RoundAt(shift, mode, rng);
        if (q == 0) return sign;                        // underflow to a signed zero
        if ((q >> (_m + 1)) != 0) { q >>= 1; qe++; }    // rounding carried into a new binade
        ulong ef, f;
        if (q < (1UL << _m)) { ef = 0; f = q; }
        else
        {
            long biased = qe + _m + _bias;
            if (biased > (long)_maxField) return sign | Overflow(mode, saturate);
            ef = (ulong)biased; f = q & _fracMask;
        }
        ulong mag = (ef << _m) | f;
        if (mag > MaxFiniteCode) return sign | Overflow(mode, saturate);
        return sign | mag;
    }

    private ulong Overflow(MagnitudeRounding mode, bool saturate)
    {
        if (saturate || _flavor == FloatFlavor.FiniteOnly || mode == MagnitudeRounding.TowardZero) return MaxFiniteCode;
        return _flavor == FloatFlavor.Ieee ? _maxField << _m : (_maxField << _m) | _fracMask;
    }

    internal override ulong EncodeNaN() => _flavor switch
    {
        // A generic fp<N>e<E>m0 has no NaN code (its top exponent is only ±inf), so NaN encodes as +inf there.
        FloatFlavor.Ieee => (_maxField << _m) | (_m > 0 ? 1UL << (_m - 1) : 0),
        FloatFlavor.OcpE4M3 => (_maxField << _m) | _fracMask,
        _ => 0, // FP4/FP6 have no NaN: a NaN input encodes as +0 (OCP leaves this implementation-defined)
    };

    internal override ulong EncodeInfinity(bool negative, bool saturate)
    {
        ulong sign = negative ? _signBit : 0;
        if (saturate || _flavor == FloatFlavor.FiniteOnly) return sign | MaxFiniteCode;
        return sign | (_flavor == FloatFlavor.Ieee ? _maxField << _m : (_maxField << _m) | _fracMask);
    }

    internal override ulong EncodeZero(bool negative) => negative ? _signBit : 0;
}
