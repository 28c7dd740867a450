using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Fusion;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Sim.Search;
using Mantissa.Sim.Timing;
using Mantissa.Workloads;

namespace Mantissa.Sim;

/// <summary>
/// Simulates workloads on one architecture: maps each operator, counts its traffic, times it tile by tile and
/// prices it with the cost model. Operators with the same shape are mapped once per simulator instance
/// (an instance is not thread-safe: use one per thread).
/// </summary>
public sealed class Simulator
{
    private readonly ArchitectureSpec _arch;
    private readonly ArchCost _cost;
    private readonly SimOptions _options;
    private readonly PeThroughput _pe;
    private readonly Mapper _mapper;
    // not presized: a sweep builds one simulator per design point and a GEMM point uses one entry (held inline); presized
    // (32, 32, 16, 32) the four tables allocated about 12 KB per simulator before their first insert and doubled a
    // shared-mapping sweep's gen-0 collections. A workload run sizes them for its shapes (RunOperators).
    private LayerMemo _memo;
    // the tables of the fused layers, made by the first fused run (a GEMM point never makes them)
    private FusedTables? _fusedTables;
    private Dictionary<(long Elements, double BytesIn, double BytesOut, double ChipIn, double ChipOut), LayerResult>? _vectorMemo;

    /// <summary>
    /// The memo tables of the layers a fusion plan touches, apart from the unfused ones so that each table is sized once
    /// for what it will hold (grown as one table, the unfused tables were resized when the fused classes came). Their
    /// keys never equal an unfused key: a GEMM here holds operands on chip, a vector operator keeps bytes there.
    /// </summary>
    private sealed class FusedTables
    {
        // the GEMMs searched with operands fusion holds on chip (OnChip.Tensors set)
        public LayerMemo Aware;
        // the repriced unfused mappings (Repriced), by their problem, and by their problem with no bytes reserved on chip
        public LayerMemo Repriced, RepricedUnreserved;
        // the vector operators with bytes kept on chip (chipIn or chipOut set)
        public Dictionary<(long Elements, double BytesIn, double BytesOut, double ChipIn, double ChipOut), LayerResult>? Vectors;
    }

    private FusedTables Fused => _fusedTables ??= new FusedTables();
    private readonly MappingCache? _mappings;
    private ReservedBytesMemo? _sameSearch;
    private MapperInputs? _mapperInputs;

    /// <param name="mappings">Mapper results shared with other simulators (a sweep's designs); null maps every shape afresh.</param>
    public Simulator(ArchitectureSpec arch, ArchCost cost, SimOptions? options = null, MappingCache? mappings = null)
    {
        _mappings = mappings;
        _arch = arch; _cost = cost; _options = options ?? new SimOptions();
        if (cost.Levels.Count != arch.Memory.Count)
            throw new MantissaException($"cost model has {cost.Levels.Count} memory levels but architecture '{arch.Name}' has {arch.Memory.Count}");
        if (arch.ClockMhz <= 0) throw new MantissaException($"architecture '{arch.Name}': clock_mhz must be positive");
        // by index: an enumerator of the levels was an allocation of every design point's simulator
        for (int i = 0; i < arch.Memory.Count; i++)
            if (arch.Memory[i] is var m && (m.ReadBytesPerCycle <= 0 || m.WriteBytesPerCycle <= 0))
                throw new MantissaException($"architecture '{arch.Name}': memory level '{m.Name}' needs positive read and write bandwidth");
        _pe = PeThroughput.For(arch.Pe);
        _mapper = new Mapper(arch, cost, _options, _pe);
    }

    public ArchitectureSpec Architecture => _arch;

    /// <summary>
    /// Fused GEMMs that differ only in the bytes fusion reserves beside their held operands share a search whose fit
    /// questions those bytes answer alike (<see cref="ReservedBytesMemo"/>) and one repricing of the unfused mapping
    /// (default). Off, each is searched and priced on its own; the results are the same (tests compare the two).
    /// </summary>
    internal bool ReusesAcrossReservedBytes { get; init; } = true;
    public PeThroughput Pe => _pe;

    /// <summary>Largest GEMM dimension: tensor extents are 32-bit everywhere else (workload shapes, tensor files).</summary>
    public const long MaxGemmDim = int.MaxValue;

