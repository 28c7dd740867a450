using Mantissa.Arch.Model;

namespace Mantissa.Sim.Compute;

/// <summary>The array's compute cycles for one GEMM under one dataflow, with the design's and the run's switches: what the simulator and the mapper time.</summary>
internal static class LayerCompute
{
    public static SystolicEstimate Estimate(ArchitectureSpec arch, SimOptions options, GemmProblem p, PeThroughput pe, Dataflow dataflow)
    {
        var est = SystolicCompute.Estimate(arch.Array.Rows, arch.Array.Cols, dataflow, p.M, p.K, p.N, pe,
            arch.Switches.ModelFill, options.ScaleSimCounting, arch.Array.Preload);
        // A causal kernel (FlashAttention-style) skips the fully masked (query block, key block) pairs, so compute
        // scales by the unmasked fraction. The blocks on the diagonal run whole, a waste of at most block/seq (6% for
        // 128-token blocks at 2048) that depends on the kernel's block size rather than on this array's tiles, so the
        // exact fraction is used. Operands are still moved whole: the mapper's traffic is that of the dense shape.
        if (p.Density < 1) est = est with { Cycles = (long)Math.Ceiling(est.Cycles * p.Density) };
        return est;
    }
}
