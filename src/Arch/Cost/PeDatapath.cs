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
        var key = new DatapathKey(pe, dataflow, Math.Max(1, rows));
        if (Cache.TryGetValue(key, out var dp)) return dp;
        dp = new PeDatapathBuilder(pe, dataflow, key.Rows, ComponentLibrary.Default).Build();
        Cache.Add(key, dp);
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
    private static readonly BoundedMemo<DatapathKey, PeDatapath> Cache = new(MaxCached);

    // A class key with hand-written equality, not a (PeSpec, Dataflow, int) tuple: the dictionary and comparers over a
    // tuple holding an enum are JIT-compiled at every start-up, over a reference type they are precompiled.
    private sealed class DatapathKey(PeSpec pe, Dataflow dataflow, int rows)
    {
        public PeSpec Pe { get; } = pe;
        public Dataflow Dataflow { get; } = dataflow;
        public int Rows { get; } = rows;

        public override bool Equals(object? obj) =>
            obj is DatapathKey k && k.Dataflow == Dataflow && k.Rows == Rows && k.Pe.Equals(Pe);

        public override int GetHashCode() => (Pe.GetHashCode() * 31 + (int)Dataflow) * 31 + Rows;
    }

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

    /// <summary>Adds a block used in a fraction <paramref name="activity"/> of cycles that the <see cref="Rows"/> PEs of a column
    /// share by time-multiplexing: ⌈rows·activity⌉ units per column, so one PE is charged ⌈rows·activity⌉/rows of a unit (a
    /// whole unit when it works alone) and the same energy per cycle as an unshared unit.</summary>
    public void AddShared(string name, double activity, Structure structure)
    {
        if (activity <= 0) return;
        double units = Math.Max(1, Math.Ceiling(Rows * Math.Min(1.0, activity) - 1e-9)) / Rows;
        Add(name, units, activity / units, structure);
    }

    /// <summary>
    /// Float products summed by float adders per term (a float accumulator), or formed exactly and aligned into a fixed-point
    /// (Kulisch) accumulator that rounds once.
    /// </summary>
    public void FloatProductsAndSum(string kind)
    {
        if (W.IsInteger || W.IsPosit || A.IsInteger || A.IsPosit)
            throw new MantissaException($"{kind}: weights and activations must be floating-point formats, got '{W.Format.Name}' and '{A.Format.Name}'");
        if (_pe.Accumulator is FloatFormat accF)
        {
            // A rounded product (normalize and round) feeds a float adder: Horowitz's FP multiplier and adder.
            Add("multiplier", K, 1, P.FpMul(W.SigBits, A.SigBits));
            Add("adder_tree", K - 1, 1, P.FpAdd(accF.MantissaBits + 1));
            Accumulate(0);
        }
        else ExactSum();
    }

    /// <summary>
    /// Exact products of two float operands (an integer significand multiplier and an exponent adder: an exact product is
    /// neither normalized nor rounded), each aligned into a fixed-point (Kulisch) register spanning the product range,
    /// summed by an integer tree and accumulator, and rounded once to the output format by a normalizer (leading-zero count
    /// and a shifter extracting the fp32 significand and round bit), charged every cycle as an upper bound.
    /// </summary>
    public void ExactSum()
    {
        Add("multiplier", K, 1, ExactProduct(W, A));
        int kulisch = OperandShape.ExactProductSpan(W, A) + Log2K;
        Add("kulisch_alignment", K, 1, P.Place(W.SigBits + A.SigBits, kulisch));
        double window = WindowActivity(W.SigBits + A.SigBits + 1 + Log2K, kulisch);
        Add("adder_tree", K - 1, window, P.Add(kulisch));
        Add("kulisch_adder", 1, window, P.Add(kulisch));
        Add("kulisch_register", 1, window, P.Reg(kulisch));
        Add("normalizer", 1, 1, P.Lzd(kulisch) + P.Place(RoundedSigBits, kulisch));
    }

    /// <summary>
    /// Fraction of a fixed-point field's bits that switch when each input places <paramref name="significant"/> bits (value,
    /// sign and carry) somewhere in a <paramref name="width"/>-bit field: the bits outside that window hold zeros or sign
    /// copies and rarely toggle. Area is charged for the whole field, energy for the window (exact accumulators, aligned trees).
    /// </summary>
    public static double WindowActivity(int significant, int width) => Math.Min(1.0, (double)significant / Math.Max(1, width));

    /// <summary>An exact product: integer significand multiplier plus, when either operand has an exponent, an exponent adder.</summary>
    public static Structure ExactProduct(OperandShape w, OperandShape a)
    {
        var mul = P.Mul(w.SigBits, a.SigBits);
        int e = Math.Max(w.ExpBits, a.ExpBits);
        return e > 0 ? mul + P.Add(e + 1) : mul;
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
    /// Fixed-point lane products of <paramref name="productBits"/> placed exactly on the float operand's least significant
    /// bit: one alignment shifter per lane over the operand's exponent range (integer lanes need none). Returns the adder-tree
    /// width, after the tree is added.
    /// </summary>
    public int ExactLanesAndTree(int productBits, OperandShape floatOperand, out int significant)
    {
        int width = productBits;
        if (!floatOperand.IsInteger)
        {
            width = productBits + floatOperand.MaxExp - floatOperand.MinExp + 1;
            Add("alignment_shifter", K, 1, P.Place(productBits, width));
        }
        width += Log2K;
        significant = Math.Min(width, productBits + 1 + Log2K);
        Add("adder_tree", K - 1, WindowActivity(significant, width), P.Add(width));
        return width;
    }

    /// <summary>
    /// Per-group accumulation as the grouped kinds' datapaths do it: with a float accumulator and groups, the exact group sum
    /// (<paramref name="sums"/> integer accumulators: the partial sum, and for zero points the activation sum) is dequantized
    /// once per group by a unit that normalizes it, multiplies by the fp16 group scale and adds it into the PE's float output
    /// register (one rounding), shared along the column (<see cref="AddShared"/>). Otherwise the plain accumulator.
    /// <paramref name="significant"/>: bits of one input that switch (<see cref="WindowActivity"/>).
    /// </summary>
    public void GroupAccumulate(int inputBits, int cyclesPerPass, int sums = 1, int significant = int.MaxValue)
    {
        double activity = GroupActivity(cyclesPerPass);
        if (_pe.Accumulator is not FloatFormat f || activity <= 0)
        {
            Accumulate(inputBits);
            return;
        }
        int groupBits = inputBits + OperandShape.Log2Ceil(CeilDiv(_pe.Parameters.GroupSize, K));
        double window = WindowActivity(significant, groupBits);
        Add("group_accumulator", sums, window, P.Add(groupBits));
        Add("group_register", sums, window, P.Reg(groupBits));
        var unit = P.Lzd(groupBits) + P.Place(RoundedSigBits, groupBits) + P.FpMul(f.MantissaBits + 1, ScaleSigBits) + P.FpAdd(f.MantissaBits + 1);
        // The zero-point term z·S_g is one more integer product (an 8-bit zero point times the activation sum).
        if (sums > 1) unit += P.Mul(8, groupBits);
        AddShared("group_dequantizer", activity, unit);
        Add("accumulator_register", 1, activity, P.Reg(f.Bits));
    }

    /// <summary>Bits a normalizer extracts from a wide fixed-point sum: the fp32 significand and a round bit (sticky is an OR).</summary>
    public const int RoundedSigBits = 25;

    /// <summary>Significand bits of a group scale (fp16, the functional models' default scale format).</summary>
    private const int ScaleSigBits = 11;

    /// <summary>Per-group rescale (a float multiply by the fp16 group scale), active once per group and shared along the column.</summary>
    public void Dequantize(double activity) => AddShared("group_dequantizer", activity, P.FpMul(24, ScaleSigBits));

    /// <summary>Fraction of cycles a group boundary falls in: one group of GroupSize terms every GroupSize/K passes.</summary>
    public double GroupActivity(int cyclesPerPass) =>
        _pe.Parameters.GroupSize <= 0 ? 0 : Math.Min(1.0, (double)K / (_pe.Parameters.GroupSize * cyclesPerPass));

    private static int CeilDiv(int a, int b) => (a + b - 1) / b;

    public void RequireInteger(string kind)
    {
        if (!W.IsInteger || !A.IsInteger)
            throw new MantissaException($"{kind}: weights and activations must be integer formats, got '{W.Format.Name}' and '{A.Format.Name}'");
    }
}
