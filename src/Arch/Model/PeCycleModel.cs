using Mantissa.Arch;
using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

/// <summary>
/// Cycles one PE spends on a dot product, as a handful of per-pass and per-group constants.
/// A dot product of K pairs takes <c>Passes(K)·(CyclesPerPass + PrecomputeCyclesPerPass) + Groups(K)·DequantCyclesPerGroup</c>
/// cycles (<see cref="DotCycles"/>); every functional PE model counts the same cycles while it computes, and the tests
/// check the two agree.
/// </summary>
/// <param name="MacsPerPass">Weight/activation pairs consumed by one pass (DotWidth, times the SIMD lanes of the format).</param>
/// <param name="CyclesPerPass">Cycles of one pass: 1 for bit-parallel PEs, ⌈bits/bits_per_cycle⌉ for bit-serial, weight bit-planes for LUT.</param>
/// <param name="PrecomputeCyclesPerPass">LUT table build per pass when every PE builds its own tables (lut_precompute: per_pe,
/// 2^(g−1) entries, one per cycle); 0 for shared tables and for other kinds.</param>
/// <param name="GroupSize">Quantization group along K whose boundary costs <see cref="DequantCyclesPerGroup"/>; 0 = one group spanning K
/// (per channel: one dequantize step per dot product).</param>
/// <param name="DequantCyclesPerGroup">Extra cycles at each group boundary (the fp32 dequantize-and-accumulate step); 0 if overlapped.</param>
/// <param name="SimdLanes">Operands packed per datapath word (simd_mac: 16/bits; 1 elsewhere).</param>
public readonly record struct PeCycles(
    int MacsPerPass,
    int CyclesPerPass,
    int PrecomputeCyclesPerPass,
    int GroupSize,
    int DequantCyclesPerGroup,
    int SimdLanes)
{
    /// <summary>Passes needed for a dot product of <paramref name="k"/> pairs.</summary>
    public long Passes(long k) => k <= 0 ? 0 : (k + MacsPerPass - 1) / MacsPerPass;

    /// <summary>Quantization groups in a dot product of <paramref name="k"/> pairs (the last may be partial).</summary>
    public long Groups(long k) => k <= 0 ? 0 : GroupSize <= 0 ? 1 : (k + GroupSize - 1) / GroupSize;

    /// <summary>Total cycles of one dot product of <paramref name="k"/> pairs.</summary>
    public long DotCycles(long k) =>
        Passes(k) * (CyclesPerPass + PrecomputeCyclesPerPass) + Groups(k) * DequantCyclesPerGroup;

    /// <summary>Sustained MACs per cycle over a long dot product (ignores group overheads).</summary>
    public double MacsPerCycle => (double)MacsPerPass / (CyclesPerPass + PrecomputeCyclesPerPass);
}

/// <summary>
/// The one cycle model of a PE: the kind's <see cref="PeKind.Cycles"/>, read by the timing model, the cost model (MACs per
/// cycle) and every functional PE model (the cycles it reports). Per kind (the formulas live in the kind's descriptor):
/// <list type="bullet">
/// <item>int_mac, minifloat_mac, posit_mac, fp_mac, mx_dot: DotWidth MACs per cycle.</item>
/// <item>bit_serial: ⌈bits/bits_per_cycle⌉ cycles per pass, bits of the serial operand (BitMoD at 2 bits/cycle: W3, W4 → 2, W6 → 3);
/// group dequantization is overlapped with the next group (0 extra cycles, as in the BitMoD simulator).</item>
/// <item>lut: one cycle per weight bit-plane per pass; 1 dequant cycle per group; with lut_precompute: per_pe every PE builds
/// its own tables first, 2^(g−1) cycles per pass.</item>
/// <item>shift_add: one pass per cycle plus 1 dequant cycle per group (MixPE: dequantize once per group).</item>
/// <item>simd_mac: DotWidth 16-bit datapaths, each 16/bits lanes (fp4/posit4: 4, posit8: 2, posit16: 1).</item>
/// </list>
/// </summary>
public static class PeCycleModel
{
    /// <summary>Cycle constants of <paramref name="pe"/> running weights of <paramref name="weight"/> and activations of <paramref name="activation"/>.</summary>
    public static PeCycles For(PeSpec pe, NumberFormat weight, NumberFormat activation) =>
        For(pe, weight.Bits, activation.Bits);

    /// <summary>Same as <see cref="For(PeSpec, NumberFormat, NumberFormat)"/> for formats known only by width (e.g. BitMoD FP3/FP4 types).</summary>
    public static PeCycles For(PeSpec pe, int weightBits, int activationBits)
    {
        if (pe.DotWidth < 1) throw new MantissaException($"PE dot width must be at least 1, got {pe.DotWidth}");
        return pe.Kind.Cycles(pe, weightBits, activationBits);
    }

    /// <summary>Cycle constants of <paramref name="pe"/> on its configured formats.</summary>
    public static PeCycles For(PeSpec pe) => For(pe, pe.WeightFormat, pe.ActivationFormat);
}
