using Mantissa.Arch.Model;

namespace Mantissa.Sim.Compute;

/// <summary>Fold-level compute cycles of one GEMM on an R×C systolic array.</summary>
public readonly record struct SystolicEstimate(
    long Folds, long TemporalSteps, long CyclesPerFold, long Cycles, long FillDrainCycles, double MappingEfficiency);

/// <summary>
/// SCALE-Sim v2's compute model in closed form (scalesim/compute/systolic_compute_{os,ws,is}.py,
/// topology_utils.calc_spatio_temporal_params). With Sr, Sc the operand extents held by rows and columns
/// and T the streamed extent:
///   os: Sr = M, Sc = N, T = K, per fold T + R + C − 2
///   ws: Sr = K, Sc = N, T = M, per fold 2R + C + T − 2 (R-cycle weight load, C−1 drain, R−1 skew)
///   is: Sr = K, Sc = M, T = N, per fold 2R + C + T − 2
/// folds = ⌈Sr/R⌉·⌈Sc/C⌉, edge folds cost a full fold, folds never overlap; SCALE-Sim's "Total Cycles"
/// is folds·per_fold − 1. A PE reducing dp K-elements per pass shrinks the K extent to ⌈K/dp⌉ and a pass of
/// p cycles stretches each streamed step to p cycles (p = dp = 1 is SCALE-Sim's MAC). Group dequantization
/// (PeCycleModel's cycles per group) lengthens each os dot product by its groups over K, and each ws/is fold by the
/// groups the fold's K slice spans (the column's dequantizers run once per fold, like the drain).
/// With <see cref="WeightPreload.Overlapped"/> (ws/is only) the next fold's stationary operand is loaded into
/// double-buffered PE registers during the current fold, so folds follow each other without the load, skew and
/// drain: a GEMM costs folds·steps plus one fold's overhead (2R + C − 2). How fast the buffers can deliver those
/// operands is the memory levels' bandwidth limit, which the timing model applies separately.
/// </summary>
public static class SystolicCompute
{
    public static SystolicEstimate Estimate(
        int rows, int cols, Dataflow dataflow, long m, long k, long n, PeThroughput pe,
        bool modelFill = true, bool scaleSimCounting = true, WeightPreload preload = WeightPreload.Serial)
    {
        if (m <= 0 || k <= 0 || n <= 0) return default;
        long kPasses = CeilDiv(k, pe.DotWidth);
        (long sr, long sc, long t) = dataflow switch
        {
            Dataflow.OS => (m, n, kPasses),
            Dataflow.WS => (kPasses, n, m),
            _ => (kPasses, m, n),
        };
        long folds = CeilDiv(sr, rows) * CeilDiv(sc, cols);
        long steps = t * pe.CyclesPerPass;
        long overhead = dataflow == Dataflow.OS ? rows + cols - 2 : 2L * rows + cols - 2;
        if (!modelFill) overhead = 0;
        steps += dataflow == Dataflow.OS ? pe.DequantCycles(k) : pe.DequantCycles(Math.Min(k, (long)rows * pe.DotWidth));
        long perFold = steps + overhead;
        long countFix = scaleSimCounting && modelFill ? 1 : 0;
        double used = (double)sr * sc / ((double)folds * rows * cols);
        if (preload == WeightPreload.Overlapped && dataflow != Dataflow.OS)
            return new SystolicEstimate(folds, steps, steps, folds * steps + overhead - countFix, overhead, used);
        return new SystolicEstimate(folds, steps, perFold, folds * perFold - countFix, folds * overhead, used);
    }

    /// <summary>The fold tile (M, K, N extents one fold covers; the streamed dimension counts 1 per step).</summary>
    public static (long M, long K, long N) FoldTile(int rows, int cols, Dataflow dataflow, PeThroughput pe) => dataflow switch
    {
        Dataflow.OS => (rows, pe.DotWidth, cols),
        Dataflow.WS => (1, (long)rows * pe.DotWidth, cols),
        _ => (cols, (long)rows * pe.DotWidth, 1),
    };

    /// <summary>Loop order (outer → inner) in which the array walks its folds and streamed steps.</summary>
    public static Dim[] FoldOrder(Dataflow dataflow) => dataflow switch
    {
        Dataflow.OS => new[] { Dim.M, Dim.N, Dim.K },
        Dataflow.WS => new[] { Dim.N, Dim.K, Dim.M },
        _ => new[] { Dim.M, Dim.K, Dim.N },
    };

    internal static long CeilDiv(long a, long b) => (a + b - 1) / b;
}
