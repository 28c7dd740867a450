using Mantissa.Arch.Model;

namespace Mantissa.Arch.Config;

/// <summary>Validates one level's mapping constraints (<c>order: [n, k, m]</c>, <c>tile: {m: 64, k: 256}</c>).</summary>
internal static class LevelMappingBinder
{
    private static readonly string[] DimNames = ["m", "k", "n"];

    /// <summary>The constraints of the mapping <paramref name="r"/> reads, written at <paramref name="at"/>; null when invalid (reported to the bag).</summary>
    public static LevelMappingSpec? Bind(SectionReader r, Origin at, bool dram, bool perPe)
    {
        int errorsBefore = r.Bag.Count;
        if (perPe)
        {
            r.Bag.Add(at, r.Path, "a per-PE level has no mapping constraints: what it holds across the array's folds is the dataflow's " +
                                  "(array.dataflow), and its tiles are the folds");
            return null;
        }
        var order = ReadOrder(r);
        long? m = null, k = null, n = null;
        if (r.SubMap("tile", false, "a mapping of m, k and/or n to tile extents") is { } tile)
        {
            if (dram) r.KeyError("tile", "the DRAM level holds the whole problem: constrain only its loop order there");
            else
            {
                var t = new SectionReader(tile, r.KeyPath("tile"), (SchemaMap)ConfigSchema.LevelMapping.Get("tile")!, r.Bag, r.KeyOrigin("tile"));
                m = t.Integer("m", false, 1, int.MaxValue);
                k = t.Integer("k", false, 1, int.MaxValue);
                n = t.Integer("n", false, 1, int.MaxValue);
            }
        }
        if (r.Bag.Count > errorsBefore) return null;
        return new LevelMappingSpec(order, m, k, n, $"{Where(at)} ({r.Path})");
    }

    /// <summary>file:line:column of a position, or the file alone when it has none (a --set value).</summary>
    public static string Where(Origin at) => at.Line > 0 ? $"{at.File}:{at.Line}:{at.Column}" : at.File;

    private static LoopOrder? ReadOrder(SectionReader r)
    {
        const string expected = "a list of the loops m, k and n, outer to inner, each once (e.g. [n, k, m])";
        var seq = r.SubList("order", false, expected);
        if (seq is null) return null;
        if (seq.Items.Count != 3)
        {
            r.ValueError("order", $"expected {expected}, got {seq.Items.Count} item{(seq.Items.Count == 1 ? "" : "s")}");
            return null;
        }
        var letters = new char[3];
        for (int i = 0; i < 3; i++)
        {
            var item = seq.Items[i];
            var text = (item as ConfigScalar)?.Text.Trim().ToLowerInvariant();
            int d = text is null ? -1 : Array.IndexOf(DimNames, text);
            if (d < 0)
            {
                var got = item is ConfigScalar s ? $"'{MessageText.Clip(s.Text)}'" : item.KindName;
                r.Bag.Add(item.Origin, r.KeyPath("order") + "." + i, $"expected a GEMM loop m, k or n, got {got}");
                return null;
            }
            if (Array.IndexOf(letters, DimNames[d][0]) >= 0)
            {
                r.Bag.Add(item.Origin, r.KeyPath("order") + "." + i, $"loop '{DimNames[d]}' is listed twice (expected {expected})");
                return null;
            }
            letters[i] = DimNames[d][0];
        }
        return Order(letters);
    }

    // the order named by three distinct letters (a switch, not Enum.Parse<T>: that is generic code compiled at run time)
    private static LoopOrder Order(char[] letters) => new string(letters) switch
    {
        "mkn" => LoopOrder.MKN,
        "mnk" => LoopOrder.MNK,
        "kmn" => LoopOrder.KMN,
        "knm" => LoopOrder.KNM,
        "nmk" => LoopOrder.NMK,
        "nkm" => LoopOrder.NKM,
        var other => throw new InvalidOperationException($"'{other}' is not an order of the loops m, k and n"),
    };
}
