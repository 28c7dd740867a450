using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Cost;

/// <summary>The (weight, activation) format pairs a PE kind runs and its MACs per cycle for each.</summary>
internal static class SupportedFormats
{
    public static IReadOnlyList<(NumberFormat Weight, NumberFormat Activation, double MacsPerCycle)> Of(PeSpec pe, double configuredMacs)
    {
        var list = new List<(NumberFormat, NumberFormat, double)> { (pe.WeightFormat, pe.ActivationFormat, configuredMacs) };
        int k = Math.Max(1, pe.DotWidth);
        switch (pe.Kind)
        {
            case PeKind.BitSerial when pe.Parameters.SerialOperand == SerialOperand.Weights && pe.WeightFormat is IntFormat wi:
                // Narrower serial weights take fewer cycles: one plane group of BitsPerCycle bits per cycle.
                int bpc = Math.Max(1, pe.Parameters.BitsPerCycle);
                for (int b = wi.IntBits - 1; b >= 2; b--)
                    list.Add((new IntFormat(b, wi.Signed), pe.ActivationFormat, (double)k / ((b + bpc - 1) / bpc)));
                break;
            case PeKind.Lut when pe.WeightFormat is IntFormat li:
                for (int b = li.IntBits - 1; b >= 2; b--)
                    list.Add((new IntFormat(b, li.Signed), pe.ActivationFormat, (double)k / PeDatapathBuilder.LutCyclesPerPass(pe, b)));
                break;
            case PeKind.SimdMac:
                int lanes = k; // dot_width 16-bit datapaths, each 16/bits sub-lanes (PeCycleModel)
                foreach (var f in SimdFamily(pe.WeightFormat))
                    if (f.Bits != pe.WeightFormat.Bits) list.Add((f, f, lanes * (16 / f.Bits)));
                break;
        }
        return list;
    }

    // The 4/8/16-bit members of the weight format's family that a 16-bit SIMD lane splits into.
    private static IEnumerable<NumberFormat> SimdFamily(NumberFormat f) => f switch
    {
        IntFormat i => new[] { 4, 8, 16 }.Select(b => (NumberFormat)new IntFormat(b, i.Signed)),
        PositFormat => new[] { "posit4es1", "posit8es0", "posit16es1" }.Select(NumberFormat.Parse),
        FloatFormat => new[] { "fp4e2m1", "fp8e4m3", "fp16" }.Select(NumberFormat.Parse),
        _ => Array.Empty<NumberFormat>(),
    };
}
