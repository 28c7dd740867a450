using Mantissa.Arch.Numerics;

namespace Mantissa.Workloads.Quantization;

/// <summary>Rounds a computed scale into its storage format (fp16 by default) with the exact encoder.</summary>
internal sealed class ScaleStore
{
    private readonly FormatCodec? _codec;

    public ScaleStore(ScalarFormat? format)
    {
        _codec = format is null ? null : FormatCodec.For(format);
        Bits = format?.Bits ?? 32;
    }

    /// <summary>Storage bits of one scale (32 for exact scales, counted as fp32).</summary>
    public int Bits { get; }

    /// <summary>The stored scale: nearest-even, saturating; a positive scale that would round to zero rounds up instead.</summary>
    public double Store(double scale)
    {
        if (_codec is null || scale == 0) return scale;
        double s = _codec.ToDouble(_codec.FromDouble(scale, RoundingMode.Rne, saturate: true));
        // A zero scale would wipe the whole group; the smallest positive scale keeps its signs and order.
        if (s <= 0 || !double.IsFinite(s)) s = _codec.ToDouble(_codec.FromDouble(scale, RoundingMode.Rup, saturate: true));
        return s;
    }
}
