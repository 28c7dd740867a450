using Mantissa.Arch;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
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

    public Simulator(ArchitectureSpec arch, ArchCost cost, SimOptions? options = null)
    {
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

    /// <summary>Simulates one GEMM Out[M×N] = In[M×K]·W[K×N] (batch independent copies) with the PE's operand formats.</summary>
    public SimResult RunGemm(long m, long k, long n, long batch = 1, string name = "gemm")
    {
        if (m <= 0 || k <= 0 || n <= 0 || batch <= 0)
            throw new MantissaException($"GEMM dimensions must be positive (got M={m} K={k} N={n} batch={batch})");
        var layer = SimulateGemm(name, "gemm", DefaultProblem(batch, m, k, n));
        return new SimResult(_arch, _cost, new[] { layer }, 0, 0);
    }

    /// <summary>Simulates every operator of <paramref name="w"/> in topological order.</summary>
    public SimResult Run(Workload w)
    {
        var (tokens, frames) = WorkloadLowering.Throughput(w);
        return RunOperators(WorkloadLowering.Lower(w, _arch), tokens, frames);
    }

    /// <summary>Simulates operators in the given (topological) order.</summary>
    public SimResult RunOperators(IEnumerable<SimOperator> ops, double tokens = 0, double frames = 0)
    {
        var layers = new List<LayerResult>();
        foreach (var op in ops)
            layers.Add(op.Gemm is { } g ? SimulateGemm(op.Name, op.Kind, g) : SimulateVector(op));
        return new SimResult(_arch, _cost, layers, tokens, frames);
    }

    /// <summary>A GEMM problem with the operand widths of this architecture's PE.</summary>
    public GemmProblem DefaultProblem(long batch, long m, long k, long n) => new(batch, m, k, n,
        _arch.Pe.ActivationFormat.BitsPerElement, _arch.Pe.WeightFormat.BitsPerElement,
        _arch.Pe.ActivationFormat.BitsPerElement, _arch.Pe.Accumulator.Bits);

    /// <summary>The mapping chosen for a GEMM (for printing).</summary>
    public GemmMapping MapGemm(GemmProblem p) => SimulateGemm("gemm", "gemm", p).Mapping!;

    private LayerResult SimulateGemm(string name, string kind, GemmProblem p)
    {
        if (_memo.TryGetValue(p, out var cached)) return cached with { Name = name, Kind = kind };
        var one = p with { Batch = 1 };
        var pe = p.Pe ?? _pe;
        var est = SystolicCompute.Estimate(_arch.Array.Rows, _arch.Array.Cols, _arch.Array.Dataflow, p.M, p.K, p.N, pe,
            _arch.Switches.ModelFill, _options.ScaleSimCounting, _arch.Array.Preload);
        var mapped = _mapper.Map(one, est.Cycles);
        double inner = Mapper.InnerCycles(_arch, mapped.Traffic);
        var timing = TileTimeline.Run(_arch, one, mapped.Mapping, est.Cycles, inner, mapped.Traffic[0], _options.MaxTimelineTiles);
        long b = p.Batch;
        var traffic = mapped.Traffic.Select(t => t.Scale(b)).ToArray();
        double cycles = timing.Cycles * b, compute = est.Cycles * (double)b;
        long macs = p.Macs;
        var energy = EnergyModel.Compute(_arch, _cost, traffic, macs / pe.MacsPerCycle, cycles);
        var dram = _arch.Memory[0];
        double dramCycles = Math.Max(traffic[0].ReadBytes / dram.ReadBytesPerCycle, traffic[0].WriteBytes / dram.WriteBytesPerCycle);
        double util = cycles > 0 ? macs / (cycles * _arch.PeCount * pe.MacsPerCycle) : 0;
        var result = new LayerResult(name, kind, p, macs, compute, cycles, traffic, energy,
            dramCycles > compute ? Bound.Memory : Bound.Compute, util, mapped.Mapping);
        _memo[p] = result;
        return result;
    }

    // Element-wise and reduction operators stream through the array's columns (one element per column per cycle)
    // and move their operands to and from DRAM.
    private LayerResult SimulateVector(SimOperator op)
    {
        var dram = _arch.Memory[0];
        double compute = Math.Ceiling((double)op.Elements / _arch.Array.Cols);
        double rd = op.BytesIn / dram.ReadBytesPerCycle, wr = op.BytesOut / dram.WriteBytesPerCycle;
        double cycles = Math.Max(compute, Math.Max(rd, wr));
        var traffic = _arch.Memory.Select(m => LevelTraffic.Empty(m.Name)).ToArray();
        long rWords = (long)Math.Ceiling(op.BytesIn * 8 / dram.WidthBits), wWords = (long)Math.Ceiling(op.BytesOut * 8 / dram.WidthBits);
        traffic[0] = new LevelTraffic(dram.Name, new[] { rWords, 0L, 0L }, new[] { 0L, 0L, wWords }, op.BytesIn, op.BytesOut);
        var energy = EnergyModel.Compute(_arch, _cost, traffic, op.Elements, cycles);
        return new LayerResult(op.Name, op.Kind, null, 0, compute, cycles, traffic, energy,
            Math.Max(rd, wr) > compute ? Bound.Memory : Bound.Compute, 0, null);
    }
}
