using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Cost;

/// <summary>
/// One block of a PE datapath: <see cref="Count"/> instances of a primitive (area), each switching in a fraction
/// <see cref="Activity"/> of active cycles (energy). Costs are at the 45 nm / 0.9 V reference.
/// </summary>
public sealed record DatapathComponent(string Name, double Count, double Activity, Structure Structure, PrimitiveCost Unit, string Source)
{
    /// <summary>The name as it appears in energy and area tables (<c>pe.&lt;name&gt;</c>).</summary>
    public string TableName { get; } = "pe." + Name;

    public double EnergyPj => Count * Activity * Unit.EnergyPj;
    public double AreaUm2 => Count * Unit.AreaUm2;
}

/// <summary>A PE's datapath at the reference node: its components and MACs per active cycle for the configured formats.</summary>
public sealed record PeDatapath(PeKind Kind, IReadOnlyList<DatapathComponent> Components, double MacsPerCycle)
{
    public double EnergyPj => Components.Sum(c => c.EnergyPj);
    public double AreaUm2 => Components.Sum(c => c.AreaUm2);

    /// <summary>
    /// Composes the datapath of <paramref name="pe"/> from primitives, in an array with <paramref name="dataflow"/> whose
    /// <paramref name="rows"/> PEs of a column share one activation stream (LUT tables are built once per column).
    /// </summary>
    public static PeDatapath Build(PeSpec pe, Dataflow dataflow = Dataflow.WS, int rows = 1)
    {
        // Sweeps cost thousands of designs that share a handful of PE specs (records: value equality), so memoize.
        var key = (pe, dataflow, Math.Max(1, rows));
        if (Cache.TryGetValue(key, out var dp)) return dp;
        dp = new PeDatapathBuilder(pe, dataflow, key.Item3, ComponentLibrary.Default).Build();
        if (Cache.Count >= MaxCached) Cache.Clear();
        Cache[key] = dp;
        return dp;
    }

    /// <summary>
    /// The datapath of <paramref name="arch"/>'s PE. A per-PE memory level that holds weights (or inputs) is the PE's
    /// storage for that operand, costed as a memory level, so the PE's own weight (activation) registers are dropped.
    /// </summary>
    public static PeDatapath For(ArchitectureSpec arch)
    {
        var dp = Build(arch.Pe, arch.Array.Dataflow, arch.Array.Rows);
        var held = TensorSet.None;
        foreach (var m in arch.Memory)
            if (m.PerPe && m.Kind != MemoryKind.Dram) held |= m.Holds;
        if ((held & (TensorSet.Weights | TensorSet.Inputs)) == 0) return dp;
        var kept = dp.Components.Where(c =>
            !(c.Name == "weight_registers" && held.HasFlag(TensorSet.Weights)) &&
            !(c.Name == "activation_registers" && held.HasFlag(TensorSet.Inputs))).ToList();
        return dp with { Components = kept };
    }

    private const int MaxCached = 4096;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<(PeSpec, Dataflow, int), PeDatapath> Cache = new();

    /// <summary>Cycles one pass over the PE's dot product takes (1 for bit-parallel kinds).</summary>
    public double CyclesPerPass(int dotWidth) => Math.Max(1.0, Math.Max(1, dotWidth) / MacsPerCycle);
}

/// <summary>Composes each PE kind from multipliers, adders, registers, shifters, muxes, decoders and accumulators.</summary>
internal sealed class PeDatapathBuilder
{
    private readonly PeSpec _pe;
    private readonly ComponentLibrary _lib;
    private readonly List<DatapathComponent> _parts = new();
    private readonly OperandShape _w, _a;
    private readonly int _k;

    private readonly Dataflow _dataflow;
    private readonly int _rows;

    public PeDatapathBuilder(PeSpec pe, Dataflow dataflow, int rows, ComponentLibrary lib)
    {
        _pe = pe; _lib = lib; _dataflow = dataflow; _rows = rows;
        _w = OperandShape.Of(pe.WeightFormat);
        _a = OperandShape.Of(pe.ActivationFormat);
        _k = Math.Max(1, pe.DotWidth);
        if (pe.Accumulator is BlockFormat)
            throw new MantissaException($"PE accumulator '{pe.Accumulator.Name}' is a block format; use an integer, float or posit accumulator");
    }

    public PeDatapath Build()
    {
        double macs = _pe.Kind switch
        {
            PeKind.IntMac => IntMac(),
            PeKind.BitSerial => BitSerial(),
            PeKind.Lut => Lut(),
            PeKind.ShiftAdd => ShiftAdd(),
            PeKind.PositMac => PositMac(),
            PeKind.MinifloatMac or PeKind.FpMac => FloatMac(),
            PeKind.MxDot => MxDot(),
            PeKind.SimdMac => SimdMac(),
            _ => throw new MantissaException($"PE kind {_pe.Kind} has no cost model"),
        };
        OperandRegisters(macs);
        return new PeDatapath(_pe.Kind, _parts.ToList(), macs);
    }

