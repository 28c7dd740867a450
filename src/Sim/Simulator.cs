using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
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
    private readonly Dictionary<GemmProblem, LayerResult> _memo = new();
    private readonly MappingCache? _mappings;
    private MapperInputs? _mapperInputs;
    private ArchView? _view;

    /// <param name="mappings">Mapper results shared with other simulators (a sweep's designs); null maps every shape afresh.</param>
    public Simulator(ArchitectureSpec arch, ArchCost cost, SimOptions? options = null, MappingCache? mappings = null)
    {
        _mappings = mappings;
        _arch = arch; _cost = cost; _options = options ?? new SimOptions();
        if (cost.Levels.Count != arch.Memory.Count)
            throw new MantissaException($"cost model has {cost.Levels.Count} memory levels but architecture '{arch.Name}' has {arch.Memory.Count}");
        if (arch.ClockMhz <= 0) throw new MantissaException($"architecture '{arch.Name}': clock_mhz must be positive");
        foreach (var m in arch.Memory)
            if (m.ReadBytesPerCycle <= 0 || m.WriteBytesPerCycle <= 0)
                throw new MantissaException($"architecture '{arch.Name}': memory level '{m.Name}' needs positive read and write bandwidth");
        _pe = PeThroughput.For(arch.Pe);
        _mapper = new Mapper(arch, cost, _options, _pe);
    }

    public ArchitectureSpec Architecture => _arch;
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
        var layer = SimulateGemm(name, OpKind.Gemm, DefaultProblem(batch, m, k, n));
        return new SimResult(_arch, _cost, new[] { layer }, 0, 0);
    }

    /// <summary>Simulates every operator of <paramref name="w"/> in topological order.</summary>
    public SimResult Run(Workload w)
    {
        var (tokens, frames) = WorkloadLowering.Throughput(w);
        var ops = WorkloadLowering.Lower(w, _arch).ToList();
        WorkloadLowering.CheckFormats(ops, _arch);
        return RunOperators(ops, tokens, frames);
    }

    /// <summary>Simulates operators in the given (topological) order.</summary>
    public SimResult RunOperators(IEnumerable<SimOperator> ops, double tokens = 0, double frames = 0)
    {
        var layers = new List<LayerResult>();
        foreach (var op in ops)
            layers.Add(op.Gemm is { } g ? SimulateGemm(op.Name, op.Kind, g) with { FormatNote = op.FormatNote } : SimulateVector(op));
        return new SimResult(_arch, _cost, layers, tokens, frames);
    }

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
        var format = _arch.Pe.WeightFormat;
        if (FormatFit.DefaultRecipe(_arch.Pe) is not { } recipe) return format.BitsPerElement;
        var precision = RecipePresets.Get(recipe).Defaults with { Weights = format };
        return precision.Weight("gemm.weight", new[] { n, k }).Bytes * 8 / ((double)k * n);
    }

    /// <summary>The mapping chosen for a GEMM (for printing).</summary>
    public GemmMapping MapGemm(GemmProblem p) => SimulateGemm("gemm", OpKind.Gemm, p).Mapping!;

    private LayerResult SimulateGemm(string name, OpKind kind, GemmProblem p)
    {
        if (_memo.TryGetValue(p, out var cached)) return cached with { Name = name, Kind = kind };
        var one = p with { Batch = 1 };
        var pe = p.Pe ?? _pe;
        var est = SystolicCompute.Estimate(_arch.Array.Rows, _arch.Array.Cols, _arch.Array.Dataflow, p.M, p.K, p.N, pe,
            _arch.Switches.ModelFill, _options.ScaleSimCounting, _arch.Array.Preload);
        // A causal kernel (FlashAttention-style) skips the fully masked (query block, key block) pairs, so compute
        // scales by the unmasked fraction. The blocks on the diagonal run whole, a waste of at most block/seq (6% for
        // 128-token blocks at 2048) that depends on the kernel's block size rather than on this array's tiles, so the
        // exact fraction is used. Operands are still moved whole: the mapper's traffic is that of the dense shape.
        if (p.Density < 1) est = est with { Cycles = (long)Math.Ceiling(est.Cycles * p.Density) };
        var mapped = _mappings is null ? _mapper.Map(one, est.Cycles)
            : _mappings.Map(_mapperInputs ??= new MapperInputs(_arch, _cost, _options, _pe), _mapper, one, est.Cycles);
        var timing = TileTimeline.Run(_arch, one, mapped.Mapping, est.Cycles, mapped.Memory, _options.MaxTimelineTiles);
        long b = p.Batch;
        var traffic = mapped.Traffic.Select(t => t.Scale(b)).ToArray();
        double cycles = timing.Cycles * b, compute = est.Cycles * (double)b;
        long macs = p.Macs;
        var energy = EnergyModel.Compute(_arch, _cost, traffic, macs / pe.MacsPerCycle, cycles);
        var dram = _arch.Memory[MemoryLevels.Dram];
        var dramTraffic = traffic[MemoryLevels.Dram];
        double dramCycles = Math.Max(dramTraffic.ReadBytes / dram.ReadBytesPerCycle, dramTraffic.WriteBytes / dram.WriteBytesPerCycle);
        double util = cycles > 0 ? macs / (cycles * _arch.PeCount * pe.MacsPerCycle) : 0;
        var result = new LayerResult(name, kind, p, macs, compute, cycles, traffic, energy,
            dramCycles > compute ? Bound.Memory : Bound.Compute, util, mapped.Mapping, Bounds: Bounds(p, pe, cycles, dramTraffic));
        _memo[p] = result;
        return result;
    }

    // Compulsory DRAM traffic: both operands read once, the output written once (at their stored widths); the array
    // bound is the MACs at the PE's peak rate, the DRAM bound that traffic on the one bus.
    private LayerBounds Bounds(GemmProblem p, PeThroughput pe, double cycles, LevelTraffic dram)
    {
        double read = p.Batch * (p.Elements(Tensor.Left) * p.LeftBits + p.Elements(Tensor.Right) * p.RightBits) / 8;
        double write = p.Batch * p.Elements(Tensor.Output) * p.OutputBits / 8;
        var spec = _arch.Memory[MemoryLevels.Dram];
        return new LayerBounds(read + write, dram.ReadBytes + dram.WriteBytes, p.Macs / (_arch.PeCount * pe.MacsPerCycle),
            read / spec.ReadBytesPerCycle + write / spec.WriteBytesPerCycle, cycles);
    }

    // Element-wise and reduction operators run on the vector unit, one vector op per lane per cycle, or without one
    // stream through the array's columns (one op per column per cycle). An operator's op count is the workload's
    // VectorOps (softmax 5 per score: max, subtract, exp, sum, divide; RMSNorm/LayerNorm and activations per their
    // builders), at least one per element read or written.
    // Their operands stay in the largest on-chip level that holds activations when they fit there (a BN or ReLU
    // between two convolutions never leaves the chip); otherwise, and always for the KV cache and embedding
    // tables, they move to and from DRAM, whose reads and writes share one bus as the GEMMs' do.
    private LayerResult SimulateVector(SimOperator op)
    {
        double compute = Math.Ceiling((double)op.Elements / _arch.Array.VectorOpsPerCycle);
        int level = VectorLevel(op);
        var spec = _arch.Memory[level];
        double rd = op.BytesIn / spec.ReadBytesPerCycle, wr = op.BytesOut / spec.WriteBytesPerCycle;
        double move = level == MemoryLevels.Dram ? rd + wr : Math.Max(rd, wr);
        double cycles = Math.Max(compute, move);
        var traffic = _arch.Memory.Select(m => LevelTraffic.Empty(m.Name)).ToArray();
        long rWords = (long)Math.Ceiling(op.BytesIn * 8 / spec.WidthBits), wWords = (long)Math.Ceiling(op.BytesOut * 8 / spec.WidthBits);
        traffic[level] = new LevelTraffic(spec.Name, new[] { rWords, 0L, 0L }, new[] { 0L, 0L, wWords }, op.BytesIn, op.BytesOut);
        var energy = EnergyModel.Compute(_arch, _cost, traffic, op.Elements, cycles);
        return new LayerResult(op.Name, op.Kind, null, 0, compute, cycles, traffic, energy,
            level == MemoryLevels.Dram && move > compute ? Bound.Memory : Bound.Compute, 0, null);
    }

    private int VectorLevel(SimOperator op)
    {
        if (op.Kind is OpKind.KvAppend or OpKind.Embedding) return MemoryLevels.Dram;
        _view ??= new ArchView(_arch);
        const TensorSet io = TensorSet.Inputs | TensorSet.Outputs;
        foreach (int l in _view.Shared.Skip(1))
        {
            var m = _arch.Memory[l];
            if ((m.Holds & io) != io) continue;
            return m.CapacityBytes == 0 || op.BytesIn + op.BytesOut <= m.CapacityBytes ? l : MemoryLevels.Dram;
        }
        return MemoryLevels.Dram;
    }
}
