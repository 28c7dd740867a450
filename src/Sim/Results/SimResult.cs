using Mantissa.Arch.Cost;
using Mantissa.Arch.Model;
using Mantissa.Sim.Energy;
using Mantissa.Sim.Mapping;

namespace Mantissa.Sim.Results;

/// <summary>Everything one simulation produced: per-layer results, totals and the derived metrics.</summary>
public sealed class SimResult
{
    public SimResult(ArchitectureSpec arch, ArchCost cost, IReadOnlyList<LayerResult> layers, double tokens, double frames,
        FusionSchedule? fusion = null)
    {
        Arch = arch; Cost = cost; Layers = layers; Tokens = tokens; Frames = frames;
        var traffic = arch.Memory.Select(m => LevelTraffic.Empty(m.Name)).ToArray();
        var energy = new EnergyBreakdown(0, arch.Memory.Select(m => (m.Name, 0.0)).ToArray(), 0);
        foreach (var l in layers)
        {
            Cycles += l.Cycles; ComputeCycles += l.ComputeCycles; Macs += l.Macs;
            for (int i = 0; i < traffic.Length; i++) traffic[i] = LevelTraffic.Sum(traffic[i], l.Traffic[i]);
            energy = EnergyBreakdown.Sum(energy, l.Energy);
        }
        Traffic = traffic;
        Energy = energy;
        Fusion = fusion;
    }

    /// <summary>The fused schedule of a workload run: groups of operators whose activations stayed on chip, and the DRAM bytes that saved (null for a bare GEMM).</summary>
    public FusionSchedule? Fusion { get; }

    public ArchitectureSpec Arch { get; }
    public ArchCost Cost { get; }
    public IReadOnlyList<LayerResult> Layers { get; }
    /// <summary>Tokens produced by the simulated step (LLM phases; 0 otherwise).</summary>
    public double Tokens { get; }
    /// <summary>Frames processed by the simulated step (CNNs; 0 otherwise).</summary>
    public double Frames { get; }
    public double Cycles { get; }
    public double ComputeCycles { get; }
    public double StallCycles => Math.Max(0, Cycles - ComputeCycles);
    public long Macs { get; }
    public IReadOnlyList<LevelTraffic> Traffic { get; }
    public EnergyBreakdown Energy { get; }

    /// <summary>Layers that ran at the PE's own formats instead of the workload's (see <see cref="LayerResult.FormatNote"/>).</summary>
    public int FormatFallbacks => Layers.Count(l => l.FormatNote is not null);

    public double LatencySeconds => Cycles / (Arch.ClockMhz * 1e6);
    public double EnergyPj => Energy.TotalPj;
    public double PeakMacsPerCycle => Arch.PeCount * Compute.PeThroughput.For(Arch.Pe).MacsPerCycle;
    public double Utilization => Cycles <= 0 ? 0 : Macs / (Cycles * PeakMacsPerCycle);

    /// <summary>
    /// A cycle count as reported (CSV/JSON): the nearest whole cycle. The model's fractional cycles come from bytes over
    /// bandwidth; latency, energy and utilization keep the exact sum.
    /// </summary>
    public static double WholeCycles(double cycles) => Math.Round(cycles, MidpointRounding.AwayFromZero);

    /// <summary>Every metric the simulation alone determines (see <see cref="MetricCatalog"/>).</summary>
    public MetricValues Metrics() => MetricCatalog.Evaluate(new MetricInputs(this));
}