    /// <summary>Most MACs in one GEMM, 2^62: leaves room to sum layers, bytes and cycles in 64 bits without overflow.</summary>
    public const double MaxGemmMacs = 4.611686018427388e18;

    /// <summary>Simulates one GEMM Out[M×N] = In[M×K]·W[K×N] (batch independent copies) with the PE's operand formats.</summary>
    public SimResult RunGemm(long m, long k, long n, long batch = 1, string name = "gemm")
    {
        if (m <= 0 || k <= 0 || n <= 0 || batch <= 0)
            throw new MantissaException($"GEMM dimensions must be positive (got M={m} K={k} N={n} batch={batch})");
        if (m > MaxGemmDim || k > MaxGemmDim || n > MaxGemmDim || batch > MaxGemmDim)
            throw new MantissaException($"GEMM dimensions must be at most {MaxGemmDim:N0} (2^31 - 1) each (got M={m} K={k} N={n} batch={batch})");
        if ((double)m * k * n * batch > MaxGemmMacs)
            throw new MantissaException($"GEMM M={m} K={k} N={n} batch={batch} has {(double)m * k * n * batch:G3} MACs, more than the 2^62 the simulator counts exactly");
        var priced = SimulateGemm(DefaultProblem(batch, m, k, n));
        // the memo's result is named so already unless a name is given (a sweep's GEMM point): no copy then
        var layer = priced.Name == name && priced.Kind == OpKind.Gemm ? priced : priced with { Name = name, Kind = OpKind.Gemm };
        return new SimResult(_arch, _cost, new[] { layer }, 0, 0);
    }

    /// <summary>Simulates every operator of <paramref name="w"/> in topological order, fused unless <see cref="SimOptions.Fusion"/> is off.</summary>
    public SimResult Run(Workload w)
    {
        var (tokens, frames) = WorkloadLowering.Throughput(w);
        var lowered = WorkloadLowering.For(w, _arch);
        WorkloadLowering.CheckFormats(lowered.Ops, _arch);
        return RunOperators(lowered.Ops, lowered.Fusible, tokens, frames, lowered.Chains);
    }

    /// <summary>Simulates operators in the given (topological) order, layer by layer: every tensor goes through DRAM.</summary>
    public SimResult RunOperators(IEnumerable<SimOperator> ops, double tokens = 0, double frames = 0) =>
        RunOperators(ops.ToList(), Array.Empty<FusibleTensor>(), tokens, frames);

