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
        // running sums in layer order (the order fixes the floating-point totals), without a new object per layer, straight
        // into the words arrays the totals keep (a sweep builds one result per design point)
        int levels = arch.Memory.Count;
        // a workload run's shared priced results carry the named layers' numbers: summing them names no layer
        var priced = layers is NamedLayers named ? named.Priced : layers;
        // one layer's traffic is its own total (a bare GEMM, a sweep's GEMM point): kept, not summed into copies
        var single = priced.Count == 1 && IsTotal(priced[0].Traffic, arch) ? priced[0].Traffic : null;
        var readWords = single is null ? new long[levels][] : Array.Empty<long[]>();
        var writeWords = single is null ? new long[levels][] : Array.Empty<long[]>();
        for (int i = 0; i < readWords.Length; i++) { readWords[i] = new long[3]; writeWords[i] = new long[3]; }
        Span<double> readBytes = levels <= 16 ? stackalloc double[levels] : new double[levels];
        Span<double> writeBytes = levels <= 16 ? stackalloc double[levels] : new double[levels];
        Span<double> levelPj = levels <= 16 ? stackalloc double[levels] : new double[levels];
        double computePj = 0, leakagePj = 0;
        for (int n = 0; n < priced.Count; n++)
        {
            var l = priced[n];
            Cycles += l.Cycles; ComputeCycles += l.ComputeCycles; Macs += l.Macs;
            for (int i = 0; i < readWords.Length; i++)
            {
                var t = l.Traffic[i];
                for (int x = 0; x < 3; x++) { readWords[i][x] += t.ReadWords[x]; writeWords[i][x] += t.WriteWords[x]; }
                readBytes[i] += t.ReadBytes; writeBytes[i] += t.WriteBytes;
            }
            computePj += l.Energy.ComputePj;
            for (int i = 0; i < levels; i++) levelPj[i] += l.Energy.Levels[i].Pj;
            leakagePj += l.Energy.LeakagePj;
        }
        var traffic = single is null ? new LevelTraffic[levels] : null;
        var energyLevels = new (string, double)[levels];
        for (int i = 0; i < levels; i++)
        {
            if (traffic is not null) traffic[i] = new LevelTraffic(arch.Memory[i].Name, readWords[i], writeWords[i], readBytes[i], writeBytes[i]);
            energyLevels[i] = (arch.Memory[i].Name, levelPj[i]);
        }
        Traffic = single ?? traffic!;
        Energy = new EnergyBreakdown(computePj, energyLevels, leakagePj);
        Fusion = fusion;
    }

    // Whether one layer's traffic equals the sum the constructor would build from it: every level named as the
    // architecture's, and no byte count of -0.0 (0 + -0.0 is +0.0; the word counts are integers).
    private static bool IsTotal(IReadOnlyList<LevelTraffic> traffic, ArchitectureSpec arch)
    {
        if (traffic.Count != arch.Memory.Count) return false;
        for (int i = 0; i < traffic.Count; i++)
        {
            var t = traffic[i];
            if (t.Level != arch.Memory[i].Name || t.ReadWords.Length != 3 || t.WriteWords.Length != 3 ||
                double.IsNegative(t.ReadBytes) && t.ReadBytes == 0 || double.IsNegative(t.WriteBytes) && t.WriteBytes == 0)
                return false;
        }
        return true;
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
    public int FormatFallbacks => Layers is NamedLayers named ? named.FormatFallbacks : Layers.Count(l => l.FormatNote is not null);

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
