using System.Runtime.CompilerServices;
using Mantissa.Arch.Model;
using Mantissa.Workloads;

namespace Mantissa.Sim.Serving;

/// <summary>
/// Whether an LLM's weights and KV cache fit a design's DRAM: the KV-cache bytes one sequence holds at the workload's
/// context, and the largest batch for which all stored weights (every expert) plus that many caches fit the first
/// DRAM level's capacity. Activations and runtime workspace are not counted.
/// </summary>
public static class DramFit
{
    /// <summary>Capacity in bytes of the design's DRAM, or 0 when its file gives none.</summary>
    public static long Capacity(ArchitectureSpec arch) => arch.Memory.FirstOrDefault(m => m.Kind == MemoryKind.Dram)?.CapacityBytes ?? 0;

    /// <summary>True when the workload keeps a KV cache (an LLM), so a batch has a memory cost per sequence.</summary>
    public static bool HasKvCache(Workload w) => Of(w).HasKvCache;

    /// <summary>KV-cache bytes of one sequence at the workload's context (per-layer windows and MLA latents as built).</summary>
    public static double KvBytesPerSequence(Workload w) => Of(w).KvBytesPerSequence;

    // A workload's figures depend on it alone (workloads are immutable): found once per workload, not per design.
    private sealed record Figures(bool HasKvCache, double KvBytesPerSequence, double WeightBytes);

    private static readonly ConditionalWeakTable<Workload, Figures> Memo = new();

    private static Figures Of(Workload w) => Memo.GetValue(w, x => new Figures(
        x.Graph.Operators.Any(o => o.Kind == OpKind.KvAppend),
        x.Graph.Operators.Where(o => o.Kind == OpKind.KvAppend).Sum(o => o.Outputs[0].Bytes) / x.Batch,
        x.WeightBytes));

    /// <summary>
    /// The largest batch whose stored weights plus KV caches fit <paramref name="capacityBytes"/> (0 when the weights
    /// alone do not fit); null when the capacity is unknown or the workload has no KV cache.
    /// </summary>
    public static long? MaxBatch(Workload w, long capacityBytes)
    {
        var f = Of(w);
        if (capacityBytes <= 0 || !f.HasKvCache) return null;
        double free = capacityBytes - f.WeightBytes, perSeq = f.KvBytesPerSequence;
        if (free < 0) return 0;
        return perSeq <= 0 ? null : (long)Math.Min(long.MaxValue / 2, Math.Floor(free / perSeq));
    }
}