    /// <summary>Cycles one pass over a dot product of width K takes (bit-serial kinds: the weight planes).</summary>
    private double CyclesPerPass(double macs) => Math.Max(1.0, _k / macs);

    // Operand registers are rewritten once per pass, except the stationary operand (weights under WS, inputs under IS),
    // which is loaded once per tile and costs area but no per-cycle energy.
    private void OperandRegisters(double macs)
    {
        double perPass = 1.0 / CyclesPerPass(macs);
        var df = _pe.Kind == PeKind.SimdMac ? Dataflow.OS : _dataflow;
        Add("weight_registers", 1, df == Dataflow.WS ? 0 : perPass, P.Reg(_k * _w.Bits));
        Add("activation_registers", 1, df == Dataflow.IS ? 0 : perPass, P.Reg(_k * _a.Bits));
    }

    private void Add(string name, double count, double activity, Structure structure)
    {
        if (count > 0) _parts.Add(new DatapathComponent(name, count, activity, structure, _lib.Cost(structure), _lib.SourcesOf(structure)));
    }

    private int Log2K => OperandShape.Log2Ceil(_k);

    private double IntMac()
    {
        RequireInteger("int_mac");
        Add("multiplier", _k, 1, P.Mul(_w.Bits, _a.Bits));
        Add("adder_tree", _k - 1, 1, P.Add(_w.Bits + _a.Bits + Log2K));
        Accumulate(_w.Bits + _a.Bits + Log2K);
        return _k;
    }

    private double BitSerial()
    {
        bool serialWeights = _pe.Parameters.SerialOperand == SerialOperand.Weights;
        var serial = serialWeights ? _w : _a;
        var parallel = serialWeights ? _a : _w;
        if (!serial.IsInteger)
            throw new MantissaException($"bit_serial: the serial operand must be an integer format, got '{serial.Format.Name}'");
        int bpc = Math.Max(1, _pe.Parameters.BitsPerCycle);
        int planes = (serial.Bits + bpc - 1) / bpc;
        int partial = bpc + parallel.SigBits;
        Add("digit_multiplier", _k, 1, P.Mul(bpc, parallel.SigBits));
        int treeWidth = partial + Log2K;
        if (!parallel.IsInteger) treeWidth = AlignToMaxExponent(partial, parallel.ExpBits);
        Add("adder_tree", _k - 1, 1, P.Add(treeWidth));
        // Planes arrive MSB first: acc = (acc << bpc) + partial is a fixed shift (wiring), not a barrel shifter.
        Accumulate(treeWidth + serial.Bits);
        Dequantize(activity: GroupActivity(planes));
        return (double)_k / planes;
    }

    private double Lut()
    {
        int g = Math.Clamp(_pe.Parameters.LutGroup, 1, 8);
        int entries = 1 << (g - 1);
        if (!_w.IsInteger) throw new MantissaException($"lut: weights must be an integer format, got '{_w.Format.Name}'");
        int entryBits = _pe.Parameters.LutEntries switch
        {
            LutEntryMode.Int8 => 8,
            LutEntryMode.Fp16 => 16,
            _ => _a.IsInteger ? _a.Bits + OperandShape.Log2Ceil(g) : 16,
        };
        bool floatEntries = _pe.Parameters.LutEntries == LutEntryMode.Fp16 || (!_a.IsInteger && _pe.Parameters.LutEntries == LutEntryMode.Exact);
        int lookups = Math.Max(1, _k / g);
        int cycles = LutCyclesPerPass(_pe, _w.Bits);
        bool ownTables = _pe.Parameters.LutPrecompute == LutPrecompute.PerPe;
        double rebuild = 1.0 / cycles; // one table serves every weight bit-plane of its activation group
        double lookupActivity = (double)_w.Bits / cycles; // per_pe: the lookup path idles while the PE builds its tables
        Add("table_storage", 1, rebuild, P.Reg(entries * entryBits));
        var builder = floatEntries ? P.FpAdd(11) : P.Add(entryBits);
        // shared: tables depend only on activations, so the PEs of a column share one pipelined builder (charged here as a
        // 1/rows share) that runs beside the lookups and costs the PE no cycles. per_pe: each PE owns one adder per table and
        // fills the 2^(g−1) entries one per cycle before its lookups.
        if (ownTables) Add("table_build", lookups, (double)entries / cycles, builder);
        else Add("table_build", (double)entries / _rows, rebuild, builder);
        Add("lookup_mux", lookups, lookupActivity, P.Mux(entries, entryBits));
        Add("sign_negate", lookups, lookupActivity, P.Add(entryBits));
        int treeWidth = entryBits + OperandShape.Log2Ceil(lookups);
        if (floatEntries) Add("adder_tree", lookups - 1, lookupActivity, P.FpAdd(11));
        else Add("adder_tree", lookups - 1, lookupActivity, P.Add(treeWidth));
        Accumulate(treeWidth + _w.Bits);
        Dequantize(activity: GroupActivity(cycles));
        return (double)_k / cycles;
    }

