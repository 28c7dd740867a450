using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>
/// Rounds values into a scalar format (nearest-even, saturating) through its codec, via a <see cref="RoundingTable"/> when
/// the format is narrow enough, and via the runtime's <see cref="Half"/> conversion for IEEE fp16.
/// </summary>
internal sealed class ElementRounder
{
    private readonly ScalarFormat _format;
    private RoundingTable? _table;
    private readonly FormatCodec _codec;
    // IEEE binary16: the runtime's double → Half conversion rounds once to nearest-even, which is what the codec does
    // short of saturation; it costs a few ns per value against a binary search of the 65,536-entry table (and building
    // the table: about 0.15 CPU-s per process of the 2^20-value sweep tensor). ElementRounderTests check it against
    // the table at every fp16 value, midpoint and their neighbours.
    private readonly bool _half;

    public ElementRounder(ScalarFormat format)
    {
        _format = format;
        _codec = format.Codec;
        _half = format is FloatFormat { ExponentBits: 5, MantissaBits: 10, Flavor: FloatFlavor.Ieee };
        if (!_half) _table = RoundingTable.For(format);
        Max = _codec.MaxFiniteValue;
    }

    private RoundingTable? Table => _table ??= RoundingTable.For(_format);

    /// <summary>The format's largest finite value.</summary>
    public double Max { get; }

    public int Bits => _codec.Bits;

    public double Round(double x)
    {
        if (_half)
        {
            double h = (double)(Half)x;
            // saturate like the codec; the table has one zero (+0), so −0 results become +0 as there
            return double.IsInfinity(h) ? (x > 0 ? Max : -Max) : h == 0 ? 0.0 : h;
        }
        return _table?.Round(x) ?? _codec.ToDouble(_codec.FromDouble(x, RoundingMode.Rne, saturate: true));
    }

    /// <summary>Rounds the exact quotient <paramref name="v"/>/<paramref name="s"/> (s &gt; 0) with one rounding.</summary>
    public double RoundQuotient(double v, double s) =>
        Table?.RoundQuotient(v, s) ?? _codec.ToDouble(_codec.Encode(ExactValue.FromDouble(v) / ExactValue.FromDouble(s), RoundingMode.Rne, saturate: true));
}
