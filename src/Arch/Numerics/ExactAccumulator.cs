using System.Numerics;
using System.Runtime.InteropServices;

namespace Mantissa.Arch.Numerics;

/// <summary>
/// An exact dot-product accumulator (Kulisch accumulator / posit quire): a wide two's-complement fixed-point register
/// whose least significant bit weighs 2^<see cref="LsbExponent"/>. Products and addends are added without rounding;
/// <see cref="Round"/> rounds once. Adding allocates nothing.
/// </summary>
public sealed class ExactAccumulator
{
    /// <summary>Weight of the register's lowest bit: below the smallest product of any two ≤32-bit formats (posit32es4: 2^-960).</summary>
    public const int DefaultLsbExponent = -1152;
    private const int DefaultWords = 38; // 2432 bits: values up to 2^1279, far beyond any product of ≤32-bit formats

    private readonly ulong[] _words;
    private bool _nan, _posInf, _negInf;

    public ExactAccumulator(int lsbExponent = DefaultLsbExponent, int words = DefaultWords)
    {
        if (words < 3) throw new ArgumentOutOfRangeException(nameof(words));
        LsbExponent = lsbExponent;
        _words = new ulong[words];
    }

    public int LsbExponent { get; }

    /// <summary>Resets to +0.</summary>
    public void Clear()
    {
        Array.Clear(_words);
        _nan = _posInf = _negInf = false;
    }

    /// <summary>Adds the exact product of two codes.</summary>
    public void AddProduct(ScalarFormat fa, ulong a, ScalarFormat fb, ulong b) => AddProduct(fa.Codec.Decode(a), fb.Codec.Decode(b));

    public void AddProduct(in Decoded a, in Decoded b)
    {
        if (a.Class == NumberClass.NaN || b.Class == NumberClass.NaN) { _nan = true; return; }
        bool neg = a.Negative != b.Negative;
        if (a.Class == NumberClass.Infinity || b.Class == NumberClass.Infinity)
        {
            if (a.Class == NumberClass.Zero || b.Class == NumberClass.Zero) _nan = true;
            else if (neg) _negInf = true; else _posInf = true;
            return;
        }
        if (a.Class == NumberClass.Zero || b.Class == NumberClass.Zero) return;
        AddScaled((UInt128)a.Significand * b.Significand, a.Exponent + b.Exponent, neg);
    }

    /// <summary>Adds one code exactly.</summary>
    public void Add(ScalarFormat f, ulong code) => Add(f.Codec.Decode(code));

    public void Add(in Decoded d)
    {
        switch (d.Class)
        {
            case NumberClass.NaN: _nan = true; return;
            case NumberClass.Infinity: if (d.Negative) _negInf = true; else _posInf = true; return;
            case NumberClass.Zero: return;
        }
        AddScaled(d.Significand, d.Exponent, d.Negative);
    }

    /// <summary>Adds a double exactly (it must lie within the register's range).</summary>
    public void Add(double x)
    {
        if (double.IsNaN(x)) { _nan = true; return; }
        if (double.IsInfinity(x)) { if (x < 0) _negInf = true; else _posInf = true; return; }
        if (x == 0) return;
        ulong bits = BitConverter.DoubleToUInt64Bits(x);
        int be = (int)((bits >> 52) & 0x7FF);
        ulong frac = bits & ((1UL << 52) - 1);
        if (be == 0) AddScaled(frac, -1074, x < 0);
        else AddScaled(frac | (1UL << 52), be - 1075, x < 0);
    }

    private void AddScaled(UInt128 mag, int exp, bool negative)
    {
        int offset = exp - LsbExponent;
        int topBit = offset + 128 - (int)UInt128.LeadingZeroCount(mag);
        if (offset < 0 || topBit >= _words.Length * 64 - 1)
            throw new InvalidOperationException($"value 2^{exp} is outside the accumulator range [2^{LsbExponent}, 2^{LsbExponent + _words.Length * 64 - 2})");
        int w = offset >> 6, s = offset & 63;
        ulong w0 = (ulong)(mag << s), w1 = (ulong)((mag << s) >> 64), w2 = s == 0 ? 0 : (ulong)(mag >> (128 - s));
        if (!negative)
        {
            ulong carry = 0;
            carry = AddWord(w, w0, carry);
            carry = AddWord(w + 1, w1, carry);
            carry = AddWord(w + 2, w2, carry);
            for (int i = w + 3; carry != 0 && i < _words.Length; i++) carry = AddWord(i, 0, carry);
        }
        else
        {
            ulong borrow = 0;
            borrow = SubWord(w, w0, borrow);
            borrow = SubWord(w + 1, w1, borrow);
            borrow = SubWord(w + 2, w2, borrow);
            for (int i = w + 3; borrow != 0 && i < _words.Length; i++) borrow = SubWord(i, 0, borrow);
        }
    }

    private ulong AddWord(int i, ulong v, ulong carry)
    {
        if (i >= _words.Length) return 0;
        ulong x = _words[i];
        ulong sum = x + v;
        ulong c1 = sum < x ? 1UL : 0UL;
        ulong sum2 = sum + carry;
        ulong c2 = sum2 < sum ? 1UL : 0UL;
        _words[i] = sum2;
        return c1 | c2;
    }

    private ulong SubWord(int i, ulong v, ulong borrow)
    {
        if (i >= _words.Length) return 0;
        ulong x = _words[i];
        ulong d = x - v;
        ulong b1 = x < v ? 1UL : 0UL;
        ulong d2 = d - borrow;
        ulong b2 = d < borrow ? 1UL : 0UL;
        _words[i] = d2;
        return b1 | b2;
    }

    /// <summary>The exact accumulated value (NaN when a NaN/NaR was added or +inf and −inf were both added).</summary>
    public ExactValue Value
    {
        get
        {
            if (_nan || (_posInf && _negInf)) return ExactValue.NaN;
            if (_posInf) return ExactValue.PositiveInfinity;
            if (_negInf) return ExactValue.NegativeInfinity;
            var big = new BigInteger(MemoryMarshal.AsBytes(_words.AsSpan()), isUnsigned: false, isBigEndian: false);
            return ExactValue.FromDyadic(false, big, LsbExponent);
        }
    }

    /// <summary>Rounds the exact sum once into <paramref name="to"/>.</summary>
    public ulong Round(ScalarFormat to, RoundingMode mode = RoundingMode.Rne, bool saturate = false, Random? rng = null) =>
        FormatArithmetic.Round(to.Codec, Value, mode, saturate, rng);
}