    /// <summary>
    /// Simulates operators in the given (topological) order. With fusion on, the <paramref name="fusible"/> activations
    /// that <see cref="FusionPlanner"/> can keep in the on-chip level stay there: their producer and consumers move
    /// them inside the chip only, priced by the same traffic kernel with that DRAM crossing removed.
    /// </summary>
    /// <paramref name="chains"/> are the attention blocks that may be tiled FlashAttention-style when their score matrix does not fit whole.
    /// <paramref name="ops"/> must not change afterwards: fusion plans are remembered per operator list, and the result
    /// names its layers from it when they are first read.
    public SimResult RunOperators(IReadOnlyList<SimOperator> ops, IReadOnlyList<FusibleTensor> fusible, double tokens = 0, double frames = 0,
        IReadOnlyList<AttentionChain>? chains = null)
    {
        // Each operator's priced result: operators of one shape share the memoised object, named by NamedLayers.
        // unfused is per-thread scratch (nothing keeps it past this call: the run keeps a copy, or the fused layers)
        var unfused = Scratch(ref t_unfused, ops.Count);
        // an operator of a class priced before shares that result (the memo's object): each class is priced once
        var classes = OperatorClasses.Of(ops);
        var first = classes.First;
        // sized for the shapes priced below: grown entry by entry, the tables' resizes were a tenth of a Llama point's bytes
        _memo.Expect(classes.Gemms.Length);
        _vectorMemo ??= new(classes.VectorClasses);
        for (int i = 0; i < ops.Count; i++)
            unfused[i] = first[i] < i ? unfused[first[i]] : ops[i].Gemm is { } g ? SimulateGemm(g) : SimulateVector(ops[i], 0, 0);
        double unfusedDram = 0;
        foreach (var l in unfused) unfusedDram += l.DramBytes;
        if (!_options.Fusion || fusible.Count == 0 || _mapper.View.FusionLevel is null)
            return new SimResult(_arch, _cost, new NamedLayers(ops, PerClass(classes, unfused), null), tokens, frames, FusionSchedule.Off(unfusedDram) with
            {
                Enabled = _options.Fusion, Level = _options.Fusion && _mapper.View.FusionLevel is { } l ? _arch.Memory[l].Name : null,
            });
        var plan = FusionPlanner.Plan(_arch, _mapper.View, ops, unfused, fusible, chains);
        int fusionLevel = _mapper.View.FusionLevel.Value;
        // one result per slot (SlotLayers): an operator the plan does not touch shares its class's unfused result, the
        // first touched operator of each slot is priced, in operator order, and the others share its result
        var slots = classes.Slots(plan);
        ExpectFused(slots);
        var priced = new LayerResult[slots.Count];
        for (int i = 0; i < ops.Count; i++)
        {
            int slot = slots.Of[i];
            if (priced[slot] is not null) continue;
            var op = ops[i];
            priced[slot] = !plan.Touches[i] ? unfused[i]
                : op.Gemm is { } g ? FusedGemm(g, unfused[i], new OnChipOperands(plan.Operands[i], fusionLevel, plan.Live[i]), plan.TouchesTiled[i])
                : SimulateVector(op, plan.ChipIn[i], plan.ChipOut[i]);
        }
        var layers = new SlotLayers(slots.Of, priced);
        var (groups, groupOf) = FusionGroups.Build(ops, plan, unfused, layers);
        double fusedDram = 0;
        for (int i = 0; i < layers.Count; i++) fusedDram += layers[i].DramBytes;
        var level = _arch.Memory[fusionLevel];
        var schedule = new FusionSchedule(true, level.Name, level.CapacityBytes, groups, unfusedDram, fusedDram);
        return new SimResult(_arch, _cost, new NamedLayers(ops, layers, groupOf), tokens, frames, schedule);
    }

    // The unfused results, one per class (a run keeps them: the per-thread scratch is reused by the next run).
    private static SlotLayers PerClass(OperatorClasses classes, LayerResult[] unfused)
    {
        var perClass = new LayerResult[classes.ClassCount];
        for (int i = 0; i < unfused.Length; i++) perClass[classes.ClassIndex[i]] = unfused[i];
        return new SlotLayers(classes.ClassIndex, perClass);
    }

    // Room in the memo tables for the fused layers of a plan: each slot it adds is priced once (a GEMM searched with its
    // held operands and repriced, a vector operator with its bytes kept on chip).
    private void ExpectFused(FusedSlots slots)
    {
        var fused = Fused;
        fused.Aware.Expect(slots.Gemms);
        fused.Repriced.Expect(slots.Gemms);
        fused.RepricedUnreserved.Expect(slots.Gemms);
        fused.Vectors ??= new(slots.Vectors);
    }

    [ThreadStatic] private static LayerResult[]? t_unfused;

    // A per-thread array of exactly n results (the planner and groups read its Count), reused while n stays the same.
    private static LayerResult[] Scratch(ref LayerResult[]? buffer, int n) => buffer is { } b && b.Length == n ? b : buffer = new LayerResult[n];

    /// <summary>
    /// A GEMM problem with the operand formats of this architecture's PE. The weights carry the group scales and zero
    /// points a workload stores for them (the PE's default precision recipe, applied to its weight format), so a
    /// grouped PE's DRAM traffic never falls below the bytes a workload would read.
    /// </summary>
    public GemmProblem DefaultProblem(long batch, long m, long k, long n) => new(batch, m, k, n,
        _arch.Pe.ActivationFormat.BitsPerElement, WeightBitsPerElement(k, n),
        _arch.Pe.ActivationFormat.BitsPerElement, _arch.Pe.Accumulator.Bits);

