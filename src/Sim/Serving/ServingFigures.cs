using Mantissa.Sim.Results;
using Mantissa.Workloads;

namespace Mantissa.Sim.Serving;

/// <summary>
/// Serving an LLM on one design at a batch: time to first token (the prefill of <see cref="Batch"/> prompts of
/// <see cref="Seq"/> tokens), time per output token (one decode step of the batch at a <see cref="Kv"/>-token context),
/// decode throughput, and the largest batch whose weights + KV cache fit the DRAM (null when its capacity is not given).
/// </summary>
public sealed record ServingFigures(
    int Batch, int Seq, int Kv, SimResult Prefill, SimResult Decode, double WeightBytes, double KvBytesPerSequence,
    long DramCapacityBytes, long? MaxBatch)
{
    /// <summary>Time to first token in seconds: the whole prefill pass (every prompt of the batch gets its first token at its end).</summary>
    public double TtftS => Prefill.LatencySeconds;

    /// <summary>Time per output token in seconds: one decode step of the whole batch.</summary>
    public double TpotS => Decode.LatencySeconds;

    /// <summary>Generated tokens per second across the batch while decoding.</summary>
    public double DecodeTokensPerS => TpotS > 0 ? Batch / TpotS : 0;

    /// <summary>Simulates the prefill and the first decode step of <paramref name="model"/> at the options' batch.</summary>
    /// <param name="options">Phase is ignored; <c>Seq</c> is the prompt (model default when null) and <c>Kv</c> the
    /// decode context (default: the prompt length, the cache right after the prompt).</param>
    public static ServingFigures Run(Simulator sim, string model, WorkloadOptions options)
    {
        var prefill = WorkloadCatalog.Build(model, options with { Phase = Phase.Prefill, Kv = null });
        if (!DramFit.HasKvCache(prefill))
            throw new Arch.MantissaException($"serving figures apply to LLMs (models with a KV cache); {prefill.Model} has none");
        var decode = WorkloadCatalog.Build(model, options with { Phase = Phase.Decode, Seq = null, Kv = options.Kv ?? prefill.Seq, Causal = false });
        long capacity = DramFit.Capacity(sim.Architecture);
        return new ServingFigures(options.Batch, prefill.Seq, decode.Kv, sim.Run(prefill), sim.Run(decode), decode.WeightBytes,
                                  DramFit.KvBytesPerSequence(decode), capacity, DramFit.MaxBatch(decode, capacity));
    }
}
