using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe;

/// <summary>Builds the functional model of a <see cref="PeSpec"/>.</summary>
public static class PeFactory
{
    /// <param name="output">Format of the final rounding; null = the kind's default (usually the accumulator).</param>
    /// <param name="scaleFormat">Format of per-group weight scales (kinds that dequantize); null = fp16.</param>
    public static PeModel Create(PeSpec spec, ScalarFormat? output = null, FloatFormat? scaleFormat = null) => spec.Kind switch
    {
        PeKind.IntMac => output is null ? new IntMacPe(spec) : throw new MantissaException("int_mac results are the accumulator register; --out does not apply"),
        PeKind.BitSerial => new BitSerialPe(spec, output, scaleFormat),
        PeKind.Lut => new LutPe(spec, output, scaleFormat),
        PeKind.ShiftAdd => new ShiftAddPe(spec, output, scaleFormat),
        PeKind.PositMac => new PositMacPe(spec, output),
        PeKind.MinifloatMac => new MinifloatMacPe(spec, output),
        PeKind.MxDot => new MxDotPe(spec, output),
        PeKind.SimdMac => new SimdMacPe(spec, output),
        _ => throw new MantissaException($"no functional model for PE kind {spec.Kind}"),
    };

    /// <summary>The YAML / command-line name of a PE kind (<c>bit_serial</c>, <c>mx_dot</c>, ...).</summary>
    public static string KindName(PeKind kind) => kind switch
    {
        PeKind.IntMac => "int_mac",
        PeKind.BitSerial => "bit_serial",
        PeKind.Lut => "lut",
        PeKind.ShiftAdd => "shift_add",
        PeKind.PositMac => "posit_mac",
        PeKind.MinifloatMac => "minifloat_mac",
        PeKind.MxDot => "mx_dot",
        PeKind.SimdMac => "simd_mac",
        _ => "fp_mac",
    };

    public static readonly PeKind[] ModelledKinds =
    {
        PeKind.IntMac, PeKind.BitSerial, PeKind.Lut, PeKind.ShiftAdd, PeKind.PositMac, PeKind.MinifloatMac, PeKind.MxDot, PeKind.SimdMac,
    };

    public static PeKind ParseKind(string name)
    {
        foreach (var k in ModelledKinds) if (KindName(k) == name) return k;
        throw new MantissaException($"unknown PE kind '{name}'; valid kinds: {string.Join(", ", ModelledKinds.Select(KindName))}");
    }
}