    private double WeightBitsPerElement(long k, long n)
    {
        // a sweep builds one simulator per point over a handful of shared PE objects: the last answer is kept per thread
        // (the recipe search walks every preset), keyed by the PE object itself, which is immutable
        if (ReferenceEquals(t_weightBitsPe, _arch.Pe) && t_weightBitsK == k && t_weightBitsN == n) return t_weightBits;
        var format = _arch.Pe.WeightFormat;
        double bits = FormatFit.DefaultRecipe(_arch.Pe) is not { } recipe
            ? format.BitsPerElement
            : (RecipePresets.Get(recipe).Defaults with { Weights = format }).Weight("gemm.weight", new[] { n, k }).Bytes * 8 / ((double)k * n);
        (t_weightBitsPe, t_weightBitsK, t_weightBitsN, t_weightBits) = (_arch.Pe, k, n, bits);
        return bits;
    }

    [ThreadStatic] private static PeSpec? t_weightBitsPe;
    [ThreadStatic] private static long t_weightBitsK, t_weightBitsN;
    [ThreadStatic] private static double t_weightBits;

    /// <summary>The mapping chosen for a GEMM (for printing).</summary>
    public GemmMapping MapGemm(GemmProblem p) => SimulateGemm(p).Mapping!;

    // One shape's priced result, memoised: its name and kind are those of the first operator priced (see Named).
    private LayerResult SimulateGemm(GemmProblem p)
    {
        bool aware = p.OnChip.Tensors != TensorSet.None;
        ref var memo = ref aware ? ref Fused.Aware : ref _memo;
        if (memo.TryGetValue(p, out var cached)) return cached;
        if (aware && ReusesAcrossReservedBytes && _sameSearch?.Find(p) is { } same) return memo.Set(p, same);
        var one = p with { Batch = 1 };
        var pe = p.Pe ?? _pe;
        var est = LayerCompute.Estimate(_arch, _options, p, pe, _arch.Array.Dataflow);
        var mapped = _mappings is null ? _mapper.Map(one, est.Cycles)
            : _mappings.Map(_mapperInputs ??= new MapperInputs(_arch, _cost, _options, _pe), _mapper, one, est.Cycles);
        // an open array's mapper chose the dataflow too: the layer computes as that dataflow does
        if (mapped.Mapping.Dataflow != _arch.Array.Dataflow) est = LayerCompute.Estimate(_arch, _options, p, pe, mapped.Mapping.Dataflow);
        var result = PriceGemm("gemm", OpKind.Gemm, p, est.Cycles, mapped.Mapping, mapped.Traffic, mapped.Memory);
        memo.Set(p, result);
        // a search this mapper just ran (not a cached or re-scored answer) says which other reserved bytes it holds for
        if (p.OnChip.Tensors != TensorSet.None && ReferenceEquals(mapped, _mapper.LastResult)) (_sameSearch ??= new ReservedBytesMemo(_arch)).Add(p, _mapper.LastWindow, result);
        return result;
    }

    // A GEMM with operands fusion holds on chip: mapped afresh knowing they are there (no DRAM crossing for them, its
    // other tiles in what they leave of the level), or its unfused mapping repriced without their DRAM crossing,
    // whichever the objective prefers (the search normally finds the unfused mapping's point if it is best, but the tile
    // sizes it enumerates depend on the capacity left). The GEMMs of an attention block tiled FlashAttention-style keep
    // their unfused mappings: the tile's working set is derived from them.
    private LayerResult FusedGemm(GemmProblem g, LayerResult unfused, OnChipOperands onChip, bool tiledAttention)
    {
        var repriced = Repriced(unfused, onChip);
        if (tiledAttention) return repriced;
        var aware = SimulateGemm(g with { OnChip = onChip });
        return Preferred(aware, repriced);
    }

    // The objective's rule (Mapper) between two priced layers: the lower primary key, unless the other is within the
    // tolerance of it and has the lower secondary key.
    private LayerResult Preferred(LayerResult a, LayerResult b)
    {
        var (pa, sa) = _mapper.Keys(new MappingScore(a.Cycles, a.Energy.TotalPj));
        var (pb, sb) = _mapper.Keys(new MappingScore(b.Cycles, b.Energy.TotalPj));
        if (_options.Objective == MappingObjective.Edp) return pb < pa ? b : a;
        double limit = Math.Min(pa, pb) * (1 + _options.ObjectiveTolerance);
        bool aOk = pa <= limit, bOk = pb <= limit;
        if (aOk && bOk) return sb < sa ? b : a;
        return aOk ? a : b;
    }

