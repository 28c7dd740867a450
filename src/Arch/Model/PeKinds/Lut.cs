using Mantissa.Arch.Cost;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Model;

public abstract partial class PeKind
{
    /// <summary>lut (LUT Tensor Core, T-MAC): tables of activation-group sums indexed by weight bit-planes.</summary>
    public static readonly PeKind Lut = new LutKind();

    private sealed class LutKind() : PeKind("lut", "int2..int4, uint1..uint4, ternary", "int8, fp16, bf16",
        PeKeys.BitsPerCycle, G, Entries, Precompute, Symmetric, PeKeys.GroupSize, PeKeys.Overflow)
    {
        private static readonly PeIntegerKey G = PeKey.Integer("g", "activations per table", 1, 8,
            p => p.LutGroup, (p, v) => p with { LutGroup = v });

        private static readonly PeChoiceKey Entries = PeKey.Choice("lut_entries", "table entries: exact sums, fp16, or int8 with a per-group scale",
            [("exact", LutEntryMode.Exact), ("fp16", LutEntryMode.Fp16), ("int8", LutEntryMode.Int8)],
            p => p.LutEntries, (p, v) => p with { LutEntries = v }, option: "--entries");

        private static readonly PeChoiceKey Precompute = PeKey.Choice("lut_precompute",
            "shared: tables built once per activation group by a pipelined unit shared along N (no PE cycles); per_pe: each PE builds its own, 2^(g-1) cycles per pass",
            [("shared", LutPrecompute.Shared), ("per_pe", LutPrecompute.PerPe)],
            p => p.LutPrecompute, (p, v) => p with { LutPrecompute = v });

        private static readonly PeFlagKey Symmetric = PeKey.Flag("lut_symmetric",
            "true: 2^(g-1) stored entries, sign from the index MSB (LUT Tensor Core, T-MAC); false: full 2^g-entry tables",
            p => p.LutSymmetric, (p, v) => p with { LutSymmetric = v });

        public override PeArithmetic? Arithmetic(PeSpec pe) => PeArithmetic.LookupTable;

        /// <summary>One table lookup covers g activations, so a pass reduces g products.</summary>
        public override int DefaultDotWidth(PeParameters p) => p.LutGroup;

        /// <summary>
        /// One cycle per weight bit-plane per pass; 1 dequant cycle per group. Tables are built once per activation group by a
        /// pipelined precompute unit shared by the PEs along N (lut_precompute: shared, LUT Tensor Core / T-MAC) at no PE
        /// cycles; with lut_precompute: per_pe every PE builds its own tables first, one cycle per stored entry (2^(g−1), or
        /// 2^g with lut_symmetric: false).
        /// </summary>
        public override PeCycles Cycles(PeSpec pe, int weightBits, int activationBits)
        {
            var p = pe.Parameters;
            int g = p.LutGroup;
            if (g is < 1 or > 8) throw new MantissaException($"lut g must be 1..8, got {g}");
            int precompute = p.LutPrecompute == LutPrecompute.PerPe ? LutEntriesStored(p) : 0;
            return new PeCycles(pe.DotWidth, weightBits, precompute, Math.Max(0, p.GroupSize), 1, 1);
        }

        public override bool RunsNatively(PeSpec pe, NumberFormat w, NumberFormat a) =>
            a.Name == pe.ActivationFormat.Name && w is TernaryFormat or IntFormat { IntBits: <= 4 };

        /// <summary>Entries a table stores: 2^(g−1) when symmetric (sign from the index MSB), else 2^g.</summary>
        private static int LutEntriesStored(PeParameters p) => p.LutSymmetric ? 1 << (p.LutGroup - 1) : 1 << p.LutGroup;

        public override IEnumerable<(NumberFormat Weight, NumberFormat Activation)> OtherFormats(PeSpec pe)
        {
            if (pe.WeightFormat is not IntFormat li) yield break;
            for (int bits = li.IntBits - 1; bits >= 2; bits--) yield return (new IntFormat(bits, li.Signed), pe.ActivationFormat);
        }

        internal override void Compose(PeDatapathBuilder b, PeSpec pe)
        {
            var p = pe.Parameters;
            int g = Math.Clamp(p.LutGroup, 1, 8);
            int entries = LutEntriesStored(p with { LutGroup = g });
            if (!b.W.IsInteger) throw new MantissaException($"lut: weights must be an integer format, got '{b.W.Format.Name}'");
            int entryBits = p.LutEntries switch
            {
                LutEntryMode.Int8 => 8,
                LutEntryMode.Fp16 => 16,
                _ => b.A.IsInteger ? b.A.Bits + OperandShape.Log2Ceil(g) : 16,
            };
            bool floatEntries = p.LutEntries == LutEntryMode.Fp16 || (!b.A.IsInteger && p.LutEntries == LutEntryMode.Exact);
            int lookups = Math.Max(1, b.K / g);
            int cycles = b.Cycles.CyclesPerPass + b.Cycles.PrecomputeCyclesPerPass;
            bool ownTables = p.LutPrecompute == LutPrecompute.PerPe;
            double rebuild = 1.0 / cycles; // one table serves every weight bit-plane of its activation group
            double lookupActivity = (double)b.W.Bits / cycles; // per_pe: the lookup path idles while the PE builds its tables
            b.Add("table_storage", 1, rebuild, P.Reg(entries * entryBits));
            var builder = floatEntries ? P.FpAdd(11) : P.Add(entryBits);
            // shared: tables depend only on activations, so the PEs of a column share one pipelined builder (charged here as a
            // 1/rows share) that runs beside the lookups and costs the PE no cycles. per_pe: each PE owns one adder per table and
            // fills the 2^(g−1) entries one per cycle before its lookups.
            if (ownTables) b.Add("table_build", lookups, (double)entries / cycles, builder);
            else b.Add("table_build", (double)entries / b.Rows, rebuild, builder);
            b.Add("lookup_mux", lookups, lookupActivity, P.Mux(entries, entryBits));
            // A symmetric table negates the looked-up entry when the index MSB is set; a full table needs no negation.
            if (p.LutSymmetric) b.Add("sign_negate", lookups, lookupActivity, P.Add(entryBits));
            int treeWidth = entryBits + OperandShape.Log2Ceil(lookups);
            if (floatEntries) b.Add("adder_tree", lookups - 1, lookupActivity, P.FpAdd(11));
            else b.Add("adder_tree", lookups - 1, lookupActivity, P.Add(treeWidth));
            if (floatEntries)
            {
                b.Accumulate(treeWidth + b.W.Bits);
                b.Dequantize(activity: b.GroupActivity(cycles));
            }
            else b.GroupAccumulate(treeWidth + b.W.Bits, cycles);
        }
    }
}