    /// <summary>
    /// Cycles of one LUT pass over <paramref name="weightBits"/>-bit weights: one lookup per weight bit-plane, plus 2^(g−1)
    /// table-build cycles when every PE builds its own tables (lut_precompute: per_pe); mirrors Mantissa.Sim's PeCycleModel.
    /// </summary>
    internal static int LutCyclesPerPass(PeSpec pe, int weightBits) =>
        weightBits + (pe.Parameters.LutPrecompute == LutPrecompute.PerPe ? 1 << (Math.Clamp(pe.Parameters.LutGroup, 1, 8) - 1) : 0);

    private double ShiftAdd()
    {
        if (!_w.IsInteger) throw new MantissaException($"shift_add: weights must be an integer format, got '{_w.Format.Name}'");
        int pa = _a.SigBits;
        Add("partial_select", _k * _w.Bits, 1, P.Mux(2, pa));
        Add("shift_add", _k * (_w.Bits - 1), 1, P.Add(pa + _w.Bits));
        int treeWidth = pa + _w.Bits + Log2K;
        if (!_a.IsInteger) treeWidth = AlignToMaxExponent(pa + _w.Bits, _a.ExpBits);
        Add("adder_tree", _k - 1, 1, P.Add(treeWidth));
        Accumulate(treeWidth);
        Dequantize(activity: GroupActivity(1));
        return _k;
    }

    private double PositMac()
    {
        if (!_w.IsPosit || !_a.IsPosit)
            throw new MantissaException($"posit_mac: weights and activations must be posit formats, got '{_w.Format.Name}' and '{_a.Format.Name}'");
        Add("regime_decoder", 2 * _k, 1, P.Lzd(_w.Bits) + P.Shift(_w.Bits));
        Add("significand_multiplier", _k, 1, P.Mul(_w.SigBits, _a.SigBits));
        Add("scale_adder", _k, 1, P.Add(Math.Max(_w.ExpBits, _a.ExpBits) + 1));
        int n = Math.Max(_w.Bits, _a.Bits);
        if (_pe.Parameters.Quire)
        {
            int quire = OperandShape.ExactProductSpan(_w, _a) + Log2K;
            Add("quire_alignment", _k, 1, P.Shift(quire));
            Add("adder_tree", _k - 1, 1, P.Add(quire));
            Add("quire_adder", 1, 1, P.Add(quire));
            Add("quire_register", 1, 1, P.Reg(quire));
            // Charged every cycle: an upper bound for the once-per-dot-product rounding back to a posit.
            Add("regime_encoder", 1, 1, P.Lzd(quire) + P.Shift(n) + P.Add(n));
        }
        else
        {
            int sig = _w.SigBits + _a.SigBits;
            Add("product_adder", _k, 1, P.FpAdd(sig));
            Add("regime_encoder", _k, 1, P.Lzd(sig) + P.Shift(n) + P.Add(n));
            Add("accumulator_register", 1, 1, P.Reg(_pe.Accumulator.Bits));
        }
        return _k;
    }

    private double FloatMac()
    {
        string kind = _pe.Kind == PeKind.FpMac ? "fp_mac" : "minifloat_mac";
        if (_w.IsInteger || _w.IsPosit || _a.IsInteger || _a.IsPosit)
            throw new MantissaException($"{kind}: weights and activations must be floating-point formats, got '{_w.Format.Name}' and '{_a.Format.Name}'");
        Add("multiplier", _k, 1, P.FpMul(_w.SigBits, _a.SigBits));
        if (_pe.Accumulator is FloatFormat accF)
        {
            Add("adder_tree", _k - 1, 1, P.FpAdd(accF.MantissaBits + 1));
            Accumulate(0);
        }
        else
        {
            // Exact (Kulisch) accumulation: every product is aligned into a fixed-point register spanning the product range.
            int kulisch = OperandShape.ExactProductSpan(_w, _a) + Log2K;
            Add("kulisch_alignment", _k, 1, P.Shift(kulisch));
            Add("adder_tree", _k - 1, 1, P.Add(kulisch));
            Add("kulisch_adder", 1, 1, P.Add(kulisch));
            Add("kulisch_register", 1, 1, P.Reg(kulisch));
        }
        return _k;
    }