    // The same mapping with some operands held on chip by fusion: the traffic kernel recounts the bits without their
    // DRAM crossing, and the timing and energy follow from those bits as for any mapping.
    private LayerResult Repriced(LayerResult unfused, OnChipOperands onChip)
    {
        var p = unfused.Gemm!.Value with { OnChip = onChip };
        // the traffic kernel, the timeline, the energy and the bounds read which operands are held, never the bytes
        // reserved beside them: problems differing only there share one pricing, each keeping its own problem
        var fused = Fused;
        if (fused.Repriced.TryGetValue(p, out var cached)) return cached;
        var key = p with { OnChip = onChip with { ReservedBytes = 0 } };
        if (ReusesAcrossReservedBytes && fused.RepricedUnreserved.TryGetValue(key, out var same)) return fused.Repriced.Set(p, same with { Gemm = p });
        var one = p with { Batch = 1 };
        var mapping = HeldWhereResident(unfused.Mapping!, onChip);
        var bits = TrafficModel.Compute(_mapper.ViewOf(mapping.Bypass), one, mapping, onChip.Tensors);
        double estCycles = unfused.ComputeCycles / p.Batch;
        var result = PriceGemm(unfused.Name, unfused.Kind, p, estCycles, mapping, TrafficCost.ToLevelTraffic(_arch, bits),
            TrafficCost.Of(_arch, _cost, bits));
        fused.Repriced.Set(p, result);
        fused.RepricedUnreserved.Set(key, result);
        return result;
    }

    // Fusion keeps a resident operand in its first on-chip level: a mapping that bypassed it there holds it there again
    // (deeper levels keep the mapping's choice), so the fused layer's traffic, timing and energy all read that one mapping.
    private static GemmMapping HeldWhereResident(GemmMapping mapping, OnChipOperands onChip)
    {
        if (mapping.Bypass is not { } bypass || (bypass[onChip.Level] & onChip.Tensors) == 0) return mapping;
        var held = bypass.ToArray();
        held[onChip.Level] &= ~onChip.Tensors;
        return mapping with { Bypass = held };
    }

    private LayerResult PriceGemm(string name, OpKind kind, GemmProblem p, double estCycles, GemmMapping mapping,
        LevelTraffic[] trafficOne, MemoryCost memory)
    {
        var one = p with { Batch = 1 };
        var pe = p.Pe ?? _pe;
        var timing = TileTimeline.Run(_mapper.ViewOf(mapping.Bypass), one, mapping, estCycles, memory, _options.MaxTimelineTiles);
        long b = p.Batch;
        var traffic = new LevelTraffic[trafficOne.Length];
        for (int l = 0; l < traffic.Length; l++) traffic[l] = trafficOne[l].Scale(b);
        double cycles = timing.Cycles * b, compute = estCycles * (double)b;
        long macs = p.Macs;
        var energy = EnergyModel.Compute(_arch, _cost, traffic, macs / pe.MacsPerCycle, cycles);
        var dram = _arch.Memory[MemoryLevels.Dram];
        var dramTraffic = traffic[MemoryLevels.Dram];
        double dramCycles = Math.Max(dramTraffic.ReadBytes / dram.ReadBytesPerCycle, dramTraffic.WriteBytes / dram.WriteBytesPerCycle);
        double util = cycles > 0 ? macs / (cycles * _arch.PeCount * pe.MacsPerCycle) : 0;
        return new LayerResult(name, kind, p, macs, compute, cycles, traffic, energy,
            dramCycles > compute ? Bound.Memory : Bound.Compute, util, mapping, Bounds: Bounds(p, pe, cycles, dramTraffic));
    }

