using Mantissa.Arch;
using Mantissa.Arch.Numerics;

namespace Mantissa.Sim.Pe;

/// <summary>
/// A BitMoD per-group weight data type (HPCA'25): a 3- or 4-bit sign-magnitude float whose redundant −0 code carries one
/// extra value ("ER" resolution: ±3 / ±10, "EA" range: ±6 / ±16, with a positive or negative sign). Codes: the top bit is
/// the sign, the rest index the magnitudes {0,1,2,4} (FP3) or {0,1,2,3,4,6,8,12} (FP4); code 100 / 1000 is the extra value.
/// Value tables from the BitMoD repository (bitmod_quant/quant_utils/quant_weight.py).
/// A <see cref="Mixed"/> format (<c>bitmod_fp4_mixed</c>) lets every group pick one of the four types, as BitMoD does:
/// the group's type selector (<see cref="TypeNames"/> index) tells the decoder what the −0 code means.
/// </summary>
public sealed record BitModFormat(int WeightBits, bool ExtraIsRange, bool ExtraPositive, bool Mixed = false) : ScalarFormat
{
    /// <summary>Per-group type selectors of a mixed format, in selector order.</summary>
    public static readonly string[] TypeNames = { "er_pos", "er_neg", "ea_pos", "ea_neg" };

    /// <summary>The fixed type selected by <paramref name="selector"/> (0..3, see <see cref="TypeNames"/>).</summary>
    public BitModFormat WithType(int selector) => selector is >= 0 and <= 3
        ? new BitModFormat(WeightBits, selector >= 2, selector % 2 == 0)
        : throw new MantissaException($"BitMoD type selector must be 0..3 ({string.Join(", ", TypeNames)}), got {selector}");

    private static readonly int[] Fp3Magnitudes = { 0, 1, 2, 4 };
    private static readonly int[] Fp4Magnitudes = { 0, 1, 2, 3, 4, 6, 8, 12 };

    public override string Name => Mixed ? $"bitmod_fp{WeightBits}_mixed" : $"bitmod_fp{WeightBits}_{(ExtraIsRange ? "ea" : "er")}_{(ExtraPositive ? "pos" : "neg")}";

    public override int Bits => WeightBits;

    /// <summary>The extra value carried by the −0 code.</summary>
    public int ExtraValue => (ExtraPositive ? 1 : -1) * (WeightBits == 3 ? (ExtraIsRange ? 6 : 3) : (ExtraIsRange ? 16 : 10));

    /// <summary>Integer value (in units of the group scale) of <paramref name="code"/>.</summary>
    public int Value(uint code)
    {
        if (Mixed) throw new MantissaException($"{Name} needs the group's type selector to decode a code");
        uint sign = 1u << (WeightBits - 1);
        if (code == sign) return ExtraValue;
        var mags = WeightBits == 3 ? Fp3Magnitudes : Fp4Magnitudes;
        int v = mags[code & (sign - 1)];
        return (code & sign) != 0 ? -v : v;
    }

    /// <summary>All representable values in increasing order (as the BitMoD quantizer lists them).</summary>
    public IReadOnlyList<int> SortedValues()
    {
        var all = new SortedSet<int>();
        for (uint c = 0; c < 1u << WeightBits; c++) all.Add(Value(c));
        return all.ToList();
    }

    /// <summary>Code of value <paramref name="v"/>, or −1 if it is not representable.</summary>
    public int CodeOf(int v)
    {
        for (uint c = 0; c < 1u << WeightBits; c++) if (Value(c) == v && !(v == 0 && c != 0)) return (int)c;
        return -1;
    }

    /// <summary>
    /// The BitMoD quantizer's choice for x (in scale units): the nearest table value, a tie going to the lower value
    /// (the reference selects value i when mid(i−1) &lt; x ≤ mid(i)).
    /// </summary>
    public int QuantizeCode(double x)
    {
        var vals = SortedValues();
        int i = 0;
        while (i < vals.Count - 1 && x > (vals[i] + vals[i + 1]) / 2.0) i++;
        return CodeOf(vals[i]);
    }

    /// <summary>Parses names such as <c>bitmod_fp4_er_pos</c> or <c>bitmod_fp3_ea_neg</c>.</summary>
    public static bool TryParse(string name, out BitModFormat? format)
    {
        format = null;
        var p = name.Trim().ToLowerInvariant().Split('_');
        if (p.Length == 3 && p[0] == "bitmod" && p[1] is ("fp3" or "fp4") && p[2] == "mixed")
        {
            format = new BitModFormat(p[1] == "fp3" ? 3 : 4, false, false, true);
            return true;
        }
        if (p.Length != 4 || p[0] != "bitmod" || p[1] is not ("fp3" or "fp4") || p[2] is not ("er" or "ea") || p[3] is not ("pos" or "neg"))
            return false;
        format = new BitModFormat(p[1] == "fp3" ? 3 : 4, p[2] == "ea", p[3] == "pos");
        return true;
    }

    /// <summary>Parses a format name, accepting BitMoD type names besides <see cref="NumberFormat.Parse"/>'s.</summary>
    public static NumberFormat ParseAny(string name)
    {
        if (TryParse(name, out var b)) return b!;
        if (NumberFormat.TryParse(name, out var f, out var error)) return f!;
        throw new MantissaException(error + ", bitmod_fp{3,4}_{er,ea}_{pos,neg}, bitmod_fp{3,4}_mixed");
    }
}
