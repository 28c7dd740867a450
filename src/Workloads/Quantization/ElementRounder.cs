using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>Rounds values into a scalar format (nearest-even, saturating) through its codec, via a <see cref="RoundingTable"/> when the format is narrow enough.</summary>
internal sealed class ElementRounder
{
    private readonly RoundingTable? _table;
    private readonly FormatCodec _codec;

    public ElementRounder(ScalarFormat format)
    {
        _codec = format.Codec;
        _table = RoundingTable.For(format);
        Max = _codec.MaxFiniteValue;
    }

    /// <summary>The format's largest finite value.</summary>
    public double Max { get; }

    public int Bits => _codec.Bits;

    public double Round(double x) => _table?.Round(x) ?? _codec.ToDouble(_codec.FromDouble(x, RoundingMode.Rne, saturate: true));

    /// <summary>Rounds the exact quotient <paramref name="v"/>/<paramref name="s"/> (s &gt; 0) with one rounding.</summary>
    public double RoundQuotient(double v, double s) =>
        _table?.RoundQuotient(v, s) ?? _codec.ToDouble(_codec.Encode(ExactValue.FromDouble(v) / ExactValue.FromDouble(s), RoundingMode.Rne, saturate: true));
}
