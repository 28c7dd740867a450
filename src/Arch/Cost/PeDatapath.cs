using Mantissa.Arch.Model;
using Mantissa.Arch.Numerics;

namespace Mantissa.Arch.Cost;

/// <summary>Whether a datapath block is combinational logic or storage (registers, table entries); the calibration report
/// (<see cref="PeCalibration"/>) fits one global factor to each.</summary>
public enum DatapathPart { Logic, Storage }

/// <summary>
/// One block of a PE datapath: <see cref="Count"/> instances of a primitive (area), each switching in a fraction
/// <see cref="Activity"/> of active cycles (energy). Costs are at the 45 nm / 0.9 V reference.
/// </summary>
public sealed record DatapathComponent(string Name, double Count, double Activity, Structure Structure, PrimitiveCost Unit, string Source, DatapathPart Part)
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

/// <summary>
/// Collects the components of one PE datapath: the kind's <see cref="PeKind.Compose"/> adds its blocks through the helpers
/// here (accumulator, exponent alignment, group dequantizer), and the operand registers are added last.
/// </summary>
internal sealed class PeDatapathBuilder
{
    private readonly PeSpec _pe;
    private readonly ComponentLibrary _lib;
    private readonly List<DatapathComponent> _parts = new();
    private readonly Dataflow _dataflow;

    public PeDatapathBuilder(PeSpec pe, Dataflow dataflow, int rows, ComponentLibrary lib)
    {
        _pe = pe; _lib = lib; _dataflow = dataflow; Rows = rows;
        W = OperandShape.Of(pe.WeightFormat);
        A = OperandShape.Of(pe.ActivationFormat);
        K = Math.Max(1, pe.DotWidth);
        Cycles = PeCycleModel.For(pe);
        if (pe.Accumulator is BlockFormat)
            throw new MantissaException($"PE accumulator '{pe.Accumulator.Name}' is a block format; use an integer, float or posit accumulator");
    }

    /// <summary>Weight operand widths.</summary>
    public OperandShape W { get; }
    /// <summary>Activation operand widths.</summary>
    public OperandShape A { get; }
    /// <summary>Products reduced per pass (dot_width).</summary>
    public int K { get; }
    /// <summary>PEs of a column sharing one activation stream.</summary>
    public int Rows { get; }
    /// <summary>The PE's cycle constants on its configured formats (the one cycle model).</summary>
    public PeCycles Cycles { get; }
    /// <summary>The dataflow that decides which operand register is stationary; a kind may fix its own.</summary>
    public Dataflow? RegisterDataflow { get; set; }

    public int Log2K => OperandShape.Log2Ceil(K);

    public PeDatapath Build()
    {
        _pe.Kind.Compose(this, _pe);
        double macs = Cycles.MacsPerCycle;
        OperandRegisters(macs);
        return new PeDatapath(_pe.Kind, _parts.ToList(), macs);
    }

    // Operand registers are rewritten once per pass, except the stationary operand (weights under WS, inputs under IS),
    // which is loaded once per tile and costs area but no per-cycle energy.
    private void OperandRegisters(double macs)
    {
        double perPass = 1.0 / Math.Max(1.0, K / macs);
        var df = RegisterDataflow ?? _dataflow;
        Add("weight_registers", 1, df == Dataflow.WS ? 0 : perPass, P.Reg(K * W.Bits));
        Add("activation_registers", 1, df == Dataflow.IS ? 0 : perPass, P.Reg(K * A.Bits));
    }

    /// <summary>Adds <paramref name="count"/> instances of <paramref name="structure"/>, switching in a fraction <paramref name="activity"/> of cycles.</summary>
    public void Add(string name, double count, double activity, Structure structure)
    {
        if (count <= 0) return;
        var part = structure.Items.All(u => u.Kind == PrimitiveKind.Register) ? DatapathPart.Storage : DatapathPart.Logic;
        _parts.Add(new DatapathComponent(name, count, activity, structure, _lib.Cost(structure), _lib.SourcesOf(structure), part));
    }

    /// <summary>Float products summed by float adders per term, or aligned into an exact (Kulisch) fixed-point accumulator.</summary>
    public void FloatProductsAndSum(string kind)
    {
        if (W.IsInteger || W.IsPosit || A.IsInteger || A.IsPosit)
            throw new MantissaException($"{kind}: weights and activations must be floating-point formats, got '{W.Format.Name}' and '{A.Format.Name}'");
        Add("multiplier", K, 1, P.FpMul(W.SigBits, A.SigBits));
        if (_pe.Accumulator is FloatFormat accF)
        {
            Add("adder_tree", K - 1, 1, P.FpAdd(accF.MantissaBits + 1));
            Accumulate(0);
        }
        else
        {
            // Exact (Kulisch) accumulation: every product is aligned into a fixed-point register spanning the product range.
            int kulisch = OperandShape.ExactProductSpan(W, A) + Log2K;
            Add("kulisch_alignment", K, 1, P.Shift(kulisch));
            Add("adder_tree", K - 1, 1, P.Add(kulisch));
            Add("kulisch_adder", 1, 1, P.Add(kulisch));
            Add("kulisch_register", 1, 1, P.Reg(kulisch));
        }
    }

    /// <summary>Accumulator stage for the configured accumulator format; returns its width in bits.</summary>
    public int Accumulate(int inputBits, int count = 1)
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

    /// <summary>
    /// Floating-point lane products aligned to the largest exponent among the K lanes (exponent compare tree plus one
    /// shifter per lane, with guard, round and sticky bits) before an integer adder tree; returns the tree width.
    /// </summary>
    public int AlignToMaxExponent(int productBits, int expBits)
    {
        int width = productBits + 3;
        Add("exponent_compare", K - 1, 1, P.Lzd(expBits + 1));
        Add("alignment_shifter", K, 1, P.Shift(width));
        return width + Log2K;
    }

    /// <summary>Per-group rescale (FP32 multiply by the group scale), active once per group.</summary>
    public void Dequantize(double activity)
    {
        if (activity > 0) Add("group_dequantizer", 1, activity, P.FpMul(24, 11));
    }

    /// <summary>Fraction of cycles a group boundary falls in: one group of GroupSize terms every GroupSize/K passes.</summary>
    public double GroupActivity(int cyclesPerPass) =>
        _pe.Parameters.GroupSize <= 0 ? 0 : Math.Min(1.0, (double)K / (_pe.Parameters.GroupSize * cyclesPerPass));

    public void RequireInteger(string kind)
    {
        if (!W.IsInteger || !A.IsInteger)
            throw new MantissaException($"{kind}: weights and activations must be integer formats, got '{W.Format.Name}' and '{A.Format.Name}'");
    }
}