    private double MxDot()
    {
        var elemMul = _w.IsInteger && _a.IsInteger ? P.Mul(_w.SigBits, _a.SigBits) : P.FpMul(_w.SigBits, _a.SigBits);
        Add("element_multiplier", _k, 1, elemMul);
        int span = OperandShape.ExactProductSpan(_w, _a) + Log2K;
        if (!(_w.IsInteger && _a.IsInteger)) Add("alignment_shifter", _k, 1, P.Shift(span));
        Add("adder_tree", _k - 1, 1, P.Add(span));
        int block = _pe.WeightFormat is BlockFormat bw ? bw.BlockSize : _pe.ActivationFormat is BlockFormat ba ? ba.BlockSize : 0;
        var scale = (_pe.WeightFormat as BlockFormat)?.Scale ?? (_pe.ActivationFormat as BlockFormat)?.Scale;
        if (block > 0 && scale is not null)
        {
            double perCycle = Math.Min(1.0, (double)_k / block);
            if (scale is FloatFormat sf) Add("scale_multiplier", 1, perCycle, P.FpMul(sf.MantissaBits + 1, sf.MantissaBits + 1));
            else Add("scale_exponent_adder", 1, perCycle, P.Add(scale.Bits + 1));
        }
        Add("normalizer", 1, 1, P.Lzd(span) + P.Shift(span));
        Accumulate(span);
        return _k;
    }

    private double SimdMac()
    {
        const int LaneBits = 16;
        int n = Math.Max(_w.Bits, _a.Bits);
        if (n > LaneBits)
            throw new MantissaException($"simd_mac: lanes are {LaneBits} bits wide; format '{(_w.Bits >= _a.Bits ? _w : _a).Format.Name}' has {n} bits");
        int lanes = _k; // 16-bit datapaths per PE (dot_width); each splits into 16/bits sub-lanes, as in PeCycleModel
        int sub = LaneBits / n;
        // A precision-fusible 16x16 multiplier, costed as a fixed one times Bit Fusion's measured flexibility overhead.
        double fa = CostData.Asic["fusion_area_overhead"], fe = CostData.Asic["fusion_energy_overhead"];
        Add("fused_multiplier", lanes, 1, new Structure(new[] { new PrimitiveUse(PrimitiveKind.IntMultiplier, LaneBits, LaneBits, fe, fa) }));
        if (!_w.IsInteger)
            Add("exponent_adder", lanes * sub, 1, P.Add(Math.Max(_w.ExpBits, _a.ExpBits) + 1));
        if (_w.IsPosit)
            Add("regime_decoder", 2 * lanes * sub, 1, P.Lzd(n) + P.Shift(n));
        Accumulate(2 * n, count: lanes * sub);
        return lanes * sub;
    }

    /// <summary>Accumulator stage for the configured accumulator format; returns its width in bits.</summary>
    private int Accumulate(int inputBits, int count = 1)
    {
        switch (_pe.Accumulator)
        {
            case FloatFormat f:
                Add("accumulator", count, 1, P.FpAdd(f.MantissaBits + 1));
                Add("accumulator_register", count, 1, P.Reg(f.Bits));
                return f.Bits;
            case PositFormat p:
                Add("accumulator", count, 1, P.FpAdd(Math.Max(1, p.PositBits - 2 - p.Es)) + P.Lzd(p.PositBits) + P.Shift(p.PositBits));
                Add("accumulator_register", count, 1, P.Reg(p.PositBits));
                return p.PositBits;
            default:
                int bits = Math.Max(_pe.Accumulator.Bits, 1);
                Add("accumulator", count, 1, P.Add(bits));
                Add("accumulator_register", count, 1, P.Reg(bits));
                return bits;
        }
    }

    // Floating-point lane products are aligned to the largest exponent among the K lanes (exponent compare tree plus one
    // shifter per lane, with guard, round and sticky bits) before an integer adder tree; returns the tree width.
    private int AlignToMaxExponent(int productBits, int expBits)
    {
        int width = productBits + 3;
        Add("exponent_compare", _k - 1, 1, P.Lzd(expBits + 1));
        Add("alignment_shifter", _k, 1, P.Shift(width));
        return width + Log2K;
    }

    /// <summary>Per-group rescale (FP32 multiply by the group scale), active once per group.</summary>
    private void Dequantize(double activity)
    {
        if (activity > 0) Add("group_dequantizer", 1, activity, P.FpMul(24, 11));
    }

    // One group of GroupSize terms completes every GroupSize/K passes of `cyclesPerPass` cycles.
    private double GroupActivity(int cyclesPerPass) =>
        _pe.Parameters.GroupSize <= 0 ? 0 : Math.Min(1.0, (double)_k / (_pe.Parameters.GroupSize * cyclesPerPass));

    private void RequireInteger(string kind)
    {
        if (!_w.IsInteger || !_a.IsInteger)
            throw new MantissaException($"{kind}: weights and activations must be integer formats, got '{_w.Format.Name}' and '{_a.Format.Name}'");
    }
}
