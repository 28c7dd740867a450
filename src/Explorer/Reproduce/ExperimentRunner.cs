using System.Diagnostics;
using Mantissa.Arch;
using Mantissa.Arch.Config;
using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim;
using Mantissa.Sim.Compute;
using Mantissa.Sim.Results;
using Mantissa.Workloads;
using Mantissa.Workloads.Quantization;
using Mantissa.Workloads.Tensors;

namespace Mantissa.Explorer.Reproduce;

/// <summary>
/// Runs one experiment through the ordinary engines (architecture loader, cost model, simulator, quantizer): each run
/// is evaluated at most once and only for the metrics its figures read, then figures and orderings are computed.
/// </summary>
public sealed class ExperimentRunner
{
    private readonly ExperimentSpec _spec;
    private readonly Dictionary<string, ArchitectureSpec> _archs = new();
    private readonly Dictionary<string, CostReport> _costs = new();
    private readonly Dictionary<string, SimResult> _sims = new();
    private readonly Dictionary<string, QuantReport> _quants = new();

    public ExperimentRunner(ExperimentSpec spec) => _spec = spec;

    public ExperimentResult Run()
    {
        var sw = Stopwatch.StartNew();
        var figures = _spec.Figures.Select(Evaluate).ToList();
        var orderings = _spec.Orderings.Select(o =>
        {
            var values = o.Order.Select(id => Value(id, o.Metric)).ToList();
            bool holds = values.Zip(values.Skip(1)).All(p => p.First < p.Second);
            return new OrderingResult(o, values, holds);
        }).ToList();
        return new ExperimentResult(_spec, figures, orderings, sw.Elapsed);
    }

    private FigureResult Evaluate(FigureSpec f)
    {
        if (f.NotModelled is not null || f.Metric is null) return new FigureResult(f, null, FigureVerdict.NotModelled);
        var metric = f.Metric.Value;
        double model;
        if (f.Over.Count == 0) model = f.Runs.Average(r => Value(r, metric));
        else model = f.Runs.Zip(f.Over).Average(p => Value(p.First, metric) / Value(p.Second, metric));
        if (f.IsInput) return new FigureResult(f, model, FigureVerdict.Input);
        bool within = Math.Abs(model / f.Paper - 1) <= f.Band;
        return new FigureResult(f, model, within ? FigureVerdict.Match : FigureVerdict.Miss);
    }

    /// <summary>The metric of one run (engines run lazily and once).</summary>
    public double Value(string runId, ReproMetric metric)
    {
        var run = _spec.Runs.First(r => r.Id == runId);
        if (metric.NeedsQuant())
        {
            var q = Quant(run);
            return metric == ReproMetric.QuantMse ? q.Error.Mse : q.Error.SqnrDb;
        }
        if (metric.NeedsSimulation())
        {
            var s = Sim(run);
            return metric switch
            {
                ReproMetric.LatencyS => s.LatencySeconds,
                ReproMetric.EnergyJ => s.EnergyPj * 1e-12,
                _ => s.Tokens > 0 ? s.Tokens / s.LatencySeconds
                    : throw new MantissaException($"run '{run.Id}': tokens_per_s needs an LLM workload"),
            };
        }
        var arch = Arch(run);
        var c = Cost(run);
        return metric switch
        {
            ReproMetric.AreaMm2 => c.Cost.AreaMm2,
            ReproMetric.PeAreaUm2 => c.PeAreaUm2,
            ReproMetric.PeakMacsPerCycle => arch.PeCount * PeThroughput.For(arch.Pe).MacsPerCycle,
            ReproMetric.PeakPowerW => c.PeakPowerMw / 1000,
            // With no PE switching the die still leaks, its clock tree still toggles and its PCIe link still sends idle symbols.
            ReproMetric.IdlePowerW => (c.Cost.LeakageMw + c.Cost.AlwaysOnMw) / 1000,
            ReproMetric.TopsPerW => c.TopsPerWatt,
            ReproMetric.TopsPerMm2 => c.TopsPerMm2,
            // Density of the PE array alone (no memories), as unit-level comparisons such as LUT Tensor Core's report it.
            ReproMetric.PeArrayTopsPerMm2 => 2 * arch.PeCount * PeThroughput.For(arch.Pe).MacsPerCycle * arch.ClockMhz * 1e6 / 1e12
                                             / (c.PeAreaUm2 * arch.PeCount * 1e-6),
            ReproMetric.FpgaLuts => c.Fpga?.Used.Luts ?? throw new MantissaException($"run '{run.Id}': fpga_luts needs an FPGA design"),
            ReproMetric.FpgaDsps => c.Fpga?.Used.Dsps ?? throw new MantissaException($"run '{run.Id}': fpga_dsps needs an FPGA design"),
            // Utilisation as FPGA papers publish it: percent of the device's resource, as `mantissa cost` prints it.
            ReproMetric.FpgaLutPercent => FpgaPercent(c, run, metric, "LUT"),
            ReproMetric.FpgaDspPercent => FpgaPercent(c, run, metric, "DSP"),
            ReproMetric.FpgaBramPercent => FpgaPercent(c, run, metric, "BRAM36"),
            ReproMetric.FpgaUramPercent => FpgaPercent(c, run, metric, "URAM"),
            _ => throw new ArgumentOutOfRangeException(nameof(metric)),
        };
    }

    private static double FpgaPercent(CostReport c, RunSpec run, ReproMetric metric, string resource) =>
        (c.Fpga ?? throw new MantissaException($"run '{run.Id}': {metric.Name()} needs an FPGA design"))
        .Utilization.First(u => u.Resource == resource).Percent;

    private ArchitectureSpec Arch(RunSpec run)
    {
        if (run.DesignPath is null) throw new MantissaException($"run '{run.Id}' has no design");
        if (!_archs.TryGetValue(run.DesignPath, out var a)) _archs[run.DesignPath] = a = ArchitectureLoader.Load(run.DesignPath);
        return a;
    }

    private CostReport Cost(RunSpec run)
    {
        var a = Arch(run);
        if (!_costs.TryGetValue(run.DesignPath!, out var c)) _costs[run.DesignPath!] = c = CostModel.Report(a);
        return c;
    }

    private SimResult Sim(RunSpec run)
    {
        if (_sims.TryGetValue(run.Id, out var s)) return s;
        var arch = Arch(run);
        var sim = new Simulator(arch, CostModel.Evaluate(arch), new SimOptions());
        var w = run.Workload!;
        if (w.Gemm is { } g) s = sim.RunGemm(g.M, g.K, g.N, w.Batch);
        else
        {
            var workload = WorkloadCatalog.Build(w.Model, new WorkloadOptions(w.Phase, w.Batch, w.Seq, w.Kv,
                w.Precision ?? FormatFit.DefaultRecipe(arch.Pe)));
            s = sim.Run(workload);
        }
        return _sims[run.Id] = s;
    }

    private QuantReport Quant(RunSpec run)
    {
        if (_quants.TryGetValue(run.Id, out var q)) return q;
        var spec = run.Quant!;
        var tensor = TensorSource.Load(spec.Source, spec.Seed, spec.Count);
        return _quants[run.Id] = TensorQuantizer.Measure(tensor, QuantSchemes.Resolve(spec.Format, spec.Group));
    }
}