    // Compulsory DRAM traffic: both operands read once, the output written once (at their stored widths); the array
    // bound is the MACs at the PE's peak rate, the DRAM bound that traffic on the one bus.
    // Operands fusion holds on chip have no compulsory DRAM traffic.
    private LayerBounds Bounds(GemmProblem p, PeThroughput pe, double cycles, LevelTraffic dram)
    {
        double Off(Tensor x) => (p.OnChip.Tensors & ArchView.SetOf(x)) != 0 ? 0 : 1;
        double read = p.Batch * (Off(Tensor.Left) * p.Elements(Tensor.Left) * p.LeftBits + Off(Tensor.Right) * p.Elements(Tensor.Right) * p.RightBits) / 8;
        double write = Off(Tensor.Output) * p.Batch * p.Elements(Tensor.Output) * p.OutputBits / 8;
        var spec = _arch.Memory[MemoryLevels.Dram];
        return new LayerBounds(read + write, dram.ReadBytes + dram.WriteBytes, p.Macs / (_arch.PeCount * pe.MacsPerCycle),
            read / spec.ReadBytesPerCycle + write / spec.WriteBytesPerCycle, cycles);
    }

    // Element-wise and reduction operators run on the vector unit, one vector op per lane per cycle, or without one
    // stream through the array's columns (one op per column per cycle). An operator's op count is the workload's
    // VectorOps (softmax 5 per score: max, subtract, exp, sum, divide; RMSNorm/LayerNorm and activations per their
    // builders), at least one per element read or written.
    // Layer by layer, every operand moves to and from DRAM, whose reads and writes share one bus as the GEMMs' do.
    // Fused, the tensors kept on chip are read and written in the fusion level instead (its reads and writes have
    // their own ports), and only the rest crosses DRAM.
    // chipIn and chipOut: the bytes of its uses kept in the fusion level (FusionPlan), read and written.
    private LayerResult SimulateVector(SimOperator op, double chipIn, double chipOut)
    {
        // the result is a function of these five numbers (and the design): operators that share them share one object
        var key = (op.Elements, op.BytesIn, op.BytesOut, chipIn, chipOut);
        var memo = chipIn == 0 && chipOut == 0 ? _vectorMemo ??= new() : Fused.Vectors ??= new();
        if (memo.TryGetValue(key, out var cached)) return cached;
        double compute = Math.Ceiling((double)op.Elements / _arch.Array.VectorOpsPerCycle);
        double dramIn = op.BytesIn - chipIn, dramOut = op.BytesOut - chipOut;
        var traffic = (LevelTraffic[])NoTraffic().Clone();
        var dramSpec = _arch.Memory[MemoryLevels.Dram];
        double dramMove = dramIn / dramSpec.ReadBytesPerCycle + dramOut / dramSpec.WriteBytesPerCycle;
        traffic[MemoryLevels.Dram] = VectorTraffic(dramSpec, dramIn, dramOut);
        double chipMove = 0;
        if (chipIn + chipOut > 0)
        {
            int level = _mapper.View.FusionLevel!.Value;
            var spec = _arch.Memory[level];
            chipMove = Math.Max(chipIn / spec.ReadBytesPerCycle, chipOut / spec.WriteBytesPerCycle);
            traffic[level] = VectorTraffic(spec, chipIn, chipOut);
        }
        double cycles = Math.Max(compute, Math.Max(dramMove, chipMove));
        var energy = EnergyModel.Compute(_arch, _cost, traffic, op.Elements, cycles);
        var result = new LayerResult(op.Name, op.Kind, null, 0, compute, cycles, traffic, energy,
            dramMove > compute && dramMove >= chipMove ? Bound.Memory : Bound.Compute, 0, null);
        memo[key] = result;
        return result;
    }

    // Every level without traffic, one immutable entry per level shared by this simulator's vector layers.
    private LevelTraffic[] NoTraffic()
    {
        if (_noTraffic is { } known) return known;
        var empty = new LevelTraffic[_arch.Memory.Count];
        for (int l = 0; l < empty.Length; l++) empty[l] = LevelTraffic.Empty(_arch.Memory[l].Name);
        return _noTraffic = empty;
    }

    private LevelTraffic[]? _noTraffic;

    private static LevelTraffic VectorTraffic(MemoryLevelSpec spec, double bytesIn, double bytesOut) => new(spec.Name,
        new[] { TrafficCost.Words(bytesIn * 8, spec.WidthBits), 0L, 0L }, new[] { 0L, 0L, TrafficCost.Words(bytesOut * 8, spec.WidthBits) }, bytesIn, bytesOut);
}
