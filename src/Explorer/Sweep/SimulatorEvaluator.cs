using System.Globalization;
using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim;
using Mantissa.Sim.Mapping;
using Mantissa.Sim.Results;
using Mantissa.Workloads;
using Mantissa.Workloads.Quantization;

namespace Mantissa.Explorer.Sweep;

/// <summary>
/// The real evaluator: builds base + sets from the base file parsed once per sweep (<see cref="ResolvedArchitecture"/>),
/// costs the design once, and simulates every workload on it; workloads are built once per sweep.
/// </summary>
public sealed partial class SimulatorEvaluator : IDesignEvaluator
{
    private readonly ResolvedArchitecture _base;
    private readonly Dictionary<string, Workload> _workloads = new();
    // precision: native workloads, built once per (workload, recipe) as designs with new PE formats arrive
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Label, string Recipe), Workload> _native = new();
    private readonly QuantObjective _quant;
    private readonly bool _quantRequired;
    private readonly SimOptions _options;
    private readonly MappingCache? _mappings;
    // clock-free costs shared by the points (a clock or bandwidth sweep costs its design once)
    private readonly CostMemo _costs = new();
    private readonly RowLabels _labels = new();
    // the GEMM shape of each workload model name (null: not a GEMM), parsed once rather than per point
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, (long M, long K, long N)?> _gemms = new();

    /// <param name="quantCache">Where quantization errors are memoised (default: the process-wide cache).</param>
    /// <param name="shareMappings">Share mapper results between design points with the same mapper inputs (<see cref="MappingCache"/>); off maps every point afresh.</param>
    public SimulatorEvaluator(SweepSpec spec, QuantErrorCache? quantCache = null, bool shareMappings = true)
    {
        _mappings = shareMappings ? new MappingCache() : null;
        _quant = new QuantObjective(spec.QuantTensor, quantCache);
        _quantRequired = QuantObjective.UsedBy(spec);
        _options = new SimOptions { Objective = MapperObjective(spec.Objectives) };
        _base = ModelChecks.Resolved(spec.BaseFile); // parsed already when the sweep file's values were checked
        foreach (var w in spec.Workloads)
            if (ModelChecks.Gemm(w.Model) is null && w.Precision != ModelChecks.NativePrecision)
                _workloads[w.Label] = WorkloadCatalog.Build(w.Model, ModelChecks.Options(w));
    }

    /// <summary>
    /// What the mapper minimizes in a sweep: the first objective that measures time or energy decides (edp → EDP;
    /// energy_pj, tokens_per_j, power_w, tops_per_w → energy; latency_s, cycles, tokens_per_s, frames_per_s,
    /// tops_effective → latency); without one, the simulator's default (latency, then energy within 1 %).
    /// </summary>
    public static MappingObjective MapperObjective(IEnumerable<Objective> objectives)
    {
        foreach (var o in objectives)
        {
            switch (MetricCatalog.Find(o.Metric)?.Id)
            {
                case Metric.Edp: return MappingObjective.Edp;
                case Metric.EnergyPj or Metric.TokensPerJ or Metric.PowerW or Metric.TopsPerW: return MappingObjective.Energy;
                case Metric.LatencyS or Metric.Cycles or Metric.TokensPerS or Metric.FramesPerS or Metric.TopsEffective: return MappingObjective.Latency;
            }
        }
        return new SimOptions().Objective;
    }

    /// <summary>The sweep checks and evaluator the commands use.</summary>
    public static EvaluatorBackend Backend { get; } = new(ModelChecks.Validation, spec => new SimulatorEvaluator(spec));

    /// <summary>The mapper results shared across this sweep's points (null when sharing is off).</summary>
    public MappingCache? Mappings => _mappings;

    public IReadOnlyList<Metric> Metrics { get; } = MetricCatalog.All.Select(m => m.Id).ToList();

    public IReadOnlyList<string> LabelNames => ResultLabels.All;

    public IReadOnlyList<Evaluation> Evaluate(DesignPoint point, IReadOnlyList<WorkloadSpec> workloads)
    {
        ArchitectureSpec arch;
        try
        {
            arch = Resolve(point);
        }
        catch (ConfigException e)
        {
            string reason = "invalid architecture: " + string.Join("; ", e.Diagnostics.Select(d => (d.KeyPath.Length > 0 ? d.KeyPath + ": " : "") + d.Message));
            return workloads.Select(_ => Evaluation.Invalid(reason)).ToList();
        }
        var labels = _labels.Of(arch, null);
        ArchCost cost;
        FpgaReport? fpga = null;
        try
        {
            if (arch.Target == Target.Fpga)
            {
                fpga = CostModel.Report(arch).Fpga;
                cost = fpga!.Cost;
            }
            else cost = _costs.Evaluate(arch);
        }
        catch (MantissaException e)
        {
            return workloads.Select(_ => Evaluation.Invalid("cost model: " + e.Message, labels)).ToList();
        }
        string? fit = fpga is { Fits: false }
            ? $"does not fit {fpga.Device.Name}: " + string.Join(", ", fpga.Utilization.Where(u => u.Percent > 100).Select(u => $"{u.Resource} {u.Percent:F0}%"))
            : null;
        // one simulator per fusion setting the workloads use (most sweeps use one)
        Simulator? sim = null, layerByLayer = null;
        try
        {
            foreach (var w in workloads)
            {
                if (w.Fusion) sim ??= new Simulator(arch, cost, _options, _mappings);
                else layerByLayer ??= new Simulator(arch, cost, _options with { Fusion = false }, _mappings);
            }
        }
        catch (MantissaException e)
        {
            return workloads.Select(_ => Evaluation.Invalid(e.Message, labels)).ToList();
        }
        var results = new List<Evaluation>(workloads.Count);
        foreach (var w in workloads)
        {
            try
            {
                var (workload, precision) = WorkloadOf(w, arch.Pe);
                var r = Simulate(w.Fusion ? sim! : layerByLayer!, w, workload);
                var wl = labels;
                string? reason = fit;
                QuantError? quant = null;
                var q = QuantOf(arch.Pe, workload, precision);
                if (q.Failure is null)
                {
                    quant = q.Error;
                    wl = _labels.Of(arch, q.Scheme);
                }
                // Cost metrics stay useful when the sweep does not ask for quantization error.
                else if (_quantRequired) reason ??= "quantization error: " + q.Failure;
                results.Add(new Evaluation(MetricCatalog.Evaluate(new MetricInputs(r, fpga, quant, workload)), wl, reason));
            }
            catch (MantissaException e)
            {
                results.Add(Evaluation.Invalid(e.Message, labels));
            }
        }
        return results;
    }

    public DesignDetail? Detail(DesignPoint point, WorkloadSpec workload)
    {
        var arch = _base.Load(point.Sets);
        var cost = arch.Target == Target.Fpga ? CostModel.Report(arch).Fpga!.Cost : CostModel.Evaluate(arch);
        var r = Simulate(new Simulator(arch, cost, _options with { Fusion = workload.Fusion }), workload, WorkloadOf(workload, arch.Pe).Workload);
        double hz = arch.ClockMhz * 1e6;
        var items = new List<BreakdownItem>();
        foreach (var g in r.Layers.GroupBy(l => l.Kind.Name()))
        {
            double compute = g.Sum(l => l.Energy.ComputePj), leak = g.Sum(l => l.Energy.LeakagePj);
            items.Add(new BreakdownItem(g.Key, "PE array", compute, g.Sum(l => Math.Min(l.ComputeCycles, l.Cycles)) / hz));
            for (int i = 0; i < arch.Memory.Count; i++)
                items.Add(new BreakdownItem(g.Key, arch.Memory[i].Name, g.Sum(l => l.Energy.Levels[i].Pj), 0));
            items.Add(new BreakdownItem(g.Key, "leakage", leak, 0));
            items.Add(new BreakdownItem(g.Key, "memory stall", 0, g.Sum(l => l.StallCycles) / hz));
        }
        double peak = r.PeakMacsPerCycle * 2 * hz;
        double bw = arch.Memory[0].ReadBytesPerCycle * hz;
        var points = r.Layers.Where(l => l.Macs > 0 && l.Cycles > 0)
            .GroupBy(l => l.Kind.Name())
            .Select(g => new RooflinePoint(g.Key,
                2.0 * g.Sum(l => l.Macs) / Math.Max(1e-30, g.Sum(l => l.DramBytes)),
                2.0 * g.Sum(l => l.Macs) / (g.Sum(l => l.Cycles) / hz)))
            .ToList();
        return new DesignDetail(arch.Name, items, new RooflineData(peak, bw, points));
    }

    // The quantization error of the last (PE, workload, precision) asked for: every point of a clock or bandwidth sweep
    // asks for the same one, and building its key and scheme text cost allocations per point. A failure of the model
    // (MantissaException) is kept like a result; an I/O failure is not, so a later point tries again.
    private sealed record QuantOutcome(PeSpec Pe, Workload? Workload, string Precision, QuantError? Error, string? Scheme, string? Failure);

    private QuantOutcome? _lastQuant;

    private QuantOutcome QuantOf(PeSpec pe, Workload? workload, string precision)
    {
        var last = Volatile.Read(ref _lastQuant);
        if (last is not null && ReferenceEquals(last.Workload, workload) && last.Precision == precision && last.Pe == pe) return last;
        QuantOutcome outcome;
        try
        {
            var (error, scheme) = _quant.Of(_quant.Key(pe, workload, precision));
            outcome = new QuantOutcome(pe, workload, precision, error, scheme, null);
        }
        catch (MantissaException e)
        {
            outcome = new QuantOutcome(pe, workload, precision, null, null, e.Message);
        }
        catch (IOException e)
        {
            return new QuantOutcome(pe, workload, precision, null, null, e.Message);
        }
        Volatile.Write(ref _lastQuant, outcome);
        return outcome;
    }

    private SimResult Simulate(Simulator sim, WorkloadSpec w, Workload? workload)
    {
        if (GemmOf(w) is { } g) return sim.RunGemm(g.M, g.K, g.N, w.Batch, w.Model);
        return sim.Run(workload!);
    }

    private (long M, long K, long N)? GemmOf(WorkloadSpec w) => _gemms.GetOrAdd(w.Model, static model => ModelChecks.Gemm(model));

    /// <summary>The built workload (null for a GEMM) and the precision it runs at on a PE <paramref name="pe"/>.</summary>
    private (Workload? Workload, string Precision) WorkloadOf(WorkloadSpec w, PeSpec pe)
    {
        if (GemmOf(w) is not null) return (null, w.Precision);
        if (w.Precision != ModelChecks.NativePrecision) return (_workloads[w.Label], w.Precision);
        string recipe = ModelChecks.NativeRecipe(pe);
        return (_native.GetOrAdd((w.Label, recipe), k => WorkloadCatalog.Build(w.Model, ModelChecks.Options(w with { Precision = k.Recipe }))), recipe);
    }
}
