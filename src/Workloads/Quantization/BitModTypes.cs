namespace Mantissa.Workloads.Quantization;

/// <summary>
/// BitMoD (HPCA'25, arXiv 2411.11745) per-group data types, in scale units, from the authors' reference quantizer
/// (yc2367/BitMoD-HPCA-25, bitmod_quant/quant_utils/quant_weight.py): the redundant −0 code of FP4/FP3 carries one
/// extra value (ER: ±10 / ±3 "extra resolution", EA: ±16 / ±6 "extra asymmetry"); each group picks the lowest-MSE type.
/// </summary>
public static class BitModTypes
{
    private static readonly double[] Fp4 = { -12, -8, -6, -4, -3, -2, -1, 0, 1, 2, 3, 4, 6, 8, 12 };
    private static readonly double[] Fp3 = { -4, -2, -1, 0, 1, 2, 4 };

    /// <summary>The four 4-bit types: fp4_er_pos (+10), fp4_er_neg (−10), fp4_ea_pos (+16), fp4_ea_neg (−16).</summary>
    public static readonly IReadOnlyList<ValueTable> W4 = new[]
    {
        new ValueTable("fp4_er_pos", Fp4.Append(10)),
        new ValueTable("fp4_er_neg", Fp4.Append(-10)),
        new ValueTable("fp4_ea_pos", Fp4.Append(16)),
        new ValueTable("fp4_ea_neg", Fp4.Append(-16)),
    };

    /// <summary>The four 3-bit types: fp3_er_pos (+3), fp3_er_neg (−3), fp3_ea_pos (+6), fp3_ea_neg (−6).</summary>
    public static readonly IReadOnlyList<ValueTable> W3 = new[]
    {
        new ValueTable("fp3_er_pos", Fp3.Append(3)),
        new ValueTable("fp3_er_neg", Fp3.Append(-3)),
        new ValueTable("fp3_ea_pos", Fp3.Append(6)),
        new ValueTable("fp3_ea_neg", Fp3.Append(-6)),
    };

    /// <summary>Bits per group that name the chosen type (four types: 2 bits).</summary>
    public const int TypeSelectBits = 2;
}
